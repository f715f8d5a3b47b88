// A full disk, for real: `netmapper serve --store-file` on a 2 MiB tmpfs that a filler file then fills.
// While the store cannot persist, no report is acknowledged (503 naming the store file and the error),
// /readyz fails (the kubelet's readiness probe takes the pod out of the Service), /healthz says
// `degraded`, and netmapper_store_writable is 0; once space is freed the store writes a snapshot by
// itself, /readyz passes again, reports are acknowledged, and a kill -9 loses none of the acknowledged ones.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ensureBuilt, REPO } from '../../../fixtures/test-support/built.ts';
import { suiteNeeds } from '../../../fixtures/test-support/needs.ts';
import { freePort } from '../../../fixtures/test-support/ports.ts';
suiteNeeds('store on a full disk (tmpfs)', ['root']);

const BIN = join(REPO, 'dist', 'netmapper.js');
const SNAPSHOT = join(REPO, 'dist', 'fixtures', 'online-boutique', 'cluster.json');
const CLIENT_IP = '10.244.1.6';   // cartservice in the bundled Online Boutique snapshot
const tmp = mkdtempSync(join(tmpdir(), 'nm-diskfull-'));
const mnt = join(tmp, 'mnt');
let mounted = false;

interface Served { proc: ChildProcess; base: string; metrics: string; stderr: () => string }

async function serve(storeFile: string): Promise<Served> {
  const port = await freePort();
  const metricsPort = await freePort();
  const proc = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--metrics-port', String(metricsPort), '--bind-address', '127.0.0.1',
    '--cluster-snapshot', SNAPSHOT, '--store-file', storeFile, '--auth', 'none', '--log-level', 'info'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d) => { err += d; });
  const base = `http://127.0.0.1:${port}`;
  const end = Date.now() + 60_000;
  while ((await fetch(`${base}/readyz`).catch(() => undefined))?.status !== 200) {
    if (proc.exitCode !== null || Date.now() > end) throw new Error(`netmapper serve not ready: ${err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { proc, base, metrics: `http://127.0.0.1:${metricsPort}`, stderr: () => err };
}

const kill9 = (s: Served) => new Promise<void>((resolve) => {
  if (s.proc.exitCode !== null || s.proc.signalCode !== null) { resolve(); return; }
  s.proc.once('exit', () => resolve());
  s.proc.kill('SIGKILL');
});

const report = (seq: number) => ({
  version: 1, node: 'disk-full-test', sentAt: new Date().toISOString(),
  records: [{ source: 'dns', srcIp: CLIENT_IP, destination: `full-${seq}.example.com`, destinationIp: `198.51.100.${seq % 250 + 1}`, ttl: 30, lastSeen: new Date().toISOString(), count: 1 }],
});
const post = (s: Served, seq: number) => fetch(`${s.base}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(report(seq)) });
const metric = async (s: Served, name: string) => Number(/^(\S+) (\S+)$/m.exec((await (await fetch(`${s.metrics}/metrics`)).text()).split('\n').find((l) => l.startsWith(`${name} `)) ?? '')?.[2]);

test.before(() => {
  ensureBuilt();
  mkdirSync(mnt);
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mnt], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mount tmpfs: ${r.stderr}`);
  mounted = true;
});
test.after(() => {
  if (mounted) spawnSync('umount', ['-l', mnt]);
  rmSync(tmp, { recursive: true, force: true });
});

test('disk full: reports refused (503 naming the store file), /readyz fails, metric 0; space freed: recovers by itself, nothing acknowledged is lost', async () => {
  const storeFile = join(mnt, 'store.json');
  let s = await serve(storeFile);
  const acked = new Set<number>();
  try {
    for (let i = 0; i < 5; i++) { assert.is((await post(s, i)).status, 200); acked.add(i); }
    assert.is(await metric(s, 'netmapper_store_writable'), 1);
    // Fill the disk: the filler takes every free page (write(2) writes what fits, then ENOSPC).
    const filler = join(mnt, 'filler');
    try { writeFileSync(filler, Buffer.alloc(4 * 1024 * 1024, 1)); } catch (err) { assert.is((err as NodeJS.ErrnoException).code, 'ENOSPC'); }
    // The log's last page may still have room for a few frames; past it, every report is refused.
    let seq = 100, refused: Response | undefined;
    for (; seq < 400 && !refused; seq++) {
      const res = await post(s, seq);
      if (res.status === 200) acked.add(seq); else refused = res;
    }
    assert.ok(refused, 'a report was refused once the disk was full');
    assert.is(refused.status, 503);
    const body = await refused.json() as { error: { code: string; message: string } };
    assert.is(body.error.code, 'store-unavailable');
    assert.ok(body.error.message.includes(storeFile), body.error.message);
    assert.match(body.error.message, /ENOSPC|no space/i);
    for (let i = 0; i < 3; i++) assert.is((await post(s, 1000 + i)).status, 503, 'every report while the disk is full');
    for (const base of [s.base, s.metrics]) {
      const ready = await fetch(`${base}/readyz`);
      assert.is(ready.status, 503, `${base}/readyz`);
      const rb = await ready.json() as { error: { code: string; file: string } };
      assert.is(rb.error.code, 'store-unavailable');
      assert.is(rb.error.file, storeFile);
      const live = await fetch(`${base}/healthz`);
      assert.is(live.status, 200, 'liveness: a restart frees no disk');
      assert.is((await live.json() as { status: string }).status, 'degraded');
    }
    assert.is(await metric(s, 'netmapper_store_writable'), 0);
    assert.is(await metric(s, 'netmapper_store_write_errors_total'), 1);
    // The store retries every 2 s; while the disk stays full, it stays failed (a partial snapshot is removed, not left to hold space).
    await new Promise((r) => setTimeout(r, 4500));
    assert.is((await fetch(`${s.base}/readyz`)).status, 503, 'still failed while the disk is full');
    assert.is((await post(s, 2000)).status, 503);
    rmSync(filler);
    const end = Date.now() + 15_000;
    while ((await fetch(`${s.base}/readyz`)).status !== 200) {
      assert.ok(Date.now() < end, `not ready 15 s after space was freed: ${s.stderr().slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.is(await metric(s, 'netmapper_store_writable'), 1);
    for (let i = 3000; i < 3005; i++) { assert.is((await post(s, i)).status, 200); acked.add(i); }
    assert.match(s.stderr(), /can persist again/);
    await kill9(s);
    s = await serve(storeFile);
    const got = new Set(((await (await fetch(`${s.base}/api/v1/intents`)).json()) as { intents: Array<{ internet?: { domain?: string } }> }).intents.map((i) => i.internet?.domain));
    const lost = [...acked].filter((n) => !got.has(`full-${n}.example.com`));
    assert.equal(lost, [], 'acknowledged reports lost');
  } finally {
    await kill9(s);
  }
});

test.run();
