// End to end: the real controller wiring (startController, as main runs it) on ephemeral loopback
// ports, the real client-node informers against the list/watch test server, and sniffer-shaped
// reports over HTTP. Then the built process (dist/controller.js): bad flag → exit 2; SIGTERM → store saved, exit 0.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAllDocuments } from 'yaml';
import { ensureBuilt } from '../../fixtures/test-support/built.ts';
import { createFakeApiServer } from '../../fixtures/test-support/fake-apiserver.ts';
import { waitFor, withTimeout } from '../../fixtures/test-support/wait.ts';
import { parseConfig } from './config.ts';
import { startController, type RunningController } from './main.ts';
import { suiteNeeds } from '../../fixtures/test-support/needs.ts';
import { freePort } from '../../fixtures/test-support/ports.ts';
suiteNeeds('controller process', []);

const CLUSTER_FILE = fileURLToPath(new URL('./resolve/testdata/shop.cluster.yaml', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const objects = parseAllDocuments(readFileSync(CLUSTER_FILE, 'utf8')).map((d) => d.toJS()).filter(Boolean);
const dir = mkdtempSync(join(tmpdir(), 'nm-e2e-'));
const TOKEN = 'e2e-sniffer-token';
writeFileSync(join(dir, 'tokens'), `${TOKEN}\n`);

const sniffed = (records: unknown[]) => ({ version: 1, node: 'node-1', sentAt: new Date().toISOString(), records });
const tcp = (srcIp: string, dst: string, port: number) => ({ source: 'tcp', srcIp, destination: dst, destinationIp: dst, destinationPort: port, lastSeen: new Date().toISOString(), count: 1 });
const dns = (srcIp: string, name: string, ip: string) => ({ source: 'dns', srcIp, destination: name, destinationIp: ip, ttl: 30, lastSeen: new Date().toISOString(), count: 1 });

async function post(base: string, body: unknown, token = TOKEN) {
  const res = await withTimeout(fetch(`${base}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) }), 5000, 'POST report');
  return { status: res.status, body: await res.json() as Record<string, unknown> };
}
async function intents(base: string, qs = '') {
  const res = await withTimeout(fetch(`${base}/api/v1/intents${qs}`), 5000, 'GET intents');
  return ((await res.json()) as { intents: Array<{ client: { name: string }; server?: { name: string; kubernetesService?: string }; internet?: { domain?: string } }> }).intents
    .map((i) => `${i.client.name}>${i.server?.name ?? i.internet?.domain}`);
}
/** Generous: a cold start on two cores shared with other work once took over 10 s here. */
const READY_TIMEOUT_MS = 60_000;

async function waitReady(base: string) {
  const end = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const res = await fetch(`${base}/readyz`).catch(() => undefined);
    if (res?.status === 200) return;
    if (Date.now() > end) throw new Error(`timed out after ${READY_TIMEOUT_MS} ms waiting for ${base}/readyz`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('informers over the list/watch server; a sniffer report over loopback; a pod added later resolves; store survives a restart', async () => {
  const api = createFakeApiServer({ bookmarkIntervalMs: 1000 });
  api.load(objects);
  await api.start();
  const storeFile = join(dir, 'store.json');
  const cfg = { ...parseConfig(['--auth', 'token-file', '--token-file', join(dir, 'tokens'), '--store-file', storeFile, '--bind-address', '127.0.0.1', '--log-level', 'error'], {}, false), port: 0, metricsPort: 0 };
  let ctl: RunningController | undefined;
  try {
    ctl = await startController(cfg, { kubeConfig: api.kubeConfig() });
    const base = `http://127.0.0.1:${ctl.port}`;
    await waitReady(base);
    const res = await post(base, sniffed([dns('10.244.0.10', 'cart.shop.svc.cluster.local', '10.96.0.20'), tcp('10.244.0.10', '10.96.0.20', 80), tcp('10.244.0.40', '10.244.0.30', 5432), dns('10.244.0.10', 'api.stripe.com', '198.51.100.7')]));
    assert.equal(res, { status: 200, body: { accepted: 4, skipped: {}, resolved: 4, unresolved: {} } });
    assert.equal(await intents(base), ['report>db', 'web>cart', 'web>api.stripe.com']);
    assert.is((await post(base, sniffed([]), 'wrong')).status, 401);

    // A pod created now (seen through the watch) is a client once the informer has it.
    api.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'batch-1', namespace: 'shop', creationTimestamp: new Date(Date.now() - 1000).toISOString().replace(/\.\d+Z$/, 'Z') }, status: { phase: 'Running', podIPs: [{ ip: '10.244.7.7' }] } });
    let after: Record<string, unknown> = {};
    await withTimeout((async () => {
      for (;;) {
        after = (await post(base, sniffed([tcp('10.244.7.7', '10.96.0.20', 80)]))).body;
        if (after.resolved === 1) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    })(), 5000, 'the new pod to resolve');
    assert.ok((await intents(base)).includes('batch-1>cart'));
    const metrics = await ctl.metrics.render();   // /metrics is served on the metrics port only (see the process test)
    assert.match(metrics, /^netmapper_intents_stored 4$/m);
    assert.match(metrics, /^netmapper_informer_restarts_total 0$/m);
    await ctl.close();
    ctl = undefined;

    const saved = JSON.parse(readFileSync(storeFile, 'utf8')) as { intents: unknown[] };
    assert.is(saved.intents.length, 4, 'saved at shutdown');
    ctl = await startController(cfg, { kubeConfig: api.kubeConfig() });
    assert.equal(await intents(`http://127.0.0.1:${ctl.port}`), ['batch-1>cart', 'report>db', 'web>cart', 'web>api.stripe.com'], 'loaded at start');
  } finally {
    await ctl?.close();
    await api.close();
  }
});

test('a corrupt store file is set aside and counted; --intent-expiry forgets intents unseen for that long', async () => {
  const storeFile = join(dir, 'corrupt.json');
  writeFileSync(storeFile, '{"version":1,"intents":[{"client":');
  const logs: string[] = [];
  const cfg = { ...parseConfig(['--cluster-snapshot', CLUSTER_FILE, '--store-file', storeFile, '--intent-expiry', '10s', '--bind-address', '127.0.0.1'], {}, false), port: 0, metricsPort: 0 };
  const ctl = await startController(cfg, { log: (level, msg) => logs.push(`${level} ${msg}`) });
  try {
    const base = `http://127.0.0.1:${ctl.port}`;
    assert.ok(logs.some((l) => /^error .*corrupt\.json: cannot load the store snapshot .*moved to .*corrupt\.json\.corrupt-/.test(l)), logs.join('\n'));
    assert.match(await ctl.metrics.render(), /^netmapper_store_snapshot_corrupt_total 1$/m);
    // Times are generous because a loaded CI machine may take seconds to start the export worker:
    // the old intent expires about 1 s after the post, the fresh one 10 s after it. The count right
    // after the post is read in-process, so no export can be slow enough to miss it.
    assert.equal(await intents(base), [], 'empty, and the export worker started');
    const old = new Date(Date.now() - 9000).toISOString();
    await post(base, sniffed([{ ...tcp('10.244.0.10', '10.96.0.20', 80), lastSeen: old }, tcp('10.244.0.40', '10.244.0.30', 5432)]));
    assert.match(await ctl.metrics.render(), /^netmapper_intents_stored 2$/m, 'both stored');
    await waitFor(() => ctl.metrics.counter('netmapper_intents_expired_total', '').get() === 1, 'the older intent to expire', 8000);
    assert.equal(await intents(base), ['report>db']);
  } finally {
    await ctl.close();
  }
});

function runProcess(args: string[], env: Record<string, string> = {}) {
  ensureBuilt();
  const child = spawn(process.execPath, [join(ROOT, 'dist/controller.js'), ...args], { cwd: ROOT, env: { ...process.env, KUBERNETES_SERVICE_HOST: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

test('the process: a bad setting exits 2 naming it', async () => {
  const p = runProcess(['--store-save-interval', 'often']);
  const code = await withTimeout(p.exited, 20_000, 'exit on a bad flag');
  assert.is(code, 2);
  assert.match(p.stderr(), /--store-save-interval: not a duration: "often"/);
  const q = runProcess([], { NETMAPPER_AUTH: 'magic' });
  assert.is(await withTimeout(q.exited, 20_000, 'exit on a bad env var'), 2);
  assert.match(q.stderr(), /--auth: must be tokenreview, token-file or none/);
});

test('the process: serves from a cluster snapshot; SIGTERM saves the store and exits 0', async () => {
  const port = await freePort(), metricsPort = await freePort();
  const storeFile = join(dir, 'proc-store.json');
  const p = runProcess(['--port', String(port), '--bind-address', '127.0.0.1', '--cluster-snapshot', CLUSTER_FILE, '--auth', 'none', '--store-file', storeFile], { NETMAPPER_METRICS_PORT: String(metricsPort) });
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitReady(base);
    const res = await post(base, sniffed([tcp('10.244.0.10', '10.96.0.20', 80)]));
    assert.equal(res.body, { accepted: 1, skipped: {}, resolved: 1, unresolved: {} });
    const m = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    assert.match(m, /^netmapper_reports_received_total 1$/m, '/metrics on the metrics port');
    assert.is((await fetch(`${base}/metrics`)).status, 404, '/metrics only on its own port');
    assert.match(p.stderr(), /SECURITY: --auth none/, 'an open report port is said loudly');
    p.child.kill('SIGTERM');
    assert.is(await withTimeout(p.exited, 10_000, 'exit after SIGTERM'), 0);
    const saved = JSON.parse(readFileSync(storeFile, 'utf8')) as { intents: Array<{ client: { name: string } }> };
    assert.equal(saved.intents.map((i) => i.client.name), ['web']);
  } finally {
    if (p.child.exitCode === null) { p.child.kill('SIGKILL'); await p.exited; }
  }
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
