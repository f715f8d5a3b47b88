// Resolution rules, each with the case it guards, fed through the real snapshot view (a small
// real-shaped cluster in resolve/testdata) and the real identity resolver.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { OwnerReadError } from './cluster/errors.ts';
import { snapshotViewFromObjects } from './cluster/snapshot.ts';
import { parseSnapshotText } from './cluster/snapshot-yaml.ts';
import type { ConnectionRecord, ReportRecord } from '../contract/schema.ts';
import { createIdentityResolver } from './identity/index.ts';
import { createIngest } from './ingest.ts';
import { createMetrics } from '../common/metrics.ts';
import { createIntentStore } from './store/intent-store.ts';
import { toClientIntents } from './export/client-intents.ts';
import { renderList } from './export/list-text.ts';

const FILE = fileURLToPath(new URL('./resolve/testdata/shop.cluster.yaml', import.meta.url));
const AT = '2026-11-21T10:00:00.000Z';

function setup(opts: { labelRule?: string; minServerAgeMs?: number; excludeNamespaces?: string[]; editCluster?: (yaml: string) => string } = {}) {
  const text = readFileSync(FILE, 'utf8');
  const cluster = snapshotViewFromObjects(parseSnapshotText(opts.editCluster ? opts.editCluster(text) : text, FILE));
  const store = createIntentStore({ excludeNamespaces: opts.excludeNamespaces });
  const metrics = createMetrics();
  const ingest = createIngest({
    cluster, identity: createIdentityResolver(cluster, { labelRule: opts.labelRule }), store, metrics,
    config: { clusterDomain: 'cluster.local', minServerAgeMs: opts.minServerAgeMs ?? 5 * 60_000 },
    now: () => new Date('2026-11-21T10:10:00Z'),
  });
  const run = async (...records: ReportRecord[]) => ingest({ version: 1, node: 'node-1', sentAt: AT, records });
  const edges = () => store.query().map((i) => `${i.client.namespace}/${i.client.name}(${i.client.kind})>${i.server ? `${i.server.namespace}/${i.server.name}(${i.server.kind})` : `internet:${i.internet!.domain ?? '-'}:${i.internet!.ips}:${i.internet!.ports}`}`);
  return { store, metrics, run, edges };
}

const dns = (srcIp: string, name: string, ip: string, lastSeen = AT, ttl = 30): ConnectionRecord => ({ source: 'dns', srcIp, destination: name, destinationIp: ip, ttl, lastSeen, count: 1 });
const tcp = (srcIp: string, ip: string, port = 80, lastSeen = AT): ConnectionRecord => ({ source: 'tcp', srcIp, destination: ip, destinationIp: ip, destinationPort: port, lastSeen, count: 1 });

test('DNS name of a Service → its pod through the EndpointSlice; owner walk Pod → ReplicaSet → Deployment', async () => {
  const { run, store } = setup();
  const res = await run(dns('10.244.0.10', 'cart.shop.svc.cluster.local', '10.96.0.20'));
  assert.equal(res, { accepted: 1, skipped: {}, resolved: 1, unresolved: {} });
  const [i] = store.query({ includeAllLabels: true });
  assert.equal(i.client, { name: 'web', namespace: 'shop', kind: 'Deployment', group: 'apps', version: 'v1', labels: { app: 'web', tier: 'front' } });
  assert.equal({ ...i.server, labels: undefined }, { name: 'cart', namespace: 'shop', kind: 'Deployment', group: 'apps', version: 'v1', kubernetesService: 'cart', labels: undefined });
  assert.is(i.type, 'plain');
  assert.equal(i.sources, ['dns']);
});

test('ClusterIP (IPv4 and IPv6) → the Service pods; pod IP after DNAT → the same intent', async () => {
  const { run, edges, store } = setup();
  await run(tcp('10.244.0.10', '10.96.0.20'), tcp('fd00:244::10', 'fd00:96::20'), tcp('10.244.0.10', '10.244.0.20', 8080));
  assert.equal(edges(), ['shop/web(Deployment)>shop/cart(Deployment)']);
  assert.is(store.query()[0].count, 3);
});

test('IPv6: a client by its IPv6 pod IP and a dashed IPv6 pod DNS name', async () => {
  const { run, edges } = setup();
  const res = await run(dns('fd00:244::10', 'fd00-244--20.shop.pod.cluster.local', 'fd00:244::20'));
  assert.is(res.resolved, 1);
  assert.equal(edges(), ['shop/web(Deployment)>shop/cart(Deployment)']);
});

test('headless Service: pod-0.svc.ns.svc names that pod; StatefulSet is the root owner', async () => {
  const { run, store } = setup();
  await run(dns('10.244.0.10', 'db-1.db.data.svc.cluster.local', '10.244.0.31'), dns('10.244.0.10', 'db.data.svc.cluster.local', '10.244.0.30'));
  const [i] = store.query();
  assert.equal([i.server!.name, i.server!.kind, i.server!.kubernetesService], ['db', 'StatefulSet', 'db']);
  assert.is(i.count, 2);
});

test('CronJob: Pod → Job → CronJob names the client', async () => {
  const { run, edges } = setup();
  await run(tcp('10.244.0.40', '10.244.0.30', 5432));
  assert.equal(edges(), ['shop/report(CronJob)>data/db(StatefulSet)']);
});

test('missing owner: the walk stops at the owner reference name', async () => {
  const { run, edges } = setup();
  await run(tcp('10.244.0.50', '10.96.0.20'));
  assert.equal(edges(), ['shop/legacy-5c(ReplicaSet)>shop/cart(Deployment)']);
});

test('annotation intents.otterize.com/workload-name names the workload; the label rule is optional', async () => {
  const { run, store } = setup();
  await run(tcp('10.244.0.60', '10.96.0.20'));
  const [i] = store.query();
  assert.equal([i.client.name, i.client.nameResolvedUsingAnnotation], ['checkout', true]);
  const withRule = setup({ labelRule: 'app' });
  await withRule.run(tcp('10.244.0.10', '10.96.0.20'));
  assert.equal(withRule.store.query()[0].client.name, 'web');
  assert.equal(withRule.store.query()[0].server!.name, 'cart');
});

test('IP reuse: the pod that held the IP when the packet was seen; none while the old was deleting and the new not born', async () => {
  const { run, edges, metrics } = setup();
  const res = await run(
    tcp('10.244.0.70', '10.96.0.20', 80, '2026-11-21T09:20:00.000Z'),
    tcp('10.244.0.70', '10.96.0.20', 80, '2026-11-21T09:40:00.000Z'),
    tcp('10.244.0.70', '10.96.0.20', 80, '2026-11-21T09:50:00.000Z'));
  assert.equal(edges(), ['shop/new-api(Pod)>shop/cart(Deployment)', 'shop/old-api(Pod)>shop/cart(Deployment)']);
  assert.equal(res.unresolved, { 'client-pod-deleting': 1 });
  assert.match(await metrics.render(), /netmapper_records_unresolved_total\{reason="client-pod-deleting"\} 1/);
});

test('deleting pod: not a server once its deletion started', async () => {
  const { run } = setup({ minServerAgeMs: 0 });
  assert.is((await run(tcp('10.244.0.10', '10.244.0.70', 80, '2026-11-21T09:25:00.000Z'))).resolved, 1, 'before its deletion: a server');
  const res2 = await run(tcp('10.244.0.10', '10.244.0.70', 80, '2026-11-21T09:35:00.000Z'));
  assert.equal(res2.unresolved, { 'server-pod-deleting': 1 }, 'old-api deleting since 09:30, new-api not yet created');
});

test('ambiguous: two live pods on one IP are never guessed between, as client or server', async () => {
  const { run, edges } = setup();
  const res = await run(tcp('10.244.0.120', '10.96.0.20'), tcp('10.244.0.10', '10.244.0.120'));
  assert.equal(res.unresolved, { 'client-ambiguous': 1, 'server-ambiguous': 1 });
  assert.equal(edges(), []);
});

test('late pod: a client created after the packet is not a candidate', async () => {
  const { run, edges } = setup();
  const res = await run(tcp('10.244.0.90', '10.96.0.20'));
  assert.equal(res.unresolved, { 'client-pod-created-after-record': 1 });
  assert.equal(edges(), []);
});

test('5-minute rule: a TCP server younger than --min-server-age is not trusted; pod DNS names have no age rule', async () => {
  const { run, edges } = setup();
  const res = await run(tcp('10.244.0.10', '10.244.0.80'), dns('10.244.0.10', '10-244-0-80.shop.pod.cluster.local', '10.244.0.80'));
  assert.equal(res.unresolved, { 'server-too-young': 1 });
  assert.equal(edges(), ['shop/web(Deployment)>shop/fresh(Pod)']);
  const relaxed = setup({ minServerAgeMs: 60_000 });
  assert.is((await relaxed.run(tcp('10.244.0.10', '10.244.0.80'))).resolved, 1, 'configurable');
});

test('host network and node IPs are never guessed as workloads, as client or server', async () => {
  const { run, edges } = setup();
  const res = await run(tcp('192.168.1.10', '10.96.0.20'), tcp('10.244.0.10', '192.168.1.10', 10250), tcp('10.244.0.10', '203.0.113.10', 30080));
  assert.equal(res.unresolved, { 'client-host-network': 1, 'server-host-network': 1, 'server-node-ip': 1 });
  assert.equal(edges(), []);
});

test('socket records: the pod name must equal srcHostname (IP reuse guard)', async () => {
  const { run } = setup();
  const sock = (host: string): ConnectionRecord => ({ ...tcp('10.244.0.10', '10.96.0.20', 80), source: 'socket', srcHostname: host });
  const res = await run(sock('web-6d4b-abcde'), sock('someone-else'));
  assert.equal(res, { accepted: 2, skipped: {}, resolved: 1, unresolved: { 'hostname-mismatch': 1 } });
});

test('API server: kubernetes in default, as client (its endpoint IP) and as server (ClusterIP, endpoint, DNS)', async () => {
  const { run, edges } = setup();
  await run(tcp('10.244.0.10', '10.96.0.1', 443), tcp('10.244.0.10', '192.168.1.5', 6443), dns('10.244.0.10', 'kubernetes.default.svc.cluster.local', '10.96.0.1'), tcp('192.168.1.5', '10.244.0.20', 8443));
  assert.equal(edges(), ['default/kubernetes(Service)>shop/cart(Deployment)', 'shop/web(Deployment)>default/kubernetes(Service)']);
});

test('API server on a node address (single-node clusters): traffic from that address is not the API server', async () => {
  // kind/minikube: the kubernetes endpoint is a node address, which also sources kubelet probes and pod
  // traffic masqueraded on its way out; none of it can be pinned on the API server. (203.0.113.10 is
  // node-1's address with no host-network pod on it, so only the node rule can refuse it.)
  const onNode = (yaml: string) => yaml.replace('addresses: [192.168.1.5]', 'addresses: [203.0.113.10]');
  const { run, edges } = setup({ editCluster: onNode });
  const res = await run(tcp('203.0.113.10', '10.244.0.20', 8443), tcp('10.244.0.10', '203.0.113.10', 6443));
  assert.equal(res.unresolved, { 'client-node-ip': 1 });
  assert.equal(edges(), ['shop/web(Deployment)>default/kubernetes(Service)']);
});

test('Internet: names outside the cluster domain keep domain and IPs; a later SYN to that IP joins it with its port', async () => {
  const { run, edges, store } = setup();
  await run(dns('10.244.0.10', 'api.stripe.com', '198.51.100.7'), dns('10.244.0.10', 'api.stripe.com', '198.51.100.8'));
  await run(tcp('10.244.0.10', '198.51.100.7', 443));
  await run(tcp('10.244.0.10', '192.0.2.1', 22), tcp('10.244.0.20', '198.51.100.7', 443));
  assert.equal(edges(), [
    'shop/cart(Deployment)>internet:-:198.51.100.7:443',
    'shop/web(Deployment)>internet:-:192.0.2.1:22',
    'shop/web(Deployment)>internet:api.stripe.com:198.51.100.7,198.51.100.8:443',
  ]);
  assert.equal(store.query({ excludeInternet: true }), []);
  assert.equal(store.query().find((i) => i.internet?.domain)!.sources, ['dns', 'tcp']);
});

test('Internet: the name is forgotten after its TTL; private addresses outside the cluster are not the Internet', async () => {
  const { run, edges } = setup();
  await run(dns('10.244.0.10', 'cdn.example.net', '198.51.100.9', '2026-11-21T09:00:00.000Z', 60));
  const res = await run(tcp('10.244.0.10', '198.51.100.9', 443), tcp('10.244.0.10', '10.1.2.3', 443));
  assert.equal(res.unresolved, { 'unknown-private-ip': 1 });
  assert.ok(edges().includes('shop/web(Deployment)>internet:-:198.51.100.9:443'));
});

test('cluster DNS names that cannot resolve are counted by reason', async () => {
  const { run } = setup();
  const res = await run(
    dns('10.244.0.10', 'nope.shop.svc.cluster.local', '10.96.0.99'),
    dns('10.244.0.10', 'ext.shop.svc.cluster.local', '10.96.0.98'),
    dns('10.244.0.10', 'weird.cluster.local', '10.96.0.97'),
    dns('10.244.0.10', '10-244-0-20.other.pod.cluster.local', '10.244.0.20'),
    dns('10.9.9.9', 'cart.shop.svc.cluster.local', '10.96.0.20'));
  assert.equal(res.unresolved, { 'unknown-service': 1, 'external-name-service': 1, 'unsupported-cluster-name': 1, 'pod-name-namespace-mismatch': 1, 'no-client-pod': 1 });
});

test('excluded namespaces (client or server) are counted, not stored', async () => {
  const { run, edges } = setup();
  const res = await run(tcp('10.244.0.100', '10.96.0.20'));
  assert.equal(res.unresolved, { 'excluded-namespace': 1 });
  assert.equal(edges(), []);
});

test('Kafka: topics with operations (read → consume), merged; unknown operations counted', async () => {
  const { run, store } = setup();
  const k = (topic: string, operation: string) => ({ source: 'kafka' as const, srcIp: '10.244.0.10', serverPodName: 'kafka-0', serverNamespace: 'data', topic, operation, lastSeen: AT });
  const res = await run(k('orders', 'Read'), k('orders', 'write'), k('orders', 'read'), k('audit', 'Describe'), k('x', 'All'), k('x', 'frobnicate'));
  assert.equal(res.unresolved, { 'unknown-kafka-operation': 1 });
  const [i] = store.query();
  assert.is(i.type, 'kafka');
  assert.equal([i.client.name, i.server!.name, i.server!.kind], ['web', 'kafka', 'StatefulSet']);
  assert.equal(i.kafkaTopics, [{ name: 'audit', operations: ['describe'] }, { name: 'orders', operations: ['consume', 'produce'] }, { name: 'x', operations: ['all'] }]);
});

/** The shop cluster with Istio's injector labels on web, cart and checkout (checkout's canonical name differs from its annotation). */
const meshed = (yaml: string) => yaml
  .replace('labels: { app: web, tier: front }', "labels: { app: web, tier: front, service.istio.io/canonical-name: web, security.istio.io/tlsMode: istio }")
  .replace('labels: { app: cart }', "labels: { app: cart, service.istio.io/canonical-name: cart, security.istio.io/tlsMode: istio }")
  .replace('annotations: { intents.otterize.com/workload-name: checkout }',
    "annotations: { intents.otterize.com/workload-name: checkout }\n  labels: { service.istio.io/canonical-name: checkout-svc, security.istio.io/tlsMode: istio }");
const h = (path: string, methods: string[], src = 'web', dst = 'cart') => ({ source: 'istio' as const, srcWorkload: src, srcWorkloadNamespace: 'shop',
  dstWorkload: dst, dstWorkloadNamespace: 'shop', dstServiceName: 'cart', path, methods, lastSeen: AT });

test('HTTP (Istio): workloads resolve through the canonical-name pod to the normal identity; methods merged per path', async () => {
  const { run, store } = setup({ editCluster: meshed });
  const res = await run(h('/api/cart', ['GET']), h('/api/cart', ['POST', 'GET']), h('/x', ['BREW']), h('/all', ['ALL']));
  assert.equal(res, { accepted: 4, skipped: {}, resolved: 4, unresolved: {} });
  const [i] = store.query();
  assert.equal([i.type, i.client.name, i.client.kind, i.server!.name, i.server!.kind, i.server!.kubernetesService], ['http', 'web', 'Deployment', 'cart', 'Deployment', 'cart']);
  // A method outside the CRD's eight (Otterize's ALL) keeps the path, with no methods.
  assert.equal(i.httpResources, [{ path: '/all', methods: [] }, { path: '/api/cart', methods: ['GET', 'POST'] }, { path: '/x', methods: [] }]);
});

test('HTTP (Istio): the plain and the HTTP target of one pair are one target in every export', async () => {
  const { run, store } = setup({ editCluster: meshed });
  await run(dns('10.244.0.10', 'cart.shop.svc.cluster.local', '10.96.0.20'), h('/api/cart', ['GET']));
  const docs = toClientIntents(store.query());
  assert.equal(docs.find((d) => d.name === 'web')?.targets, [{ kubernetes: { name: 'cart', kind: 'Deployment', http: [{ path: '/api/cart', methods: ['GET'] }] } }]);
  assert.is(renderList(docs), 'web in namespace shop calls:\n  - cart in namespace shop\n    - path /api/cart, methods: [GET]\n');
});

test('HTTP (Istio): an annotated workload keeps its annotation name, whatever Istio called it', async () => {
  const { run, store } = setup({ editCluster: meshed });
  const res = await run(h('/pay', ['POST'], 'checkout-svc', 'cart'));
  assert.is(res.resolved, 1);
  assert.equal([store.query()[0]!.client.name, store.query()[0]!.client.kind], ['checkout', '']);
});

test('HTTP (Istio): a versioned workload whose canonical name differs (bookinfo\'s reviews-v1 / reviews) resolves by its Istio workload name', async () => {
  const { run, store } = setup({ editCluster: (y) => meshed(y).replace(
    "labels: { app: cart, service.istio.io/canonical-name: cart, security.istio.io/tlsMode: istio }",
    "labels: { app: cart, pod-template-hash: 7f, service.istio.io/canonical-name: cart-app, security.istio.io/tlsMode: istio }") });
  // Istio reports the Deployment's name (ReplicaSet cart-7f minus its hash), not the canonical name.
  const res = await run(h('/api/cart', ['GET'], 'web', 'cart'));
  assert.equal(res.unresolved, {});
  assert.equal([store.query()[0]!.server!.name, store.query()[0]!.server!.kind], ['cart', 'Deployment']);
});

test('HTTP (Istio): unknown workloads and workloads with no labelled pod are skipped and counted', async () => {
  const { run, store } = setup({ editCluster: meshed });
  const res = await run(h('/a', ['GET'], 'unknown'), h('/a', ['GET'], 'web', 'unknown'), h('/a', ['GET'], 'ghost'), h('/a', ['GET'], 'web', 'ghost'));
  assert.equal(res.unresolved, { 'istio-unknown-workload': 2, 'istio-no-client-pod': 1, 'istio-no-server-pod': 1 });
  assert.equal(store.query(), []);
  // Without the injector's labels nothing resolves by name (the records are not kept verbatim any more).
  const plain = setup();
  assert.equal((await plain.run(h('/a', ['GET']))).unresolved, { 'istio-no-client-pod': 1 });
});

test('an owner that cannot be read just now is counted (owner-read-error), not cached: the next report resolves', async () => {
  const cluster = snapshotViewFromObjects(parseSnapshotText(readFileSync(FILE, 'utf8'), FILE));
  const real = createIdentityResolver(cluster);
  let failing = true;
  const identity = { resolvePod: (pod: Parameters<typeof real.resolvePod>[0]) => (failing
    ? Promise.reject(new OwnerReadError('apps/v1', 'ReplicaSet', pod.namespace, 'web-6d4b', { cause: new Error('503') }))
    : real.resolvePod(pod)) };
  const store = createIntentStore();
  const ingest = createIngest({ cluster, identity, store, config: { clusterDomain: 'cluster.local', minServerAgeMs: 0 }, now: () => new Date('2026-11-21T10:10:00Z') });
  const report = { version: 1 as const, node: 'n', sentAt: AT, records: [tcp('10.244.0.10', '10.96.0.20')] };
  assert.equal((await ingest(report)).unresolved, { 'owner-read-error': 1 });
  failing = false;
  assert.is((await ingest(report)).resolved, 1);
  assert.is(store.query()[0].client.name, 'web');
});

test('a record with a future time (skewed node clock) is stored as seen now', async () => {
  const { run, store } = setup();
  await run(tcp('10.244.0.10', '10.96.0.20', 80, '2027-01-01T00:00:00.000Z'));
  assert.is(store.query()[0].lastSeen, '2026-11-21T10:10:00.000Z');
});

test('record counters: each render shows the totals so far, once (they are handed to the metrics at scrape time)', async () => {
  const { run, metrics } = setup();
  const total = async (): Promise<number> => Number(/^netmapper_records_resolved_total\{source="tcp"\} (\d+)$/m.exec(await metrics.render())?.[1] ?? 0);
  await run(tcp('10.244.0.10', '10.96.0.20'), tcp('10.244.0.10', '10.96.0.20'));
  assert.is(await total(), 2);
  assert.is(await total(), 2);
  await run(tcp('10.244.0.10', '10.96.0.20'));
  assert.is(await total(), 3);
});

test.run();
