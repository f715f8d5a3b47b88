import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fixtureFiles, fixtureObjects } from '../../../fixtures/test-support/fixtures.ts';
import { snapshotViewFromObjects } from '../cluster/snapshot.ts';
import type { ClusterView, OwnerRef, PodRecord } from '../cluster/view.ts';
import { ENDPOINTSLICE_SERVICE_LABEL, podRecordFromObject } from '../cluster/objects.ts';
import { OTTERIZE_SERVICE_NAME_LABEL } from './naming.ts';
import { createIdentityResolver } from './resolver.ts';

const popeye = fixtureObjects(fixtureFiles('popeye'));
const k9s = fixtureObjects(fixtureFiles('k9s'));
const k9sPod = k9s.find((o: any) => o.kind === 'Pod' && o.metadata.name === 'nginx') as any;

/** The real k9s bare pod, re-parented onto a real owner from the dumps (the dumps hold no pod for these owners). */
function podOwnedBy(name: string, namespace: string, ref: OwnerRef, extra: Record<string, any> = {}) {
  const p = structuredClone(k9sPod);
  p.metadata.name = name;
  p.metadata.namespace = namespace;
  p.metadata.uid = `uid-${namespace}-${name}`;
  p.metadata.ownerReferences = [{ ...ref, controller: true }];
  Object.assign(p.metadata, extra);
  return p;
}

const extraPods = [
  podOwnedBy('icx-db-7d4b578979-abcde', 'icx', { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'icx-db-7d4b578979' }),
  podOwnedBy('hello-1567179180-xyz', 'default', { apiVersion: 'batch/v1', kind: 'Job', name: 'hello-1567179180' }),
  podOwnedBy('fluentd-gcp-v3.2.0-q1', 'kube-system', { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'fluentd-gcp-v3.2.0' }),
  podOwnedBy('nginx-sts-0', 'default', { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'nginx-sts' }),
  podOwnedBy('ds2-abc', 'default', { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds2' }),
  podOwnedBy('j1-pod', 'default', { apiVersion: 'batch/v1', kind: 'Job', name: 'j1' }),
  podOwnedBy('j3-pod', 'default', { apiVersion: 'batch/v1', kind: 'Job', name: 'j3' }),
];
const view = snapshotViewFromObjects([...popeye, ...k9s, ...extraPods], 'fixtures');
const pod = (ns: string, name: string) => view.pod(ns, name) ?? assert.unreachable(`no pod ${ns}/${name}`) as never;

test('owner walk over the real dumps: Deployment, CronJob, DaemonSet (dots), StatefulSet', async () => {
  const r = createIdentityResolver(view);
  assert.equal(await r.resolvePod(pod('default', 'p1')), { name: 'dp1', namespace: 'default', kind: 'Deployment', group: 'apps', version: 'v1' });
  // k9s's ReplicaSet dump declares apiVersion networking.k8s.io/v1, so the pod's apps/v1 reference cannot be
  // read: the walk stops at the ReplicaSet's name, as it would against an API server.
  assert.equal(await r.resolvePod(pod('icx', 'icx-db-7d4b578979-abcde')), { name: 'icx-db-7d4b578979', namespace: 'icx', kind: 'ReplicaSet', group: 'apps', version: 'v1' });
  // The Job names its CronJob as batch/v1beta1 (k9s dump); the root's own apiVersion is reported.
  assert.equal(await r.resolvePod(pod('default', 'hello-1567179180-xyz')), { name: 'hello', namespace: 'default', kind: 'CronJob', group: 'batch', version: 'v1beta1' });
  assert.equal(await r.resolvePod(pod('default', 'j1-pod')), { name: 'cj1', namespace: 'default', kind: 'CronJob', group: 'batch', version: 'v1' });
  assert.equal(await r.resolvePod(pod('kube-system', 'fluentd-gcp-v3.2.0-q1')), { name: 'fluentd-gcp-v3_2_0', namespace: 'kube-system', kind: 'DaemonSet', group: 'apps', version: 'v1' });
  assert.equal(await r.resolvePod(pod('default', 'nginx-sts-0')), { name: 'nginx-sts', namespace: 'default', kind: 'StatefulSet', group: 'apps', version: 'v1' });
  assert.equal(await r.resolvePod(pod('default', 'ds2-abc')), { name: 'ds2', namespace: 'default', kind: 'DaemonSet', group: 'apps', version: 'v1' }, 'duplicate name ds2');
});

test('no owner: the pod itself, kind Pod, core v1', async () => {
  const r = createIdentityResolver(view);
  assert.equal(await r.resolvePod(pod('default', 'p2')), { name: 'p2', namespace: 'default', kind: 'Pod', group: '', version: 'v1' });
  assert.equal(await r.resolvePod(pod('default', 'nginx')), { name: 'nginx', namespace: 'default', kind: 'Pod', group: '', version: 'v1' });
});

test('missing owners stop the walk at their name and kind (popeye rs5, j4, DaemonSet rs3, CronJob cj3; k9s RS)', async () => {
  const r = createIdentityResolver(view);
  assert.equal(await r.resolvePod(pod('default', 'p5')), { name: 'rs5', namespace: 'default', kind: 'ReplicaSet', group: 'apps', version: 'v1' });
  assert.equal(await r.resolvePod(pod('default', 'p4')), { name: 'j4', namespace: 'default', kind: 'Job', group: 'apps', version: 'v1' });
  assert.equal(await r.resolvePod(pod('default', 'p3')), { name: 'rs3', namespace: 'default', kind: 'DaemonSet', group: 'apps', version: 'v1' });
  assert.equal(await r.resolvePod(pod('ns1', 'p1')), { name: 'rs3', namespace: 'ns1', kind: 'DaemonSet', group: 'apps', version: 'v1' });
  assert.equal(await r.resolvePod(pod('default', 'j3-pod')), { name: 'cj3', namespace: 'default', kind: 'CronJob', group: 'batch', version: 'v1' });
  assert.equal((await r.resolvePod(pod('default', 'nginx-7fb78fb6d8-2w75j'))).name, 'nginx-7fb78fb6d8');
  assert.ok(r.stats().ownerMissing >= 6);
});

function annotated(annotations: Record<string, string>, labels: Record<string, string> = {}): PodRecord {
  const o = podOwnedBy('api-7d4b578979-x', 'default', { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs1' }, { annotations, labels });
  return podRecordFromObject(o, { keepAnnotations: ['intents.otterize.com/workload-name', 'intents.otterize.com/service-name', 'example.com/name'] });
}

test('annotation, deprecated annotation, otterize/service-name label, label rule, in that order', async () => {
  const r = createIdentityResolver(view, { labelRule: 'app.kubernetes.io/name' });
  const both = annotated({ 'intents.otterize.com/workload-name': 'checkout.v2', 'intents.otterize.com/service-name': 'old' });
  assert.equal(await r.resolvePod(both), { name: 'checkout.v2', namespace: 'default', kind: '', nameResolvedUsingAnnotation: true });
  assert.is((await r.resolvePod(annotated({ 'intents.otterize.com/service-name': 'old' }))).name, 'old');
  assert.is((await r.resolvePod(annotated({}, { 'otterize/service-name': 'lbl', 'app.kubernetes.io/name': 'rule' }))).name, 'lbl');
  assert.is((await r.resolvePod(annotated({}, { 'app.kubernetes.io/name': 'rule' }))).name, 'rule');
  assert.is((await r.resolvePod(annotated({}, {}))).name, 'dp1');
  const noRule = createIdentityResolver(view);
  assert.is((await noRule.resolvePod(annotated({}, { 'app.kubernetes.io/name': 'rule' }))).name, 'dp1', 'label rule is opt-in');
});

// Two constants were both called SERVICE_NAME_LABEL: the EndpointSlice label `kubernetes.io/service-name`
// (cluster/objects.ts) and the identity label `otterize/service-name`. Pinned apart here.
test('the EndpointSlice label kubernetes.io/service-name never names a pod; otterize/service-name does', async () => {
  assert.is(OTTERIZE_SERVICE_NAME_LABEL, 'otterize/service-name');
  assert.is(ENDPOINTSLICE_SERVICE_LABEL, 'kubernetes.io/service-name');
  const r = createIdentityResolver(view);
  assert.is((await r.resolvePod(annotated({}, { 'kubernetes.io/service-name': 'svc' }))).name, 'dp1');
  assert.is((await r.resolvePod(annotated({}, { 'otterize/service-name': 'svc' }))).name, 'svc');
});

test('configurable annotation name replaces the default one', async () => {
  const r = createIdentityResolver(view, { workloadNameAnnotation: 'example.com/name' });
  assert.is((await r.resolvePod(annotated({ 'example.com/name': 'custom', 'intents.otterize.com/workload-name': 'x' }))).name, 'custom');
  assert.is((await r.resolvePod(annotated({ 'intents.otterize.com/workload-name': 'x' }))).name, 'dp1');
});

test('cache: per pod uid, invalidated when the pod changes, bounded, expires', async () => {
  let t = 0;
  const r = createIdentityResolver(view, { cacheSize: 2, cacheTtlMs: 1000, now: () => t });
  const p = annotated({});
  await r.resolvePod(p);
  await r.resolvePod(p);
  assert.is(r.stats().hits, 1);
  const changed = { ...p, annotations: { 'intents.otterize.com/workload-name': 'renamed' } };
  assert.is((await r.resolvePod(changed)).name, 'renamed', 'a changed pod is re-resolved');
  await r.resolvePod(pod('default', 'p1'));
  await r.resolvePod(pod('default', 'p2'));
  assert.is(r.stats().cached, 2);
  t = 5000;
  const before = r.stats().misses;
  await r.resolvePod(pod('default', 'p2'));
  assert.is(r.stats().misses, before + 1, 'expired entry re-resolved');
});

test('an owner cycle in corrupt data ends (bounded walk)', async () => {
  const a: OwnerRef = { apiVersion: 'example.com/v1', kind: 'Loop', name: 'a' };
  const b: OwnerRef = { apiVersion: 'example.com/v1', kind: 'Loop', name: 'b' };
  const loop: ClusterView = {
    ...view,
    getOwner: async (ns, ref) => ({ ...ref, namespace: ns, owner: ref.name === 'a' ? b : a }),
  };
  const p = { ...pod('default', 'p2'), uid: 'loop', owner: a };
  const id = await createIdentityResolver(loop).resolvePod(p);
  assert.is(id.kind, 'Loop');
});

test('a view error is not cached', async () => {
  let fail = true;
  const flaky: ClusterView = { ...view, getOwner: async (ns, ref) => { if (fail) throw new Error('boom'); return view.getOwner(ns, ref); } };
  const r = createIdentityResolver(flaky);
  try { await r.resolvePod(pod('default', 'p1')); assert.unreachable(); } catch (e) { assert.is((e as Error).message, 'boom'); }
  fail = false;
  await new Promise((res) => setImmediate(res));
  assert.is((await r.resolvePod(pod('default', 'p1'))).name, 'dp1');
});

test.run();
