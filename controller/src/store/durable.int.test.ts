// Acknowledged means durable, proved on the built process: `netmapper serve --store-file` is killed
// with SIGKILL (no shutdown hook runs) right after reports were acknowledged, and every acknowledged
// intent must be there after the restart. Also: a torn log tail is cut and counted.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ensureBuilt, REPO } from '../../../fixtures/test-support/built.ts';
import { suiteNeeds } from '../../../fixtures/test-support/needs.ts';
import { freePort } from '../../../fixtures/test-support/ports.ts';
suiteNeeds('durable store (kill -9)', []);

const BIN = join(REPO, 'dist', 'netmapper.js');
const SNAPSHOT = join(REPO, 'dist', 'fixtures', 'online-boutique', 'cluster.json');
const CLIENT_IP = '10.244.1.6';   // cartservice in the bundled Online Boutique snapshot
const READY_MS = 60_000;
const tmp = mkdtempSync(join(tmpdir(), 'nm-durable-int-'));

/** `metrics`: the metrics listener's base URL (/metrics is served there only). */
interface Served { proc: ChildProcess; base: string; metrics: string; stderr: () => string }

async function serve(storeFile: string, extra: string[] = []): Promise<Served> {
  const port = await freePort();
  const metricsPort = await freePort();
  const proc = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--metrics-port', String(metricsPort), '--bind-address', '127.0.0.1',
    '--cluster-snapshot', SNAPSHOT, '--store-file', storeFile, '--auth', 'none', '--log-level', 'warn', ...extra], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d) => { err += d; });
  let exited = false;
  proc.once('exit', () => { exited = true; });
  const base = `http://127.0.0.1:${port}`;
  const end = Date.now() + READY_MS;
  for (;;) {
    const res = await fetch(`${base}/readyz`).catch(() => undefined);
    if (res?.status === 200) break;
    if (exited) throw new Error(`netmapper serve exited before it was ready: ${err}`);
    if (Date.now() > end) throw new Error(`netmapper serve not ready after ${READY_MS} ms: ${err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { proc, base, metrics: `http://127.0.0.1:${metricsPort}`, stderr: () => err };
}

function kill9(s: Served): Promise<void> {
  return new Promise((resolve) => {
    if (s.proc.exitCode !== null || s.proc.signalCode !== null) { resolve(); return; }
    s.proc.once('exit', () => resolve());
    s.proc.kill('SIGKILL');
  });
}

function netmapper(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: tmp, timeout: 120_000, env: { ...process.env, NETMAPPER_MAPPER_URL: '', KUBERNETES_SERVICE_HOST: '' } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

async function domains(base: string): Promise<Set<string>> {
  const res = await fetch(`${base}/api/v1/intents`);
  const body = await res.json() as { intents: Array<{ internet?: { domain?: string } }> };
  return new Set(body.intents.map((i) => i.internet?.domain).filter((d): d is string => Boolean(d)));
}

test.before(() => ensureBuilt());
test.after(() => rmSync(tmp, { recursive: true, force: true }));

test('replay --mapper-url into serve --store-file, kill -9 the moment replay exits 0: every edge is there after the restart', async () => {
  const storeFile = join(tmp, 'replayed.json');
  let s = await serve(storeFile);
  try {
    const sent = await netmapper(['replay', '--mapper-url', s.base]);
    await kill9(s);
    assert.is(sent.code, 0, sent.stderr);
    assert.match(sent.stderr, /records in \d+ reports acknowledged by/);
    s = await serve(storeFile);
    const live = await netmapper(['list', '--mapper-url', s.base]);
    const offline = await netmapper(['replay']);
    assert.is(offline.code, 0, offline.stderr);
    assert.ok(offline.stdout.split('\n').length > 10, 'the bundled replay has a map worth comparing');
    assert.is(live.stdout, offline.stdout);
  } finally {
    await kill9(s);
  }
});

test('replay --mapper-url exits 1 naming the problem when the controller is not there', async () => {
  const port = await freePort();
  const r = await netmapper(['replay', '--mapper-url', `http://127.0.0.1:${port}`, '--timeout', '1s']);
  assert.is(r.code, 1);
  assert.match(r.stderr, /acknowledged nothing for 1 s/);
});

const report = (seq: number) => ({
  version: 1, node: 'kill-test', sentAt: new Date().toISOString(),
  records: [{ source: 'dns', srcIp: CLIENT_IP, destination: `ack-${seq}.example.com`, destinationIp: `198.51.100.${seq % 250 + 1}`, ttl: 30, lastSeen: new Date().toISOString(), count: 1 }],
});

test('kill -9 at 20 random moments under a steady report stream: 0 acknowledged intents lost', async () => {
  const storeFile = join(tmp, 'stream.json');
  // Small compaction thresholds so kills also land during compactions.
  const flags = ['--store-compact-size', '64Ki', '--store-save-interval', '1s'];
  const acked = new Set<string>();
  let seq = 0, sentTotal = 0;
  const TRIALS = Number(process.env.NM_KILL_TRIALS ?? 20);
  for (let trial = 0; trial < TRIALS; trial++) {
    const s = await serve(storeFile, flags);
    const have = await domains(s.base);
    const lost = [...acked].filter((d) => !have.has(d));
    assert.equal(lost, [], `trial ${trial}: ${lost.length} of ${acked.size} acknowledged intents lost`);
    let stop = false;
    const poster = async () => {
      while (!stop) {
        const n = seq++;
        sentTotal++;
        const res = await fetch(`${s.base}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(report(n)) }).catch(() => undefined);
        if (res?.status === 200) { await res.arrayBuffer(); acked.add(`ack-${n}.example.com`); }
      }
    };
    const posters = Array.from({ length: 6 }, poster);
    await new Promise((r) => setTimeout(r, 100 + Math.random() * 700));
    await kill9(s);
    stop = true;
    await Promise.all(posters);
  }
  const s = await serve(storeFile, flags);
  try {
    const have = await domains(s.base);
    const lost = [...acked].filter((d) => !have.has(d));
    process.stdout.write(`\n  kill -9 x${TRIALS}: ${acked.size} of ${sentTotal} reports acknowledged, ${lost.length} lost\n`);
    assert.ok(acked.size > TRIALS, 'the stream was acknowledged between kills');
    assert.equal(lost, []);
  } finally {
    await kill9(s);
  }
});

test('a torn log tail: the intact records are kept, the cut bytes counted in /metrics', async () => {
  const storeFile = join(tmp, 'torn.json');
  let s = await serve(storeFile);
  try {
    for (let i = 0; i < 5; i++) assert.is((await fetch(`${s.base}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(report(100_000 + i)) })).status, 200);
    await kill9(s);
    const segs = readdirSync(tmp).filter((f) => f.startsWith('torn.json.wal.')).sort((a, b) => Number(a.split('.').pop()) - Number(b.split('.').pop()));
    appendFileSync(join(tmp, segs.at(-1)!), Buffer.from([0x40, 0, 0, 0, 1, 2, 3]));   // a frame header promising 64 bytes, then the crash
    s = await serve(storeFile);
    const have = await domains(s.base);
    for (let i = 0; i < 5; i++) assert.ok(have.has(`ack-${100_000 + i}.example.com`));
    const metrics = await (await fetch(`${s.metrics}/metrics`)).text();
    assert.match(metrics, /^netmapper_store_wal_torn_bytes_total 7$/m);
  } finally {
    await kill9(s);
  }
});

test.run();
