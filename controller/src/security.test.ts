// The holes of issue 10, each written as the attack, through the real app, core (snapshot view,
// identity resolver, ingest gate, store) and access checks; TokenReview and SubjectAccessReview
// answered in-process from the shared table (fixtures/test-support/auth-table.ts; the same table
// through the real client-node and a real API-server double: auth/access.int.test.ts). The caller's
// socket address is given per request, as @hono/node-server's connection info would give it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createApp } from './app.ts';
import { createTokenReviewAuth, createUserAccess, GRAPHQL_PATH, READ_PATHS, RESET_PATH, type ReadAuthMode } from './auth/index.ts';
import { snapshotViewFromObjects } from './cluster/snapshot.ts';
import { parseSnapshotText } from './cluster/snapshot-yaml.ts';
import { createCore } from './core.ts';
import { createExportRoutes } from './export/routes.ts';
import { createMetrics } from '../common/metrics.ts';
import { REPORTERS, tableAuthorizer, tableReviewer } from '../../fixtures/test-support/auth-table.ts';

const FILE = fileURLToPath(new URL('./resolve/testdata/shop.cluster.yaml', import.meta.url));
const NOW = new Date('2026-11-21T10:10:00Z');
const AT = '2026-11-21T10:00:00.000Z';
const POD_NET = '10.244.0.99';   // an attacker pod's address: not loopback

function setup(opts: { trustLoopback?: boolean; readAuth?: ReadAuthMode; quota?: number } = {}) {
  const cluster = snapshotViewFromObjects(parseSnapshotText(readFileSync(FILE, 'utf8'), FILE));
  const metrics = createMetrics();
  const { store, ingest } = createCore({ cluster, metrics, config: { minServerAgeMs: 0 }, now: () => NOW, gate: { reporterNewIntents: opts.quota ?? 1000 } });
  const audit: string[] = [];
  const app = createApp({
    ingest, store, cluster, metrics, now: () => NOW, audit: (m) => audit.push(m),
    auth: createTokenReviewAuth({ review: tableReviewer, audience: 'netmapper', identities: REPORTERS }),
    access: createUserAccess({ mode: opts.readAuth ?? 'rbac', trustLoopback: opts.trustLoopback ?? true, review: tableReviewer, authorize: tableAuthorizer }),
    remoteAddress: (c) => (c.env as { peer?: string } | undefined)?.peer,
    exportRoutes: createExportRoutes({ intents: store, now: () => NOW, renderImage: { renderSvg: async () => '<svg/>', renderPng: async () => new Uint8Array(1), renderJpg: async () => new Uint8Array(1) } }),
  });
  const call = (path: string, { method = 'GET', token, peer = POD_NET, body, headers = {} }: { method?: string; token?: string; peer?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    app.request(path, { method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}), ...headers }, ...(body ? { body: JSON.stringify(body) } : {}) }, { peer });
  const report = (token: string | undefined, records: unknown[]) => call('/api/v1/reports', { method: 'POST', token, body: { version: 1, node: 'n', sentAt: AT, records } });
  return { app, store, metrics, audit, call, report };
}
const tcp = (srcIp: string, dst: string, port = 80) => ({ source: 'tcp', srcIp, destination: dst, destinationIp: dst, destinationPort: port, lastSeen: AT, count: 1 });
const dns = (srcIp: string, name: string, ip: string) => ({ source: 'dns', srcIp, destination: name, destinationIp: ip, ttl: 60, lastSeen: AT, count: 1 });
const istio = (src: string, dst: string, path: string) => ({ source: 'istio', srcWorkload: src, srcWorkloadNamespace: 'shop', dstWorkload: dst, dstWorkloadNamespace: 'data', path, methods: ['GET', 'POST'], lastSeen: AT });
const counter = async (m: ReturnType<typeof createMetrics>, re: RegExp) => Number((await m.render()).match(re)?.[1] ?? 0);

test('attack: unauthenticated reset from a pod → 401, the map survives; X-Forwarded-For: 127.0.0.1 does not make it loopback', async () => {
  const { call, report, store, metrics } = setup();
  assert.is((await report('tok-sniffer', [tcp('10.244.0.10', '10.96.0.20')])).status, 200);
  assert.is(store.size(), 1);
  for (const headers of [{}, { 'x-forwarded-for': '127.0.0.1', 'x-real-ip': '127.0.0.1', forwarded: 'for=127.0.0.1' }] as Record<string, string>[]) {
    const res = await call(RESET_PATH, { method: 'POST', headers });
    assert.is(res.status, 401);
    assert.is(res.headers.get('www-authenticate'), 'Bearer realm="netmapper"');
  }
  assert.is((await call(RESET_PATH, { method: 'POST', token: 'tok-alice-viewer' })).status, 403, 'a viewer may not reset');
  assert.is((await call(RESET_PATH, { method: 'POST', token: 'tok-pod-sa' })).status, 403, 'any pod\'s own token may not reset');
  assert.is((await call(RESET_PATH, { method: 'POST', token: 'tok-sniffer' })).status, 401, 'a reporter\'s token is bound to the netmapper audience: not a user token');
  assert.is(store.size(), 1);
  assert.is(await counter(metrics, /^netmapper_access_denied_total\{reason="missing-token"\} (\d+)$/m), 2);
  assert.is(await counter(metrics, /^netmapper_access_denied_total\{reason="forbidden"\} (\d+)$/m), 2);
  assert.is(await counter(metrics, /^netmapper_access_denied_total\{reason="invalid-token"\} (\d+)$/m), 1);
});

test('attack: unauthenticated read of every read path → 401; a pod\'s own service account → 403', async () => {
  const { call } = setup();
  for (const path of READ_PATHS.filter((p) => p !== GRAPHQL_PATH).map((p) => (p === '/api/v1/graph*' ? '/api/v1/graph.svg' : p.replace(/\*$/, 'app.js')))) {
    assert.is((await call(`${path}${path === '/api/v1/intents' ? '?includeAllLabels=true' : ''}`)).status, 401, path);
    assert.is((await call(path, { token: 'tok-pod-sa' })).status, 403, path);
  }
});

test('reset by an admin: logged with who and how many, counted; through port-forward (loopback) too', async () => {
  const { call, report, store, audit, metrics } = setup();
  await report('tok-sniffer', [tcp('10.244.0.10', '10.96.0.20'), dns('10.244.0.10', 'api.stripe.com', '198.51.100.7')]);
  const res = await call(RESET_PATH, { method: 'POST', token: 'tok-bob-admin' });
  assert.equal([res.status, await res.json()], [200, { reset: true, removed: 2 }]);
  assert.is(store.size(), 0);
  assert.is((await call(RESET_PATH, { method: 'POST', peer: '127.0.0.1' })).status, 200);
  assert.is((await call(RESET_PATH, { method: 'POST', peer: '::ffff:127.0.0.1' })).status, 200);
  assert.equal(audit, ['reset by user "bob": removed 2 intents', 'reset by loopback (127.0.0.1): removed 0 intents', 'reset by loopback (::ffff:127.0.0.1): removed 0 intents']);
  assert.is(await counter(metrics, /^netmapper_resets_total\{via="rbac"\} (\d+)$/m), 1);
  assert.is(await counter(metrics, /^netmapper_resets_total\{via="loopback"\} (\d+)$/m), 2);
});

test('--trust-loopback=false: loopback callers need a token like anyone', async () => {
  const { call } = setup({ trustLoopback: false });
  assert.is((await call('/api/v1/list', { peer: '127.0.0.1' })).status, 401);
  assert.is((await call('/api/v1/list', { peer: '::1', token: 'tok-alice-viewer' })).status, 200);
  assert.is((await call('/healthz', { peer: '10.0.0.1' })).status, 200, 'probes stay open');
  assert.is((await call('/readyz', { peer: '10.0.0.1' })).status, 200);
});

test('/metrics is not on the API port (only createMetricsApp serves it)', async () => {
  const { call } = setup();
  assert.is((await call('/metrics', { token: 'tok-bob-admin' })).status, 403, 'not a read path: RBAC grants nobody here');
  assert.is((await call('/metrics', { peer: '127.0.0.1' })).status, 404);
});

test('attack: a report from a non-reporter service account (valid, audience netmapper) → 403, counted; nothing stored', async () => {
  const { report, store, metrics } = setup();
  const res = await report('tok-other-sa', [tcp('10.244.0.10', '10.96.0.20')]);
  assert.is(res.status, 403);
  assert.is(((await res.json()) as { error: { code: string } }).error.code, 'not-a-reporter');
  assert.is((await report('tok-alice-viewer', [])).status, 401, 'a user token without the netmapper audience');
  assert.is((await report(undefined, [])).status, 401);
  assert.is(store.size(), 0);
  assert.is(await counter(metrics, /^netmapper_reports_rejected_total\{reason="not-a-reporter"\} (\d+)$/m), 1);
});

test('each record kind only from its role: a sniffer\'s Istio and Kafka records are skipped and counted, its TCP kept', async () => {
  const { report, store } = setup();
  const res = await report('tok-sniffer', [tcp('10.244.0.10', '10.96.0.20'), istio('web', 'db', '/admin'),
    { source: 'kafka', srcIp: '10.244.0.10', serverPodName: 'db-0', serverNamespace: 'data', topic: 't', operation: 'read', lastSeen: AT }]);
  assert.equal(await res.json(), { accepted: 3, skipped: {}, resolved: 1, unresolved: { 'kind-not-allowed-for-role': 2 } });
  assert.equal(store.query().map((i) => i.type), ['plain']);
  const w = await report('tok-kafka', [tcp('10.244.0.10', '10.96.0.20')]);
  assert.equal((await w.json() as { unresolved: object }).unresolved, { 'kind-not-allowed-for-role': 1 });
});

test('attack: a forged Istio record naming a workload that does not exist never becomes a ClientIntents document', async () => {
  const { report, store, call } = setup();
  const res = await report('tok-istio', [istio('attacker', 'db', '/admin')]);
  const body = await res.json() as { resolved: number; unresolved: Record<string, number> };
  // The Istio resolver finds no pod for `attacker` (istio-no-client-pod); were a resolver ever to name it on
  // trust, the ingest gate would refuse it (workload-not-in-cluster: ingest-gate.test.ts). Either way: counted.
  assert.is(body.resolved, 0);
  assert.equal(Object.values(body.unresolved), [1]);
  assert.is(store.size(), 0);
  const yaml = await (await call('/api/v1/clientintents', { token: 'tok-alice-viewer' })).text();
  assert.not.match(yaml, /attacker|\/admin/);
});

test('attack: a newline-spoofed DNS name is refused at ingest (counted); list stays one entry per line', async () => {
  const { report, call } = setup();
  const res = await report('tok-sniffer', [dns('10.244.0.10', 'a\nb.example.net', '198.51.100.7'), dns('10.244.0.10', 'x\u2028y.example.net', '198.51.100.8'),
    dns('10.244.0.10', 'ok.example.net', '198.51.100.9')]);
  assert.equal(await res.json(), { accepted: 1, skipped: { 'bad-destination': 2 }, resolved: 1, unresolved: {} });
  assert.is(await (await call('/api/v1/list', { peer: '127.0.0.1' })).text(), 'web in namespace shop calls:\n  - ok.example.net (Internet)\n');
});

test('attack: one reporter floods the store with new intents → bounded and counted; another reporter still adds, merges stay free', async () => {
  const { report, store, metrics } = setup({ quota: 5 });
  const flood = Array.from({ length: 20 }, (_, i) => dns('10.244.0.10', `x${i}.flood.example`, `198.51.100.${i + 1}`));
  const res = await report('tok-sniffer', flood);
  assert.equal((await res.json() as { unresolved: object }).unresolved, { 'reporter-quota': 15 });
  assert.is(store.size(), 5);
  const again = await report('tok-sniffer', flood.slice(0, 5));
  assert.equal((await again.json() as { resolved: number }).resolved, 5, 'records for intents already stored still merge');
  const other = await report('tok-kafka', [{ source: 'kafka', srcIp: '10.244.0.10', serverPodName: 'db-0', serverNamespace: 'data', topic: 't', operation: 'read', lastSeen: AT }]);
  assert.is((await other.json() as { resolved: number }).resolved, 1);
  assert.is(await counter(metrics, /^netmapper_records_unresolved_total\{reason="reporter-quota"\} (\d+)$/m), 15);
});

test('GraphQL /query: each operation checked as its REST route; resetCapture audited; report mutations keep the role rule', async () => {
  const { call, store, audit, report, metrics } = setup();
  const gql = (query: string, token?: string, variables?: object) => call('/query', { method: 'POST', token, body: { query, ...(variables ? { variables } : {}) } });
  assert.equal(await Promise.all([gql('{ health }'), gql('{ health }', 'bad'), gql('{ health }', 'tok-pod-sa'), gql('{ health }', 'tok-alice-viewer')]).then((rs) => rs.map((r) => r.status)), [401, 401, 403, 200]);
  await report('tok-sniffer', [tcp('10.244.0.10', '10.96.0.20')]);
  assert.is((await gql('mutation { resetCapture }', 'tok-alice-viewer')).status, 403);
  assert.is(store.size(), 1);
  assert.is((await gql('mutation { resetCapture }', 'tok-bob-admin')).status, 200);
  assert.is(store.size(), 0);
  assert.equal(audit, ['reset (GraphQL resetCapture) by user "bob": removed 1 intents']);
  const istio = 'mutation($r: IstioConnectionResults!) { reportIstioConnectionResults(results: $r) }';
  const r = { r: { results: [{ srcWorkload: 'web', srcWorkloadNamespace: 'shop', dstWorkload: 'db', dstServiceName: 'db', dstWorkloadNamespace: 'data', path: '/admin', methods: ['GET'], lastSeen: AT }] } };
  assert.is((await gql(istio, undefined, r)).status, 401, 'a report mutation needs a reporter token, from anywhere');
  assert.is((await gql(istio, 'tok-other-sa', r)).status, 403);
  const ok = await gql(istio, 'tok-sniffer', r);
  assert.equal([ok.status, await ok.json()], [200, { data: { reportIstioConnectionResults: true } }]);
  assert.is(store.size(), 0);
  assert.is(await counter(metrics, /^netmapper_records_unresolved_total\{reason="kind-not-allowed-for-role"\} (\d+)$/m), 1, 'the sniffer may not send HTTP records, through GraphQL either');
});

test.run();
