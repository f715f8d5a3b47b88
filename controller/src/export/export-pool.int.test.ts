// Health and ingest never wait for exports: the heavy export routes run in a worker thread with a
// heap cap and a time cap, answers are cached per store revision, and while the largest export runs
// the controller keeps acknowledging reports and answering /healthz.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { suiteNeeds } from '../../../fixtures/test-support/needs.ts';
import { parseConfig } from '../config.ts';
import { startController, type RunningController } from '../main.ts';
import { createExportPool } from './export-pool.ts';
import { createIntentStore } from '../store/intent-store.ts';
suiteNeeds('export worker', []);

const CLUSTER = fileURLToPath(new URL('../resolve/testdata/shop.cluster.yaml', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'nm-export-pool-'));
const T = '2026-11-21T10:00:00.000Z';

/** `n` intents over `n / 20` clients in 10 namespaces: a graph Graphviz needs real time for. */
function bigStore(n: number): string {
  const intents = Array.from({ length: n }, (_, i) => ({
    client: { name: `client-${i % Math.max(1, Math.floor(n / 20))}`, namespace: `ns-${i % 10}`, kind: 'Deployment' },
    server: { name: `server-${i}`, namespace: `ns-${(i * 7) % 10}`, kind: 'Deployment' },
    type: 'plain', firstSeen: T, lastSeen: T, count: 1, sources: ['tcp'],
  }));
  const file = join(dir, `store-${n}.json`);
  writeFileSync(file, JSON.stringify({ version: 1, savedAt: T, intents }));
  return file;
}

async function start(storeFile: string, extra: string[] = []): Promise<{ ctl: RunningController; base: string }> {
  const cfg = { ...parseConfig(['--cluster-snapshot', CLUSTER, '--auth', 'none', '--store-file', storeFile, '--bind-address', '127.0.0.1', '--log-level', 'error', ...extra], {}, false), port: 0, metricsPort: 0 };
  const ctl = await startController(cfg);
  return { ctl, base: `http://127.0.0.1:${ctl.port}` };
}

const report = (i: number) => JSON.stringify({ version: 1, node: 'n', sentAt: new Date().toISOString(), records: [
  { source: 'dns', srcIp: '10.244.0.10', destination: `x${i}.example.com`, destinationIp: '198.51.100.7', ttl: 30, lastSeen: new Date().toISOString(), count: 1 }] });

// The largest map an image is drawn for (graph-limits.ts: 300 nodes): 200 intents are 200 servers + 100 clients (10 per namespace).
const LARGEST_DRAWABLE = 200;

test('while the largest export runs, reports are acknowledged and /healthz answers', async () => {
  const { ctl, base } = await start(bigStore(LARGEST_DRAWABLE));
  try {
    let exporting = true;
    const exp = (async () => {
      const res = await fetch(`${base}/api/v1/graph.svg`);
      const body = await res.text();
      exporting = false;
      return { status: res.status, body };
    })();
    let health = 0, acked = 0, maxHealthMs = 0, i = 0;
    while (exporting) {
      const t0 = performance.now();
      const h = await fetch(`${base}/healthz`);
      await h.arrayBuffer();
      maxHealthMs = Math.max(maxHealthMs, performance.now() - t0);
      if (exporting && h.status === 200) health++;
      const r = await fetch(`${base}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: report(i++) });
      await r.arrayBuffer();
      if (exporting && r.status === 200) acked++;
      await new Promise((res) => setTimeout(res, 10));
    }
    const { status, body } = await exp;
    process.stdout.write(`\n  during one graph.svg of ${LARGEST_DRAWABLE} intents: ${health} /healthz and ${acked} reports answered, slowest /healthz ${Math.round(maxHealthMs)} ms\n`);
    assert.is(status, 200, body.slice(0, 300));
    assert.match(body, /<svg/);
    assert.ok(health >= 3, `${health} /healthz answered during the export`);
    assert.ok(acked >= 3, `${acked} reports acknowledged during the export`);
  } finally {
    await ctl.close();
  }
});

test('a render past its time cap is stopped (503 naming the cap); the next export works', async () => {
  const { ctl, base } = await start(bigStore(3000), ['--export-timeout', '100ms']);
  try {
    const res = await fetch(`${base}/api/v1/graph.png`);
    assert.is(res.status, 503);
    const { error } = await res.json() as { error: { code: string; message: string } };
    assert.is(error.code, 'export-timeout');
    assert.match(error.message, /--export-timeout/);
  } finally {
    await ctl.close();
  }
  const again = await start(bigStore(20), ['--export-timeout', '60s']);
  try {
    const res = await fetch(`${again.base}/api/v1/list`);
    assert.is(res.status, 200);
    assert.match(await res.text(), /client-0 in namespace ns-0 calls/);
  } finally {
    await again.ctl.close();
  }
});

test('an export needing more than the heap cap kills only the worker: 503 export-out-of-memory, the pool recovers', async () => {
  const store = createIntentStore({ maxIntents: 1e6 });
  for (let i = 0; i < 60_000; i++) store.add({ client: { name: `c${i % 500}`, namespace: `ns-${i % 10}`, kind: 'Deployment', labels: { app: 'x'.repeat(200) } }, server: { name: `s${i}`, namespace: 'ns-0', kind: 'Deployment' }, type: 'plain', lastSeen: Date.parse(T), count: 1, source: 'tcp' });
  const pool = createExportPool({ store, maxHeapMb: 32, timeoutMs: 120_000 });
  try {
    const res = await pool.answer('http://x/api/v1/clientintents?format=yaml');
    assert.is(res.status, 503);
    assert.is(((await res.json()) as { error: { code: string } }).error.code, 'export-out-of-memory');
  } catch (err) {
    assert.is((err as { code?: string }).code, 'export-out-of-memory');
  }
  const small = createIntentStore();
  small.add({ client: { name: 'web', namespace: 'a', kind: 'Deployment' }, server: { name: 'db', namespace: 'a', kind: 'Deployment' }, type: 'plain', lastSeen: Date.parse(T), count: 1, source: 'tcp' });
  const pool2 = createExportPool({ store: small, maxHeapMb: 64, timeoutMs: 60_000 });
  try {
    const first = await (await pool2.answer('http://x/api/v1/list')).text();   // cached once it was sent whole
    const second = await (await pool2.answer('http://x/api/v1/list')).text();
    assert.is(first, second);
    const st = pool2.stats();
    assert.equal({ renders: st.renders, cacheHits: st.cacheHits, timeouts: st.timeouts, crashes: st.crashes }, { renders: 1, cacheHits: 1, timeouts: 0, crashes: 0 }, 'the same revision and URL is rendered once');
    small.add({ client: { name: 'api', namespace: 'a', kind: 'Deployment' }, server: { name: 'db', namespace: 'a', kind: 'Deployment' }, type: 'plain', lastSeen: Date.parse(T), count: 1, source: 'tcp' });
    assert.match(await (await pool2.answer('http://x/api/v1/list')).text(), /api in namespace a calls/, 'a new revision is rendered again');
  } finally {
    await pool.close();
    await pool2.close();
  }
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test('the worker\'s copy follows the store by deltas: adds, merges, expiry and a reset all show in the next export', async () => {
  let nowMs = Date.parse(T) + 60_000;
  const store = createIntentStore({ now: () => new Date(nowMs) });
  const add = (client: string, server: string, lastSeen: number) =>
    store.add({ client: { name: client, namespace: 'a', kind: 'Deployment' }, server: { name: server, namespace: 'a', kind: 'Deployment' }, type: 'plain', lastSeen, count: 1, source: 'tcp' });
  for (let i = 0; i < 50; i++) add(`c${i % 5}`, `s${i}`, Date.parse(T) + i * 1000);
  const pool = createExportPool({ store, maxHeapMb: 64, timeoutMs: 60_000 });
  const exported = async () => ((await (await pool.answer('http://x/api/v1/intents')).json()) as { intents: unknown[] }).intents;
  const inProcess = () => JSON.parse(JSON.stringify(store.query())) as unknown[];
  try {
    assert.equal(await exported(), inProcess(), 'the first (full) copy');
    add('c0', 's1', Date.parse(T) + 59_000);      // a merge
    add('late', 's99', Date.parse(T) + 59_000);   // a new intent
    assert.equal(await exported(), inProcess(), 'after a merge and an add');
    nowMs += 10_000;
    assert.ok(store.expire(40_000).removed > 0, 'expiry removed some');
    assert.equal(await exported(), inProcess(), 'after expiry');
    store.reset();
    add('fresh', 'db', Date.parse(T));
    assert.equal(await exported(), inProcess(), 'after a reset');
    assert.is((await exported()).length, 1);
  } finally {
    await pool.close();
  }
});

test.run();
