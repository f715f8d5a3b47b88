// `/query` through the real app (createApp + snapshot view + ingest + store), with `app.request()`:
// Otterize's documents, its status-code contract (422 before execution), access rules and the shapes.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createApp } from '../app.ts';
import { createNoAuth } from '../auth/index.ts';
import { createGraphqlRoutes } from './routes.ts';
import { createTokenFileAuth } from '../auth/token-file.ts';
import { snapshotViewFromObjects } from '../cluster/snapshot.ts';
import { parseSnapshotText } from '../cluster/snapshot-yaml.ts';
import { createIdentityResolver } from '../identity/index.ts';
import { createIngest } from '../ingest.ts';
import { createMetrics } from '../../common/metrics.ts';
import { createIntentStore } from '../store/intent-store.ts';
import { genqlientBody, INTENTS, RESET_CAPTURE, reportMutation, SERVICE_INTENTS_UP_TO_MAPPER_V017, SERVICE_INTENTS_WITH_LABELS } from './testing/otterize-documents.ts';

const FILE = fileURLToPath(new URL('../resolve/testdata/shop.cluster.yaml', import.meta.url));
const NOW = new Date('2026-11-21T10:10:00Z');
const TOKEN = 'sniffer-token-1';
const T = '2026-11-21T10:00:00Z';

/** The shop snapshot; its web and cart pods carry the label Istio's canonical service name comes from. */
function shopObjects() {
  const sourced = parseSnapshotText(readFileSync(FILE, 'utf8'), FILE);
  for (const { object } of sourced) {
    const o = object as { kind?: string; metadata?: { name?: string; labels?: Record<string, string> } };
    const canonical = o.kind === 'Pod' ? { 'web-6d4b-abcde': 'web', 'cart-7f-xyz': 'cart' }[o.metadata?.name ?? ''] : undefined;
    if (canonical) o.metadata!.labels = { ...o.metadata!.labels, 'service.istio.io/canonical-name': canonical };
  }
  return sourced;
}

async function setup(bodyLimit?: number) {
  const view = snapshotViewFromObjects(shopObjects());
  const store = createIntentStore();
  const metrics = createMetrics();
  const ingest = createIngest({ cluster: view, identity: createIdentityResolver(view), store, metrics, config: { clusterDomain: 'cluster.local', minServerAgeMs: 300_000 }, now: () => NOW });
  const auth = await createTokenFileAuth({ file: '/t', read: async () => `${TOKEN} sniffer,kafka-watcher,istio-watcher\n` });   // one token holding every reporter role
  const app = createApp({ ingest, store, cluster: { isSynced: () => true }, auth, metrics, now: () => NOW, remoteAddress: () => '127.0.0.1', bodyLimit });   // as through port-forward: security.test.ts checks the rest
  const gql = async (body: string, headers: Record<string, string> = {}) => {
    const res = await app.request('/query', { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, ...headers } });
    return { status: res.status, json: await res.json() as any };
  };
  return { app, store, metrics, gql };
}

const dns = (srcIp: string, destination: string, destinationIP: string) =>
  ({ srcIp, srcHostname: '', destinations: [{ destination, destinationIP, destinationPort: null, TTL: 30, lastSeen: T, srcPorts: [] }] });

test('a body over the limit → 413 too-large, with or without content-length, nothing stored; a small one still passes', async () => {
  const { app, store, gql } = await setup(2000);
  const many = Array.from({ length: 40 }, () => dns('10.244.0.10', 'api.stripe.com', '198.51.100.7'));
  const text = genqlientBody('reportCaptureResults', reportMutation('reportCaptureResults', 'CaptureResults'), { results: { results: many } });
  assert.ok(text.length > 2000);
  const declared = await gql(text);
  assert.is(declared.status, 413);
  assert.equal(declared.json.errors[0].extensions.code, 'too-large');
  const enc = new TextEncoder();
  const stream = new ReadableStream({ start(c) { c.enqueue(enc.encode(text.slice(0, 1500))); c.enqueue(enc.encode(text.slice(1500))); c.close(); } });
  const chunked = await app.request('/query', { method: 'POST', body: stream, duplex: 'half', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, 'transfer-encoding': 'chunked' } } as RequestInit);
  assert.is(chunked.status, 413);
  assert.equal(((await chunked.json()) as any).errors[0].extensions.code, 'too-large');
  assert.is(store.size(), 0);
  const small = await gql(genqlientBody('reportCaptureResults', reportMutation('reportCaptureResults', 'CaptureResults'), { results: { results: many.slice(0, 1) } }));
  assert.equal(small, { status: 200, json: { data: { reportCaptureResults: true } } });
});

test('the sniffer\'s DNS, TCP and socket-scan mutations are stored like our own reports; the CLI\'s Intents query reads them', async () => {
  const { gql, store } = await setup();
  const cap = await gql(genqlientBody('reportCaptureResults', reportMutation('reportCaptureResults', 'CaptureResults'),
    { results: { results: [dns('10.244.0.10', 'cart.shop.svc.cluster.local', '10.96.0.20'), dns('10.244.0.10', 'api.stripe.com', '198.51.100.7')] } }));
  assert.equal(cap, { status: 200, json: { data: { reportCaptureResults: true } } });
  const tcp = await gql(genqlientBody('reportTCPCaptureResults', reportMutation('reportTCPCaptureResults', 'CaptureTCPResults'),
    { results: { results: [{ srcIp: '10.244.0.60', srcHostname: '', destinations: [{ destination: '10.96.0.20', destinationIP: '10.96.0.20', destinationPort: 8080, TTL: null, lastSeen: T, srcPorts: [40001, 40002] }] }] } }));
  assert.equal(tcp.json, { data: { reportTCPCaptureResults: true } });
  // Socket scan, with Otterize's port quirk: destinationPort = local port, srcPorts = [server port].
  const sock = await gql(genqlientBody('reportSocketScanResults', reportMutation('reportSocketScanResults', 'SocketScanResults'),
    { results: { results: [{ srcIp: '10.244.0.10', srcHostname: 'web-6d4b-abcde', destinations: [{ destination: '10.244.0.31', destinationIP: null, destinationPort: 35236, TTL: null, lastSeen: T, srcPorts: [5432] }] }] } }));
  assert.equal(sock.json, { data: { reportSocketScanResults: true } });
  const stored = store.query();
  assert.equal(stored.map((i) => `${i.client.name}>${i.server?.name ?? i.internet?.domain}:${i.sources.join('+')}`).sort(),
    ['checkout>cart:tcp', 'web>api.stripe.com:dns', 'web>cart:dns', 'web>db:socket']);
  assert.is(stored.find((i) => i.client.name === 'checkout')!.count, 2, 'two source ports: two connections');

  const q = await gql(genqlientBody('Intents', INTENTS, { namespaces: null, includedLabels: null, excludeServiceWithLabels: null, server: null }));
  assert.is(q.status, 200);
  const deploy = { group: 'apps', version: 'v1', kind: 'Deployment' };
  assert.equal(q.json.data.intents, [
    { client: { name: 'web', namespace: 'shop', labels: [], podOwnerKind: deploy, kubernetesService: null },
      server: { name: 'db', namespace: 'data', labels: [], podOwnerKind: { group: 'apps', version: 'v1', kind: 'StatefulSet' }, kubernetesService: null },
      type: null, kafkaTopics: null, httpResources: null },
    { client: { name: 'web', namespace: 'shop', labels: [], podOwnerKind: deploy, kubernetesService: null },
      server: { name: 'cart', namespace: 'shop', labels: [], podOwnerKind: deploy, kubernetesService: 'cart' },
      type: null, kafkaTopics: null, httpResources: null },
    { client: { name: 'checkout', namespace: 'shop', labels: [], podOwnerKind: null, kubernetesService: null },
      server: { name: 'cart', namespace: 'shop', labels: [], podOwnerKind: deploy, kubernetesService: 'cart' },
      type: null, kafkaTopics: null, httpResources: null },
  ].sort((a, b) => (`${a.client.namespace}/${a.client.name}` < `${b.client.namespace}/${b.client.name}` ? -1 : 1)), 'sorted by client ns/name; the Internet name left out; annotation-named client has no podOwnerKind');
});

test('the same observations sent as Otterize mutations and as our own report are stored identically', async () => {
  const viaGql = await setup();
  const viaRest = await setup();
  await viaGql.gql(genqlientBody('reportCaptureResults', reportMutation('reportCaptureResults', 'CaptureResults'),
    { results: { results: [dns('10.244.0.10', 'cart.shop.svc.cluster.local', '10.96.0.20'), dns('10.244.0.10', 'API.Stripe.com.', '198.51.100.7')] } }));
  await viaGql.gql(genqlientBody('reportTCPCaptureResults', reportMutation('reportTCPCaptureResults', 'CaptureTCPResults'),
    { results: { results: [{ srcIp: '10.244.0.60', srcHostname: '', destinations: [{ destination: '10.96.0.20', destinationIP: '10.96.0.20', destinationPort: 8080, TTL: null, lastSeen: T, srcPorts: [40001] }] }] } }));
  await viaGql.gql(genqlientBody('reportKafkaMapperResults', reportMutation('reportKafkaMapperResults', 'KafkaMapperResults'),
    { results: { results: [{ srcIp: '10.244.0.10', serverPodName: 'db-0', serverNamespace: 'data', topic: 'orders', operation: 'Write', lastSeen: T }] } }));
  const res = await viaRest.app.request('/api/v1/reports', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({
    version: 1, node: 'node-1', sentAt: T, records: [
      { source: 'dns', srcIp: '10.244.0.10', destination: 'cart.shop.svc.cluster.local', destinationIp: '10.96.0.20', ttl: 30, lastSeen: T, count: 1 },
      { source: 'dns', srcIp: '10.244.0.10', destination: 'api.stripe.com', destinationIp: '198.51.100.7', ttl: 30, lastSeen: T, count: 1 },
      { source: 'tcp', srcIp: '10.244.0.60', destination: '10.96.0.20', destinationIp: '10.96.0.20', destinationPort: 8080, lastSeen: T, count: 1 },
      { source: 'kafka', srcIp: '10.244.0.10', serverPodName: 'db-0', serverNamespace: 'data', topic: 'orders', operation: 'Write', lastSeen: T },
    ] }) });
  assert.is(res.status, 200);
  assert.is(viaRest.store.size(), 4);
  assert.equal(viaGql.store.query({ includeAllLabels: true }), viaRest.store.query({ includeAllLabels: true }));
});

test('intents arguments: namespaces (client), includeLabels, includeAllLabels, excludeServiceWithLabels, server', async () => {
  const { gql } = await setup();
  await gql(genqlientBody('reportCaptureResults', reportMutation('reportCaptureResults', 'CaptureResults'),
    { results: { results: [dns('10.244.0.10', 'cart.shop.svc.cluster.local', '10.96.0.20'), dns('10.244.0.10', 'db-0.db.data.svc.cluster.local', '10.244.0.31')] } }));
  const ask = async (args: string) => (await gql(JSON.stringify({ query: `{ intents${args} { client { name labels { key value } } server { name namespace } } }` }))).json;
  assert.is((await ask('(namespaces: ["data"])')).data.intents.length, 0, 'namespaces filters on the client');
  assert.is((await ask('(namespaces: ["shop"])')).data.intents.length, 2);
  assert.equal((await ask('(includeLabels: ["tier", "nope"])')).data.intents[0].client.labels, [{ key: 'tier', value: 'front' }]);
  assert.equal((await ask('(includeAllLabels: true)')).data.intents[0].client.labels,
    [{ key: 'app', value: 'web' }, { key: 'service.istio.io/canonical-name', value: 'web' }, { key: 'tier', value: 'front' }]);
  assert.is((await ask('(excludeServiceWithLabels: ["app=web"])')).data.intents.length, 0);
  assert.equal((await ask('(server: {name: "db", namespace: "data"})')).data.intents.map((i: any) => i.server.name), ['db', 'cart'],
    'every intent of each client calling the server');
  const si = await gql(genqlientBody('ServiceIntentsUpToMapperV017', SERVICE_INTENTS_UP_TO_MAPPER_V017, { namespaces: null }));
  assert.equal(si.json.data.serviceIntents, [{ client: { name: 'web', namespace: 'shop' }, intents: [{ name: 'db', namespace: 'data' }, { name: 'cart', namespace: 'shop' }] }]);
  const sl = await gql(genqlientBody('ServiceIntentsWithLabels', SERVICE_INTENTS_WITH_LABELS, { namespaces: ['shop'], includedLabels: ['app'] }));
  assert.equal(sl.json.data.serviceIntents[0].client.labels, [{ key: 'app', value: 'web' }]);
});

test('resetCapture empties the store; health answers true; GET serves queries only', async () => {
  const { gql, store, app } = await setup();
  await gql(genqlientBody('reportCaptureResults', reportMutation('reportCaptureResults', 'CaptureResults'), { results: { results: [dns('10.244.0.10', 'cart.shop.svc.cluster.local', '10.96.0.20')] } }));
  assert.is(store.size(), 1);
  const get = await app.request(`/query?query=${encodeURIComponent('query Health { health }')}`);
  assert.is(get.status, 200);
  assert.equal(await get.json(), { data: { health: true } });
  const getMutation = await app.request(`/query?query=${encodeURIComponent(RESET_CAPTURE)}`);
  assert.is(getMutation.status, 405);
  assert.is(store.size(), 1, 'a GET never changes the map');
  assert.equal((await gql(genqlientBody('ResetCapture', RESET_CAPTURE))).json, { data: { resetCapture: true } });
  assert.is(store.size(), 0);
});

test('status codes as gqlgen gives them: 422 for parse, validation and variable errors (the CLI falls back on 422); 200 otherwise', async () => {
  const { gql } = await setup();
  const bad = await gql(JSON.stringify({ query: '{ intents { client { name } ' }));
  assert.is(bad.status, 422);
  assert.match(bad.json.errors[0].message, /Syntax Error/);
  const unknownField = await gql(JSON.stringify({ query: '{ intents { nope } }' }));
  assert.is(unknownField.status, 422);
  assert.match(unknownField.json.errors[0].message, /Cannot query field "nope"/);
  const badVar = await gql(genqlientBody('Intents', INTENTS, { namespaces: 'x', server: { name: 'a' } }));
  assert.is(badVar.status, 422);
  assert.match(badVar.json.errors.map((e: any) => e.message).join('\n'), /\$server/);
  const noQuery = await gql(JSON.stringify({ variables: {} }));
  assert.is(noQuery.status, 422);
  const notJson = await gql('{"query":');
  assert.is(notJson.status, 400);
  const twoOps = await gql(JSON.stringify({ query: 'query A { health } query B { health }' }));
  assert.is(twoOps.status, 422);
  assert.equal((await gql(JSON.stringify({ query: 'query A { health } query B { health }', operationName: 'B' }))).json, { data: { health: true } });
  const aliases = await gql(JSON.stringify({ query: `{ ${Array.from({ length: 17 }, (_, i) => `a${i}: health`).join(' ')} }` }));
  assert.is(aliases.status, 422, 'aliases cannot multiply whole-store reads');
  assert.match(aliases.json.errors[0].message, /more than 16 root fields/);
  const tokens = await gql(JSON.stringify({ query: `{ health ${'x '.repeat(10_001)}}` }));
  assert.is(tokens.status, 422);
  assert.match(tokens.json.errors[0].message, /more that 10000 tokens/);
  const wrongType = await gql('{}', { 'content-type': 'text/plain' });
  assert.is(wrongType.status, 415);
});

test('access: report mutations need a reporter token as POST /api/v1/reports does; queries and reset as the REST reads', async () => {
  const { app, store, metrics } = await setup();
  const body = genqlientBody('reportCaptureResults', reportMutation('reportCaptureResults', 'CaptureResults'), { results: { results: [dns('10.244.0.10', 'cart.shop.svc.cluster.local', '10.96.0.20')] } });
  for (const authorization of [undefined, 'Bearer wrong', `Basic ${TOKEN}`]) {
    const res = await app.request('/query', { method: 'POST', body, headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) } });
    assert.is(res.status, 401, String(authorization));
    assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
  }
  assert.is(store.size(), 0);
  const q = await app.request('/query', { method: 'POST', body: JSON.stringify({ query: '{ health }' }), headers: { 'content-type': 'application/json' } });
  assert.is(q.status, 200);
  assert.match(await metrics.render(), /netmapper_graphql_requests_total\{kind="report",outcome="refused"\} 3/);
});

test('access hook: each operation is checked as the REST route it stands for (report, read, reset)', async () => {
  const { store } = await setup();
  const ingest = async () => ({ accepted: 0, skipped: {}, resolved: 0, unresolved: {} });
  const seen: string[] = [];
  const routes = createGraphqlRoutes({
    ingest, store, auth: createNoAuth(),
    authorize: async (c, access) => { seen.push(access); return access === 'reset' ? c.json({ error: { code: 'forbidden', message: 'no' } }, 403) : undefined; },
  });
  const post = (query: string) => routes.request('/query', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  assert.is((await post('{ health }')).status, 200);
  assert.is((await post(RESET_CAPTURE)).status, 403);
  assert.is((await post('{ nope }')).status, 422, 'a document that does not validate is refused before any access check');
  assert.is((await post('mutation($r: CaptureResults!) { reportCaptureResults(results: $r) }')).status, 422, 'missing variables: found after the access check');
  assert.is((await post('mutation { resetCapture reportGCPOperation(operation: []) }')).status, 200, 'a report field makes the whole operation a report');
  assert.equal(seen, ['read', 'reset', 'report', 'report']);
});

test('bad records are skipped and counted one by one; the rest of the report is kept', async () => {
  const { gql, store, metrics } = await setup();
  const res = await gql(genqlientBody('reportCaptureResults', reportMutation('reportCaptureResults', 'CaptureResults'), { results: { results: [
    dns('10.244.0.10', 'cart.shop.svc.cluster.local', '10.96.0.20'),
    dns('10.244.0.999', 'cart.shop.svc.cluster.local', '10.96.0.20'),
    { srcIp: '10.244.0.10', srcHostname: '', destinations: [{ destination: 'x.shop.svc.cluster.local', lastSeen: T }] },
    { srcIp: '10.244.0.10', srcHostname: '', destinations: [{ destination: 'cart.shop.svc.cluster.local', destinationIP: '10.96.0.20', lastSeen: 'yesterday' }] },
  ] } }));
  assert.equal(res.json, { data: { reportCaptureResults: true } });
  assert.is(store.size(), 1);
  const m = await metrics.render();
  // Counted by the contract's normalisation, as for POST /api/v1/reports.
  assert.match(m, /netmapper_records_skipped_total\{reason="bad-srcIp"\} 1/);
  assert.match(m, /netmapper_records_skipped_total\{reason="bad-destinationIp"\} 1/);
  assert.match(m, /netmapper_records_skipped_total\{reason="bad-lastSeen"\} 1/);
});

test('Kafka watcher and Istio reports: upper-case operation enums, HTTP methods, type KAFKA / HTTP', async () => {
  const { gql } = await setup();
  const k = await gql(genqlientBody('reportKafkaMapperResults', reportMutation('reportKafkaMapperResults', 'KafkaMapperResults'), { results: { results: [
    { srcIp: '10.244.0.10', serverPodName: 'db-0', serverNamespace: 'data', topic: 'orders', operation: 'Write', lastSeen: T },
    { srcIp: '10.244.0.10', serverPodName: 'db-0', serverNamespace: 'data', topic: 'orders', operation: 'ClusterAction', lastSeen: T },
    { srcIp: '10.244.0.10', serverPodName: 'db-0', serverNamespace: 'data', topic: 'audit', operation: 'read', lastSeen: T },
  ] } }));
  assert.equal(k.json, { data: { reportKafkaMapperResults: true } });
  const i = await gql(JSON.stringify({ query: 'mutation($r: IstioConnectionResults!) { reportIstioConnectionResults(results: $r) }', variables: { r: { results: [
    { srcWorkload: 'web', srcWorkloadNamespace: 'shop', dstWorkload: 'cart', dstServiceName: 'cart', dstWorkloadNamespace: 'shop', path: '/orders', methods: ['POST', 'GET'], lastSeen: T },
    { srcWorkload: 'web', srcWorkloadNamespace: 'shop', dstWorkload: 'cart', dstServiceName: 'cart', dstWorkloadNamespace: 'shop', path: '/any', methods: ['ALL'], lastSeen: T },
  ] } } }));
  assert.equal(i.json, { data: { reportIstioConnectionResults: true } });
  const q = await gql(genqlientBody('Intents', INTENTS, { namespaces: null, includedLabels: null, excludeServiceWithLabels: null, server: null }));
  const [kafka, http] = q.json.data.intents.sort((a: any, b: any) => String(a.type).localeCompare(String(b.type)));
  assert.is(http.type, 'KAFKA');
  assert.is(kafka.type, 'HTTP');
  assert.equal(http.kafkaTopics, [{ name: 'audit', operations: ['CONSUME'] }, { name: 'orders', operations: ['CLUSTER_ACTION', 'PRODUCE'] }]);
  assert.equal(kafka.httpResources, [{ path: '/any', methods: [] }, { path: '/orders', methods: ['GET', 'POST'] }], '`ALL` alone: the path with no methods, as Otterize');
  assert.is(kafka.server.kubernetesService, 'cart');
  assert.equal(kafka.server.podOwnerKind, { group: 'apps', version: 'v1', kind: 'Deployment' }, 'the Istio workload resolved to its pod, then to the owner');
});

test('an unknown enum value in a mutation is a variable error (422), nothing stored', async () => {
  const { gql, store } = await setup();
  const r = await gql(JSON.stringify({ query: 'mutation($r: IstioConnectionResults!) { reportIstioConnectionResults(results: $r) }', variables: { r: { results: [
    { srcWorkload: 'web', srcWorkloadNamespace: 'shop', dstWorkload: 'cart', dstServiceName: 'cart', dstWorkloadNamespace: 'shop', path: '/', methods: ['FETCH'], lastSeen: T },
  ] } } }));
  assert.is(r.status, 422);
  assert.is(store.size(), 0);
});

test.run();
