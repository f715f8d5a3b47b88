// The HTTP API through `app.request()` (no port), over the real snapshot view, identity resolver,
// ingest and store. Auth through the token-file verifier (its file read injected).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createApp } from './app.ts';
import { validateReportAccepted } from '../contract/validate.ts';
import { createTokenFileAuth } from './auth/token-file.ts';
import type { Authenticator } from './auth/types.ts';
import { snapshotViewFromObjects } from './cluster/snapshot.ts';
import { parseSnapshotText } from './cluster/snapshot-yaml.ts';
import { AuthUnavailableError } from '../common/errors.ts';
import { createIdentityResolver } from './identity/index.ts';
import { createIngest, type Ingest } from './ingest.ts';
import { createMetrics } from '../common/metrics.ts';
import { createIntentStore } from './store/intent-store.ts';
import type { StoreHealth } from './store/durable-store.ts';
import { genqlientBody, reportMutation } from './graphql/testing/otterize-documents.ts';

const FILE = fileURLToPath(new URL('./resolve/testdata/shop.cluster.yaml', import.meta.url));
const NOW = new Date('2026-11-21T10:10:00Z');
const TOKEN = 'sniffer-token-1';

async function setup(opts: { auth?: Authenticator; synced?: boolean; bodyLimit?: number; exportRoutes?: Hono; maxConcurrentReports?: number; ingest?: (real: Ingest) => Ingest; sliceMs?: number; storeHealth?: () => StoreHealth } = {}) {
  const view = snapshotViewFromObjects(parseSnapshotText(readFileSync(FILE, 'utf8'), FILE));
  const cluster = { ...view, isSynced: () => opts.synced ?? true };
  const store = createIntentStore();
  const metrics = createMetrics();
  const real = createIngest({ cluster: view, identity: createIdentityResolver(view), store, metrics, config: { clusterDomain: 'cluster.local', minServerAgeMs: 300_000 }, now: () => NOW, ...(opts.sliceMs !== undefined ? { sliceMs: opts.sliceMs } : {}) });
  const ingest = opts.ingest ? opts.ingest(real) : real;
  const auth = opts.auth ?? await createTokenFileAuth({ file: '/etc/netmapper/tokens', read: async () => `# sniffers\n${TOKEN}\n\nother-token\n` });
  const logs: string[] = [];
  // Callers on loopback (as through kubectl port-forward): reads and reset are trusted; auth/*.test.ts test the rest.
  const app = createApp({ ingest, store, cluster, auth, metrics, now: () => NOW, bodyLimit: opts.bodyLimit, maxConcurrentReports: opts.maxConcurrentReports, exportRoutes: opts.exportRoutes, storeHealth: opts.storeHealth, log: (m) => logs.push(m), remoteAddress: () => '127.0.0.1' });
  return { app, store, metrics, logs };
}

const rec = (over: Record<string, unknown> = {}) => ({ source: 'tcp', srcIp: '10.244.0.10', destination: '10.96.0.20', destinationIp: '10.96.0.20', destinationPort: 80, lastSeen: '2026-11-21T10:00:00.000Z', count: 1, ...over });
const report = (records: unknown[]) => ({ version: 1, node: 'node-1', sentAt: '2026-11-21T10:00:01.000Z', records });
const post = (app: Hono, body: unknown, headers: Record<string, string> = {}) => app.request('/api/v1/reports', {
  method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body),
  headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, ...headers },
});

test('POST /api/v1/reports: accepted, resolved and stored; counts in the answer and in /metrics', async () => {
  const { app, store, metrics } = await setup();
  const res = await post(app, report([rec(), rec({ srcIp: '10.9.9.9' }), { source: 'dns', srcIp: '10.244.0.10', destination: 'API.Stripe.com.', destinationIp: '198.51.100.7', ttl: 60, lastSeen: '2026-11-21T10:00:00Z', count: 2 }]));
  assert.is(res.status, 200);
  const body = await res.json();
  assert.equal(body, { accepted: 3, skipped: {}, resolved: 2, unresolved: { 'no-client-pod': 1 } });
  assert.ok(validateReportAccepted(body), 'the answer is the contract\'s ReportAccepted');
  assert.equal(store.query().map((i) => i.server?.name ?? i.internet?.domain), ['cart', 'api.stripe.com']);
  const m = await metrics.render();
  assert.match(m, /^netmapper_reports_received_total 1$/m);
  assert.match(m, /^netmapper_records_resolved_total\{source="tcp"\} 1$/m);
  assert.match(m, /^netmapper_records_unresolved_total\{reason="no-client-pod"\} 1$/m);
  assert.match(m, /^netmapper_intents_stored 2$/m);
});

test('a bad envelope → 400 naming the field, nothing applied; a bad record alone is skipped and counted', async () => {
  const { app, store, metrics } = await setup();
  const cases: Array<[unknown, string, RegExp]> = [
    [{ ...report([rec()]), version: 2 }, 'version', /must be 1/],
    [{ version: 1, node: 'n', sentAt: '2026-11-21T10:00:00Z' }, 'records', /required/],
    [{ ...report([rec()]), node: '' }, 'node', /empty/],
    [{ ...report([rec()]), sentAt: 'yesterday' }, 'sentAt', /RFC 3339/],
    [[1, 2], '$', /JSON object/],
  ];
  for (const [body, field, msg] of cases) {
    const res = await post(app, body);
    assert.is(res.status, 400, field);
    const { error } = await res.json() as { error: { code: string; field: string; message: string } };
    assert.is(error.code, 'invalid-report');
    assert.is(error.field, field);
    assert.match(error.message, msg);
  }
  assert.is(store.size(), 0, 'nothing of a refused report was applied');
  const notJson = await post(app, '{"version":1,');
  assert.is(notJson.status, 400);
  assert.is(((await notJson.json()) as { error: { code: string } }).error.code, 'bad-json');
  assert.is((await post(app, report([]), { 'content-type': 'text/plain' })).status, 415);
  assert.is(metrics.counter('netmapper_reports_rejected_total', '').get({ reason: 'invalid-report' }), cases.length);

  // DESIGN "validation is per record": the good record is kept, each bad one skipped by reason.
  const mixed = await post(app, report([
    rec(), rec({ srcIp: '10.244.0.999' }), rec({ destinationPort: 70000 }), rec({ lastSeen: 'yesterday' }),
    rec({ count: 0 }), rec({ source: 'udp' }), 'x', { ...rec(), destinationPort: undefined },
  ]));
  assert.is(mixed.status, 200);
  assert.equal(await mixed.json(), {
    accepted: 1, resolved: 1, unresolved: {},
    skipped: { 'bad-srcIp': 1, 'bad-destinationPort': 2, 'bad-lastSeen': 1, 'bad-count': 1, 'unknown-source': 1, 'not-an-object': 1 },
  });
  assert.is(store.size(), 1);
  assert.match(await metrics.render(), /^netmapper_records_skipped_total\{reason="bad-destinationPort"\} 2$/m);
});

test('body-size limit → 413, with or without content-length, nothing applied', async () => {
  const { app, store } = await setup({ bodyLimit: 2000 });
  const big = report(Array.from({ length: 40 }, () => rec()));
  const res = await post(app, big);
  assert.is(res.status, 413);
  assert.is(((await res.json()) as { error: { code: string } }).error.code, 'too-large');
  const text = JSON.stringify(big);
  const stream = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode(text.slice(0, 1500))); c.enqueue(new TextEncoder().encode(text.slice(1500))); c.close(); } });
  const chunked = await app.request('/api/v1/reports', { method: 'POST', body: stream, duplex: 'half', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, 'transfer-encoding': 'chunked' } } as RequestInit);
  assert.is(chunked.status, 413);
  assert.is(store.size(), 0);
  assert.is((await post(app, report([rec()]))).status, 200, 'a small body still passes');
});

test('auth: missing or wrong bearer token → 401 with WWW-Authenticate; back end down → 503', async () => {
  const { app, store } = await setup();
  const none = await app.request('/api/v1/reports', { method: 'POST', body: JSON.stringify(report([rec()])), headers: { 'content-type': 'application/json' } });
  assert.is(none.status, 401);
  assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/);
  assert.is((await post(app, report([rec()]), { authorization: 'Bearer nope' })).status, 401);
  assert.is((await post(app, report([rec()]), { authorization: `Basic ${TOKEN}` })).status, 401);
  assert.is((await post(app, report([rec()]), { authorization: 'Bearer other-token' })).status, 200);
  assert.is(store.size(), 1);
  const down = await setup({ auth: { mode: 'tokenreview', verify: async () => { throw new AuthUnavailableError('TokenReview failed: connect ECONNREFUSED'); } } });
  const res = await post(down.app, report([rec()]));
  assert.is(res.status, 503);
  assert.is(((await res.json()) as { error: { code: string } }).error.code, 'auth-unavailable');
});

test('GET /api/v1/intents: filters and label options as query parameters', async () => {
  const { app } = await setup();
  await post(app, report([rec(), rec({ srcIp: '10.244.0.40', destination: '10.244.0.30', destinationIp: '10.244.0.30' }),
    { source: 'dns', srcIp: '10.244.0.10', destination: 'api.stripe.com', destinationIp: '198.51.100.7', lastSeen: '2026-11-21T10:00:00Z', count: 1 }]));
  const get = async (qs: string) => {
    const res = await app.request(`/api/v1/intents${qs}`);
    assert.is(res.status, 200, qs);
    return ((await res.json()) as { intents: Array<{ client: { name: string; labels?: object }; server?: { name: string }; internet?: { domain: string } }> }).intents;
  };
  const names = (l: Awaited<ReturnType<typeof get>>) => l.map((i) => `${i.client.name}>${i.server?.name ?? i.internet?.domain}`);
  assert.equal(names(await get('')), ['report>db', 'web>cart', 'web>api.stripe.com']);
  assert.equal(names(await get('?excludeInternet=true')), ['report>db', 'web>cart']);
  assert.equal(names(await get('?namespaces=data,nope')), []);
  assert.equal(names(await get('?namespaces=data&namespaces=shop')).length, 3);
  assert.equal(names(await get('?server=cart.shop')), ['web>cart', 'web>api.stripe.com']);
  assert.equal(names(await get('?since=2026-11-21T10:00:00.001Z')), []);
  assert.equal(names(await get('?since=15m')).length, 3);
  assert.equal(names(await get('?excludeLabels=app=web')), ['report>db']);
  const [, web] = await get('?includeLabels=tier');
  assert.equal(web.client.labels, { tier: 'front' });
  assert.is((await get(''))[1].client.labels, undefined);
  assert.equal((await get('?includeAllLabels=true'))[1].client.labels, { app: 'web', tier: 'front' });
});

test('GET /api/v1/intents: a bad parameter → 400 naming it', async () => {
  const { app } = await setup();
  for (const [qs, field] of [['?since=yesterday', 'since'], ['?since=99999999999d', 'since'], ['?since=2024-02-31T00:00:00Z', 'since'], ['?server=cart', 'server'], ['?namespaces=Bad_NS', 'namespaces'], ['?excludeInternet=maybe', 'excludeInternet'], ['?namespace=shop', 'namespace']]) {
    const res = await app.request(`/api/v1/intents${qs}`);
    assert.is(res.status, 400, qs);
    const { error } = await res.json() as { error: { code: string; field: string } };
    assert.equal([error.code, error.field], ['invalid-query', field]);
  }
});

test('hostile records among good ones (TTL 2^31, a root-owned name, 31 February): 200, the good ones stored, the rest counted', async () => {
  const { app, store } = await setup();
  const good = { source: 'dns', srcIp: '10.244.0.10', destination: 'api.stripe.com', destinationIp: '198.51.100.7', ttl: 60, lastSeen: '2026-11-21T10:00:00Z', count: 1 };
  const res = await post(app, report([rec(), { ...good, ttl: 2 ** 31 }, { ...good, destination: '' }, { ...rec(), lastSeen: '2024-02-31T00:00:00Z' }, good]));
  assert.is(res.status, 200);
  const body = await res.json() as { accepted: number; skipped: Record<string, number> };
  assert.equal(body.skipped, { 'bad-ttl': 1, 'bad-destination': 1, 'bad-lastSeen': 1 });
  assert.equal(store.query().map((i) => i.server?.name ?? i.internet?.domain), ['cart', 'api.stripe.com']);
});

test('POST /api/v1/reset empties the map', async () => {
  const { app, store } = await setup();
  await post(app, report([rec()]));
  const res = await app.request('/api/v1/reset', { method: 'POST' });
  assert.equal(await res.json(), { reset: true, removed: 1 });
  assert.is(store.size(), 0);
});

test('healthz always; readyz only once the cluster view has synced; unknown routes are JSON 404', async () => {
  const cold = await setup({ synced: false });
  assert.is((await cold.app.request('/healthz')).status, 200);
  const r = await cold.app.request('/readyz');
  assert.is(r.status, 503);
  assert.is(((await r.json()) as { error: { code: string } }).error.code, 'not-ready');
  const warm = await setup();
  assert.is((await warm.app.request('/readyz')).status, 200);
  const nf = await warm.app.request('/api/v1/nope');
  assert.is(nf.status, 404);
  assert.is(((await nf.json()) as { error: { code: string } }).error.code, 'not-found');
});

test('export routes are mounted when given', async () => {
  const exportRoutes = new Hono().get('/api/v1/list', (c) => c.text('listed'));
  const { app } = await setup({ exportRoutes });
  const res = await app.request('/api/v1/list');
  assert.is(await res.text(), 'listed');
});

test('past the concurrency bound a report is answered 429 with Retry-After, nothing stored; the slot frees once resolved, before durability', async () => {
  let release!: () => void;
  const held = new Promise<void>((r) => { release = r; });
  let durable!: () => void;
  const commit = new Promise<void>((r) => { durable = r; });
  let calls = 0;
  const { app, store, metrics } = await setup({
    maxConcurrentReports: 1,
    // The first report stops half-way until released; once resolved, it waits for "durability".
    ingest: (real) => async (body, reporter, opts) => {
      if (++calls > 1) return real(body, reporter, opts);
      await held;
      const r = await real(body, reporter);
      opts?.resolved?.();
      await commit;
      return r;
    },
  });
  const first = post(app, report([rec()]));
  await new Promise((r) => setTimeout(r, 10));
  const busy = await post(app, report([rec({ srcIp: '10.244.0.40' })]));
  assert.is(busy.status, 429);
  assert.is(busy.headers.get('retry-after'), '1');
  assert.equal((await busy.json()).error.code, 'busy');
  assert.is(store.size(), 0, 'a 429 stores nothing (it is not an acknowledgement)');
  release();
  await new Promise((r) => setTimeout(r, 10));
  const next = await post(app, report([rec({ srcIp: '10.244.0.40' })]));
  assert.is(next.status, 200, 'the first report is resolved and only waits for durability: its slot is free');
  durable();
  assert.is((await first).status, 200);
  assert.is(store.size(), 2);
  const m = await metrics.render();
  assert.match(m, /^netmapper_reports_deferred_total 1$/m);
  assert.match(m, /^netmapper_reports_accepted_total 2$/m);
  assert.match(m, /^netmapper_reports_in_progress 0$/m);
});

test('a failed report frees its slot (bad JSON, bad envelope, an ingest that throws)', async () => {
  const { app } = await setup({ maxConcurrentReports: 1, ingest: (real) => async (body, reporter, opts) => {
    if ((body as { node?: string }).node === 'boom') throw new Error('boom');
    return real(body, reporter, opts);
  } });
  assert.is((await post(app, '{')).status, 400);
  assert.is((await post(app, { version: 2 })).status, 400);
  assert.is((await post(app, { ...report([rec()]), node: 'boom' })).status, 500);
  assert.is((await post(app, report([rec()]))).status, 200);
});

test('/healthz answers while a large report is being ingested (ingest yields to the event loop between time slices)', async () => {
  let started!: () => void;
  const inIngest = new Promise<void>((r) => { started = r; });
  const { app } = await setup({ sliceMs: 1, ingest: (real) => (body, reporter, opts) => { started(); return real(body, reporter, opts); } });
  const records = Array.from({ length: 40_000 }, (_, i) => rec({ srcIp: i % 2 ? '10.244.0.10' : '10.244.0.40', destinationPort: 1 + i }));
  let reportDone = false;
  const big = Promise.resolve(post(app, report(records))).then((r) => { reportDone = true; return r; });
  await inIngest;
  // A turn of the event loop (as a probe's connection would need) comes while the report is still going.
  await new Promise((r) => setImmediate(r));
  assert.not.ok(reportDone, 'the event loop had a turn before the report was done');
  const health = await app.request('/healthz');
  assert.is(health.status, 200);
  assert.not.ok(reportDone, '/healthz answered before the large report finished');
  const res = await big;
  assert.is(res.status, 200);
  assert.is((await res.json()).resolved, 40_000);
});

test('over a real socket, senders past the bound get a clean 429 (the body is read first), never a cut connection', async () => {
  const { serve } = await import('@hono/node-server');
  const { app } = await setup({ maxConcurrentReports: 1, ingest: (real) => async (body, reporter, opts) => {
    await new Promise((r) => setTimeout(r, 30));
    return real(body, reporter, opts);
  } });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  try {
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/v1/reports`;
    const body = JSON.stringify({ ...report([rec()]), pad: 'x'.repeat(1_000_000) });
    const seen: Record<string, number> = {};
    await Promise.all(Array.from({ length: 8 }, async () => {
      for (let i = 0; i < 3; i++) {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body })
          .catch((e: Error & { cause?: { code?: string } }) => e.cause?.code ?? e.message);
        const k = typeof res === 'string' ? res : String(res.status);
        if (typeof res !== 'string') await res.text();
        seen[k] = (seen[k] ?? 0) + 1;
      }
    }));
    assert.equal(Object.keys(seen).sort(), ['200', '429'], JSON.stringify(seen));
  } finally {
    server.close();
  }
});


test('while the store cannot persist, a report is refused with 503 and Retry-After before anything is taken in', async () => {
  let health: StoreHealth = { ok: false, file: '/data/store.json', error: 'ENOSPC: no space left on device', since: '2026-11-21T10:05:00.000Z' };
  const { app, store } = await setup({ storeHealth: () => health });
  const res = await post(app, report([rec()]));
  assert.is(res.status, 503);
  assert.is(res.headers.get('retry-after'), '1');
  const body = (await res.json()) as { error: { code: string; message: string } };
  assert.is(body.error.code, 'store-unavailable');
  assert.match(body.error.message, /\/data\/store\.json .*ENOSPC/);
  assert.is(store.size(), 0, 'nothing stored in memory either');
  health = { ok: true, file: '/data/store.json' };
  assert.is((await post(app, report([rec()]))).status, 200);
  assert.is(store.size(), 1);
});


test('GraphQL report mutations share the concurrency bound: they wait for a slot (Otterize clients do not retry a 429), then are stored', async () => {
  let release!: () => void;
  const held = new Promise<void>((r) => { release = r; });
  let calls = 0;
  const { app, store } = await setup({
    maxConcurrentReports: 1,
    ingest: (real) => async (body, reporter, opts) => {
      if (++calls === 1) await held;   // the first (REST) report holds the only slot until released
      return real(body, reporter, opts);
    },
  });
  const first = post(app, report([rec()]));
  await new Promise((r) => setTimeout(r, 10));
  const tcpMutation = genqlientBody('reportTCPCaptureResults', reportMutation('reportTCPCaptureResults', 'CaptureTCPResults'),
    { results: { results: [{ srcIp: '10.244.0.40', srcHostname: '', destinations: [{ destination: '10.244.0.30', destinationIP: '10.244.0.30', destinationPort: 5432, TTL: null, lastSeen: '2026-11-21T10:00:00Z', srcPorts: [40001] }] }] } });
  let gqlDone = false;
  const viaGql = Promise.resolve(app.request('/query', { method: 'POST', body: tcpMutation, headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` } }))
    .then((r: Response) => { gqlDone = true; return r; });
  await new Promise((r) => setTimeout(r, 30));
  assert.is(calls, 1, 'the mutation waits for the slot: its ingest has not started');
  assert.is(gqlDone, false);
  release();
  assert.is((await first).status, 200);
  const res = await viaGql;
  assert.is(res.status, 200);
  assert.equal(await res.json(), { data: { reportTCPCaptureResults: true } });
  assert.equal(store.query().map((i) => `${i.client.name}>${i.server?.name}`).sort(), ['report>db', 'web>cart']);
});

test.run();
