import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { derivedPod } from '../../../fixtures/test-support/cluster-cases.ts';
import { createClusterIndex } from './cluster-index.ts';
import { createInterner } from './intern.ts';
import { endpointSliceRecordFromObject, nodeRecordFromObject, podRecordFromObject, serviceRecordFromObject } from './objects.ts';

const pod = (name: string, ips: string[], created = '2024-01-01T00:00:00Z') =>
  podRecordFromObject(derivedPod(name, 'default', ips, { metadata: { creationTimestamp: created } }));

test('deleted pods: bounded by count (oldest first) and by age', () => {
  let t = 0;
  const idx = createClusterIndex({ maxGonePods: 2, goneRetentionMs: 1000, now: () => t });
  for (const n of ['a', 'b', 'c']) { idx.upsertPod(pod(n, [`10.0.0.${n.charCodeAt(0)}`])); idx.removePod('default', n); t += 10; }
  assert.equal(idx.podsByIp('10.0.0.97'), [], 'a: dropped, over the count');
  assert.is(idx.podsByIp('10.0.0.98')[0]?.name, 'b');
  assert.is(idx.counts().gonePods, 2);
  t += 2000;
  assert.equal(idx.podsByIp('10.0.0.99'), [], 'c: expired');
  assert.is(idx.counts().gonePods, 0);
});

test('a pod that changes IPs leaves its old IPs; removing an unknown pod is a no-op', () => {
  const idx = createClusterIndex();
  idx.upsertPod(pod('a', ['10.0.0.1', 'fd00::1']));
  idx.upsertPod(pod('a', ['10.0.0.2']));
  assert.equal(idx.podsByIp('10.0.0.1'), []);
  assert.equal(idx.podsByIp('fd00::1'), []);
  assert.is(idx.podsByIp('10.0.0.2')[0]?.name, 'a');
  idx.removePod('default', 'nope');
  assert.is(idx.counts().pods, 1);
});

test('three holders of one IP, newest first, then back to a single holder', () => {
  const idx = createClusterIndex();
  idx.upsertPod(pod('old', ['10.0.0.5'], '2024-01-01T00:00:00Z'));
  idx.upsertPod(pod('mid', ['10.0.0.5'], '2024-02-01T00:00:00Z'));
  idx.upsertPod(pod('new', ['10.0.0.5'], '2024-03-01T00:00:00Z'));
  assert.equal(idx.podsByIp('10.0.0.5').map((p) => p.name), ['new', 'mid', 'old']);
  idx.upsertPod(pod('mid', ['10.0.0.6'], '2024-02-01T00:00:00Z'));
  idx.upsertPod(pod('old', ['10.0.0.7'], '2024-01-01T00:00:00Z'));
  assert.equal(idx.podsByIp('10.0.0.5').map((p) => p.name), ['new']);
});

test('services: a changed ClusterIP moves; two claimants are ambiguous until one goes', () => {
  const idx = createClusterIndex();
  const svc = (name: string, ip: string) => serviceRecordFromObject({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { clusterIP: ip } });
  idx.upsertService(svc('a', '10.96.0.10'));
  idx.upsertService(svc('a', '10.96.0.11'));
  assert.is(idx.serviceByClusterIp('10.96.0.10'), undefined);
  assert.is(idx.serviceByClusterIp('10.96.0.11')?.name, 'a');
  idx.upsertService(svc('b', '10.96.0.11'));
  assert.is(idx.serviceByClusterIp('10.96.0.11'), undefined);
  idx.removeService('default', 'a');
  assert.is(idx.serviceByClusterIp('10.96.0.11')?.name, 'b');
});

test('node IPs are reference-counted across nodes', () => {
  const idx = createClusterIndex();
  const node = (name: string, ip: string) => nodeRecordFromObject({ metadata: { name }, status: { addresses: [{ type: 'ExternalIP', address: ip }] } });
  idx.upsertNode(node('n1', '203.0.113.5'));
  idx.upsertNode(node('n2', '203.0.113.5'));
  idx.removeNode('n1');
  assert.ok(idx.isNodeIp('203.0.113.5'));
  idx.removeNode('n2');
  assert.not.ok(idx.isNodeIp('203.0.113.5'));
});

test('owners: same name, different kinds, kept apart; matched across API versions of one group', () => {
  const idx = createClusterIndex();
  idx.upsertOwner({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'default' });
  idx.upsertOwner({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', namespace: 'default' });
  idx.upsertOwner({ apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly', namespace: 'default' });
  assert.is(idx.ownerFromIndex('default', { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web' })?.kind, 'StatefulSet');
  assert.is(idx.ownerFromIndex('default', { apiVersion: 'batch/v1beta1', kind: 'CronJob', name: 'nightly' })?.apiVersion, 'batch/v1');
  assert.is(idx.ownerFromIndex('default', { apiVersion: 'example.com/v1', kind: 'CronJob', name: 'nightly' }), undefined, 'other group');
  idx.removeOwner({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'default' });
  assert.is(idx.ownerFromIndex('default', { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }), undefined);
  assert.ok(idx.ownerFromIndex('default', { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web' }));
  assert.is(idx.counts().owners, 2);
});

test('interning shares label sets and owner references between pods of one ReplicaSet', () => {
  const intern = createInterner();
  const mk = (n: string) => podRecordFromObject(derivedPod(n, 'default', ['10.0.0.1'], { metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', controller: true }] } }), { intern });
  const [a, b] = [mk('web-abc-1'), mk('web-abc-2')];
  assert.ok(a.labels === b.labels && a.owner === b.owner);
  assert.ok(Object.isFrozen(a.labels));
  assert.equal(a.labels, { app: 'web', 'pod-template-hash': 'abc' });
});

test('Istio canonical names: relabelled, replaced and removed pods leave the index', () => {
  const meshed = (name: string, canonical: string | undefined, uid = `uid-${name}`) => podRecordFromObject(derivedPod(name, 'default', ['10.0.9.1'], {
    metadata: { uid, creationTimestamp: '2024-01-01T00:00:00Z', labels: canonical ? { 'service.istio.io/canonical-name': canonical } : {} } }));
  const idx = createClusterIndex();
  idx.upsertPod(meshed('b', 'reviews'));
  idx.upsertPod(meshed('a', 'reviews'));
  assert.equal(idx.podsByCanonicalName('default', 'reviews').map((p) => p.name), ['a', 'b']);
  idx.upsertPod(meshed('a', 'ratings'));
  assert.equal(idx.podsByCanonicalName('default', 'reviews').map((p) => p.name), ['b']);
  assert.equal(idx.podsByCanonicalName('default', 'ratings').map((p) => p.name), ['a']);
  idx.upsertPod(meshed('b', 'reviews', 'uid-b2'));   // same name, new pod
  assert.equal(idx.podsByCanonicalName('default', 'reviews').map((p) => p.uid), ['uid-b2']);
  idx.upsertPod(meshed('b', undefined, 'uid-b2'));
  idx.removePod('default', 'a');
  assert.equal(idx.podsByCanonicalName('default', 'reviews'), []);
  assert.equal(idx.podsByCanonicalName('default', 'ratings'), []);
});

test('isCurrent: the record held now for its name; false once updated, replaced or removed, and for another index', () => {
  const idx = createClusterIndex();
  const other = createClusterIndex();
  const a1 = pod('a', ['10.0.0.1']);
  idx.upsertPod(a1);
  assert.ok(idx.isCurrent(a1));
  assert.ok(!other.isCurrent(a1), 'held by another index');
  idx.upsertPod(a1);
  assert.ok(idx.isCurrent(a1), 'the same record stored again stays current');
  const a2 = pod('a', ['10.0.0.1']);
  idx.upsertPod(a2);
  assert.ok(!idx.isCurrent(a1) && idx.isCurrent(a2), 'an update replaces the record');
  idx.removePod('default', 'a');
  assert.ok(!idx.isCurrent(a2), 'deleted');
  const svc = (ip: string) => serviceRecordFromObject({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default' }, spec: { clusterIP: ip } });
  const s1 = svc('10.96.0.10'), s2 = svc('10.96.0.11');
  idx.upsertService(s1);
  assert.ok(idx.isCurrent(s1));
  idx.upsertService(s1);
  assert.ok(idx.isCurrent(s1), 'stored again');
  idx.upsertService(s2);
  assert.ok(!idx.isCurrent(s1) && idx.isCurrent(s2));
  idx.removeService('default', 's');
  assert.ok(!idx.isCurrent(s2));
  // The answer is pod()/service()'s, record for record.
  for (const r of [a1, a2]) assert.is(idx.isCurrent(r), idx.pod(r.namespace, r.name) === r);
  for (const r of [s1, s2]) assert.is(idx.isCurrent(r), idx.service(r.namespace, r.name) === r);
});

test('IPv4 and IPv6 keys: pods, services and nodes are found by the same text they were stored under', () => {
  const idx = createClusterIndex();
  idx.upsertPod(pod('v4', ['10.1.2.3']));
  idx.upsertPod(pod('v6', ['fd00::3']));
  assert.is(idx.podsByIp('10.1.2.3')[0]?.name, 'v4');
  assert.is(idx.podsByIp('fd00::3')[0]?.name, 'v6');
  assert.equal(idx.podsByIp('10.1.2.4'), []);
  assert.equal(idx.podsByIp('010.1.2.3'), [], 'not canonical: no match by value');
  idx.upsertService(serviceRecordFromObject({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default' }, spec: { clusterIP: '10.96.0.1' } }));
  assert.is(idx.serviceByClusterIp('10.96.0.1')?.name, 's');
  idx.upsertNode(nodeRecordFromObject({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, status: { addresses: [{ type: 'InternalIP', address: '192.168.0.1' }] } }));
  assert.ok(idx.isNodeIp('192.168.0.1'));
  idx.removeNode('n');
  assert.ok(!idx.isNodeIp('192.168.0.1'));
});

test('servicePods follows pod updates, deletions, late pods and slice changes (answers reused only while the same)', () => {
  const idx = createClusterIndex();
  const slice = (name: string, pods: string[]) => endpointSliceRecordFromObject({ metadata: { name, namespace: 'default', labels: { 'kubernetes.io/service-name': 's' } },
    endpoints: pods.map((p, i) => ({ addresses: [`10.0.1.${i}`], targetRef: { kind: 'Pod', name: p, namespace: 'default' } })) });
  const names = () => idx.servicePods('default', 's').map((p) => p.name);
  idx.upsertSlice(slice('s-1', ['b', 'a', 'c']));
  idx.upsertPod(pod('a', ['10.0.1.1']));
  idx.upsertPod(pod('b', ['10.0.1.0']));
  assert.equal(names(), ['a', 'b']);
  idx.upsertPod(pod('c', ['10.0.1.2']));
  assert.equal(names(), ['a', 'b', 'c'], 'a pod that arrives after its slice');
  assert.equal(names(), ['a', 'b', 'c']);
  const a2 = pod('a', ['10.0.1.1']);
  idx.upsertPod(a2);
  assert.is(idx.servicePods('default', 's')[0], a2, 'the updated record, not the one before');
  idx.removePod('default', 'b');
  assert.equal(names(), ['a', 'c']);
  idx.upsertSlice(slice('s-2', ['d']));
  idx.upsertPod(pod('d', ['10.0.1.3']));
  assert.equal(names(), ['a', 'c', 'd'], 'a second slice');
  idx.removeSlice('default', 's-1');
  assert.equal(names(), ['d']);
  idx.servicePods('default', 's').pop();
  assert.equal(names(), ['d'], 'a caller changing its answer changes nothing kept');
});

test('the same IP asked again after any change to the IP tables gets the new answer (the last answer is remembered until then)', () => {
  let t = 0;
  const idx = createClusterIndex({ goneRetentionMs: 1000, now: () => t });
  const ip = '10.0.4.1';
  const names = () => idx.podsByIp(ip).map((p) => p.name);
  assert.equal(names(), []);
  idx.upsertPod(pod('a', [ip]));
  assert.equal(names(), ['a'], 'a pod added');
  assert.is(idx.podsByIp(ip), idx.podsByIp(ip), 'a repeat is the answer remembered');
  const other = '10.0.4.9';
  assert.equal(idx.podsByIp(other), []);
  assert.equal(names(), ['a'], 'two IPs in turn (a client, then a server)');
  idx.upsertPod(pod('c', [other]));
  assert.equal(idx.podsByIp(other).map((p) => p.name), ['c'], 'the older of the two remembered, after a change');
  idx.removePod('default', 'c');
  t += 2000;
  idx.upsertPod(pod('b', [ip], '2024-02-01T00:00:00Z'));
  assert.equal(names(), ['b', 'a'], 'a second holder');
  idx.upsertPod(pod('b', ['10.0.4.2'], '2024-02-01T00:00:00Z'));
  assert.equal(names(), ['a'], 'a holder that moved');
  idx.removePod('default', 'a');
  assert.equal(names(), ['a'], 'deleted, kept for IP reuse');
  t += 2000;
  assert.equal(names(), [], 'expired');
  const svc = serviceRecordFromObject({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default' }, spec: { clusterIP: ip } });
  assert.is(idx.serviceByClusterIp(ip), undefined);
  idx.upsertService(svc);
  assert.is(idx.serviceByClusterIp(ip)?.name, 's', 'a Service added');
  idx.removeService('default', 's');
  assert.is(idx.serviceByClusterIp(ip), undefined, 'a Service removed');
  const node = nodeRecordFromObject({ metadata: { name: 'n' }, status: { addresses: [{ type: 'InternalIP', address: ip }] } });
  assert.not.ok(idx.isNodeIp(ip));
  idx.upsertNode(node);
  assert.ok(idx.isNodeIp(ip), 'a node added');
  idx.removeNode('n');
  assert.not.ok(idx.isNodeIp(ip), 'a node removed');
  assert.equal(names(), []);
  assert.ok(idx.isNodeIp('10.0.4.3') === false && idx.podsByIp('10.0.4.3').length === 0, 'another IP after it');
});

test('the API server\'s IPs follow its Service, its slices and legacy Endpoints (the answer is kept until one changes)', () => {
  const idx = createClusterIndex();
  const ips = () => [...idx.apiServerIps()].sort();
  assert.equal(ips(), []);
  idx.upsertService(serviceRecordFromObject({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', namespace: 'default' }, spec: { clusterIP: '10.96.0.1' } }));
  assert.equal(ips(), ['10.96.0.1'], 'the Service');
  assert.is(idx.apiServerIps(), idx.apiServerIps(), 'kept while nothing changes');
  const slice = (address: string) => endpointSliceRecordFromObject({ metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    endpoints: [{ addresses: [address] }] });
  idx.upsertSlice(slice('172.18.0.2'));
  assert.equal(ips(), ['10.96.0.1', '172.18.0.2'], 'a slice');
  idx.upsertSlice(slice('172.18.0.3'));
  assert.equal(ips(), ['10.96.0.1', '172.18.0.3'], 'the slice changed');
  idx.removeSlice('default', 'kubernetes');
  assert.equal(ips(), ['10.96.0.1'], 'the slice removed');
  idx.upsertEndpoints({ namespace: 'default', name: 'kubernetes', service: 'kubernetes', addresses: ['172.18.0.9'], pods: [] });
  assert.equal(ips(), ['10.96.0.1', '172.18.0.9'], 'legacy Endpoints');
  idx.removeEndpoints('default', 'kubernetes');
  idx.removeService('default', 'kubernetes');
  assert.equal(ips(), []);
});

test.run();
