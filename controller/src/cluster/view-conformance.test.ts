// One conformance suite, two views: the same objects go to the snapshot view and, through the list/watch
// test server, to the informer view; every ClusterView answer must be identical, and correct.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { conformanceObjects } from '../../../fixtures/test-support/cluster-cases.ts';
import { createFakeApiServer } from '../../../fixtures/test-support/fake-apiserver.ts';
import { withTimeout } from '../../../fixtures/test-support/wait.ts';
import { createIdentityResolver } from '../identity/resolver.ts';
import { podHolding } from '../resolve/pod-at.ts';
import { createInformerView } from './informer.ts';
import { snapshotViewFromObjects } from './snapshot.ts';
import { probeFromObjects, viewAnswers } from './view-conformance.ts';
import type { ClusterView } from './view.ts';

const server = createFakeApiServer({ bookmarkIntervalMs: 0 });
let snapshot: ClusterView;
let informer: ReturnType<typeof createInformerView>;
let objects: Record<string, any>[];

test.before(async () => {
  await server.start();
  const { skipped } = server.load(conformanceObjects());
  assert.equal(skipped, { 'networking.k8s.io/v1 NetworkPolicy': 1, 'networking.k8s.io/v1 ReplicaSet': 1 });
  // What the server stores (with the uids and timestamps it filled in) is what both views get.
  objects = server.objects();
  snapshot = snapshotViewFromObjects(objects, 'conformance');
  informer = createInformerView(server.kubeConfig(), { pageSize: 7 });
  assert.not.ok(informer.isSynced());
  await withTimeout(informer.start(), 10_000, 'informer view sync');
});
test.after(async () => { await informer.stop(); await server.close(); });

test('both views give identical answers to every question', async () => {
  const probe = probeFromObjects(objects);
  assert.ok(probe.ips.length > 15 && probe.pods.length > 15 && probe.owners.length > 10, 'the probe covers the dumps');
  const a = await viewAnswers(snapshot, probe);
  const b = await viewAnswers(informer, probe);
  assert.equal(Object.keys(b).length, Object.keys(a).length);
  for (const k of Object.keys(a)) assert.equal(b[k], a[k], k);
});

test('both views resolve the same workload identity for every pod', async () => {
  const ra = createIdentityResolver(snapshot);
  const rb = createIdentityResolver(informer);
  for (const [ns, name] of probeFromObjects(objects).pods) {
    const p = snapshot.pod(ns, name);
    if (!p) continue;
    assert.equal(await rb.resolvePod(informer.pod(ns, name)!), await ra.resolvePod(p), `${ns}/${name}`);
  }
});

for (const [label, get] of [['snapshot', () => snapshot], ['informer', () => informer]] as const) {
  test(`${label}: the answers are right, not only equal`, async () => {
    const v = get();
    assert.ok(v.isSynced());
    assert.equal(v.podsByIp('10.244.0.40').map((p) => p.name), ['new-holder', 'old-holder'], 'reused IP: newest holder first');
    assert.ok(v.podsByIp('10.244.0.40')[1].deletingAt);
    assert.is(v.podsByIp('fd00:10:244::30')[0]?.name, 'dual');
    assert.equal(v.podsByIp('172.1.0.3').map((p) => `${p.namespace}/${p.name}`).sort(), ['ns1/p1', 'ns2/p2']);
    assert.ok(v.podsByIp('192.168.64.107')[0]?.hostNetwork);
    assert.ok(v.isNodeIp('192.168.64.107'));
    assert.is(v.serviceByClusterIp('fd00:10:96::1')?.name, 'kubernetes');
    assert.is(v.serviceByClusterIp('10.96.12.148'), undefined, 'ambiguous ClusterIP');
    assert.equal(v.apiServerIps().slice().sort(), ['10.96.0.1', '172.18.0.2', 'fd00:10:96::1']);
    assert.equal(v.servicePods('default', 'svc1').map((p) => p.name), ['p1', 'p2'], 'EndpointSlice, ready and not ready');
    assert.equal(v.servicePods('default', 'svc-none').map((p) => p.name), ['p4', 'p5'], 'legacy Endpoints, mirrored to a slice');
    assert.is(v.service('default', 'svc3')?.type, 'ExternalName');
    assert.ok(v.isCurrent?.(v.pod('default', 'p1')!) && v.isCurrent(v.service('default', 'svc1')!), 'the records held now are current');
    assert.not.ok(v.isCurrent?.({ ...v.pod('default', 'p1')! }), 'a copy is not the record held');
    assert.is((await v.getOwner('default', { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs1' }))?.owner?.name, 'dp1');
    assert.is(await v.getOwner('default', { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs5' }), undefined);
    assert.is((await createIdentityResolver(v).resolvePod(v.pod('default', 'p1')!)).name, 'dp1');
    assert.equal(v.podsByCanonicalName?.('default', 'reviews').map((p) => p.name), ['reviews-v1-a', 'reviews-v1-b'], 'Istio canonical name: by pod name');
    assert.equal(v.podsByCanonicalName?.('other', 'reviews'), [], 'namespaced');
    // The derived pods have no controller: their Istio workload name is the pod's own.
    assert.equal(v.podsByIstioWorkload?.('default', 'reviews-v1-a').map((p) => p.name), ['reviews-v1-a']);
    assert.equal(v.podsByIstioWorkload?.('default', 'dual'), [], 'only meshed pods');
  });

  test(`${label}: a completed or evicted pod still holding its podIP does not make the IP's running holder ambiguous`, () => {
    const v = get();
    const held = v.podsByIp('10.244.0.41');
    assert.equal(held.map((p) => p.name), ['running-holder', 'completed-job'], 'the completed pod is still known (older packets)');
    assert.is(held[1].endedAt, Date.parse('2024-05-01T00:10:00Z'), "the container's finishedAt");
    assert.is(v.podsByIp('10.244.0.42')[1].endedAt, Date.parse('2024-05-01T01:00:00Z'), 'evicted: the condition time');
    const at = (ip: string, iso: string) => { const r = podHolding(v, ip, Date.parse(iso)); return typeof r === 'string' ? r : r.name; };
    assert.is(at('10.244.0.41', '2024-06-01T00:00:00Z'), 'running-holder', 'now: the running pod, not "ambiguous"');
    assert.is(at('10.244.0.41', '2024-05-01T00:05:00Z'), 'completed-job', 'while the Job ran: the Job pod (time rules intact)');
    assert.is(at('10.244.0.41', '2024-05-01T00:15:00Z'), 'pod-completed', 'between the two: nobody');
    assert.is(at('10.244.0.42', '2024-06-01T00:00:00Z'), 'evict-successor');
    assert.is(at('10.244.0.42', '2024-05-01T00:30:00Z'), 'evicted');
  });
}

test.run();
