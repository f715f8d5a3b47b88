// The informer view against the list/watch test server: live updates, deletes kept for IP reuse, 410 → relist,
// dropped connections and server errors → restart, bookmarks, on-demand owner reads, malformed objects.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { conformanceObjects, derivedPod } from '../../../fixtures/test-support/cluster-cases.ts';
import { createFakeApiServer, DEFAULT_FAKE_RESOURCES, type FakeApiServer } from '../../../fixtures/test-support/fake-apiserver.ts';
import { waitFor, withTimeout } from '../../../fixtures/test-support/wait.ts';
import { createIdentityResolver } from '../identity/resolver.ts';
import { createInformerView, type InformerView, type InformerViewOptions } from './informer.ts';

const ROLLOUT = { group: 'argoproj.io', version: 'v1alpha1', resource: 'rollouts', kind: 'Rollout', namespaced: true };

async function withView(fn: (s: FakeApiServer, v: InformerView, errors: string[]) => Promise<void>, opts: InformerViewOptions = {}, bookmarkIntervalMs = 0) {
  const s = createFakeApiServer({ bookmarkIntervalMs, resources: [...DEFAULT_FAKE_RESOURCES, ROLLOUT] });
  await s.start();
  s.load(conformanceObjects());
  const errors: string[] = [];
  const v = createInformerView(s.kubeConfig(), { minBackoffMs: 50, maxBackoffMs: 400, onError: (r, e) => errors.push(`${r}: ${(e as Error).message}`), ...opts });
  try {
    await withTimeout(v.start(), 10_000, 'initial sync');
    await waitFor(() => s.openWatches() === DEFAULT_FAKE_RESOURCES.length - 1, 'all watches open');
    await fn(s, v, errors);
  } finally {
    await v.stop();
    await s.close();
  }
}

const watchesOf = (s: FakeApiServer, resource: string) => s.requests.filter((r) => r.verb === 'watch' && r.resource === resource);
const listsOf = (s: FakeApiServer, resource: string) => s.requests.filter((r) => r.verb === 'list' && r.resource === resource);

test('builds one informer per watched resource, lists in pages, then watches from the list version', () => withView(async (s, v) => {
  assert.ok(v.isSynced());
  assert.equal(new Set(s.requests.filter((r) => r.verb === 'watch').map((r) => r.resource)).size, DEFAULT_FAKE_RESOURCES.length - 1);
  assert.ok(listsOf(s, 'pods').length >= 3, 'pods listed in pages of 5');
  assert.match(listsOf(s, 'pods')[1].query, /continue=/);
  assert.match(watchesOf(s, 'pods')[0].query, /resourceVersion=\d+/);
  assert.is(listsOf(s, 'endpoints').length, 0, 'legacy Endpoints are not watched');
  const m = v.metrics();
  assert.is(m.relists, 0);
  assert.is(m.informerRestarts, 0);
  assert.ok(m.pods > 15);
}, { pageSize: 5 }));

test('MODIFIED and DELETED: new IPs and labels, a deleted pod kept (goneAt) for IP reuse, then pruned', async () => {
  let now = Date.parse('2026-01-01T00:00:00Z');
  await withView(async (s, v) => {
    s.apply(derivedPod('dual', 'default', ['10.244.0.31', 'fd00:10:244::31'], { metadata: { labels: { v: '2' }, creationTimestamp: '2024-05-01T00:00:00Z' } }));
    await waitFor(() => v.pod('default', 'dual')?.labels.v === '2', 'update seen');
    assert.is(v.podsByIp('fd00:10:244::31')[0]?.name, 'dual');
    assert.equal(v.podsByIp('fd00:10:244::30'), [], 'the old IP no longer points at it');
    s.remove({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'dual', namespace: 'default' } });
    await waitFor(() => v.pod('default', 'dual') === undefined, 'delete seen');
    const [gone] = v.podsByIp('10.244.0.31');
    assert.is(gone?.name, 'dual');
    assert.is(gone?.goneAt, now);
    s.apply(derivedPod('reuser', 'default', ['10.244.0.31'], { metadata: { creationTimestamp: '2026-01-01T00:00:00Z' } }));
    await waitFor(() => v.podsByIp('10.244.0.31').length === 2, 'reuse seen');
    assert.equal(v.podsByIp('10.244.0.31').map((p) => p.name), ['reuser', 'dual']);
    now += 11 * 60_000;
    assert.equal(v.podsByIp('10.244.0.31').map((p) => p.name), ['reuser'], 'gone pods expire after 10 minutes');
    // A StatefulSet pod recreated under the same name (new uid, new IP): the old one is kept as gone.
    s.apply(derivedPod('web-0', 'default', ['10.244.0.90'], { metadata: { uid: 'web-0-a' } }));
    await waitFor(() => v.pod('default', 'web-0') !== undefined, 'web-0 seen');
    s.apply(derivedPod('web-0', 'default', ['10.244.0.91'], { metadata: { uid: 'web-0-b' } }));
    await waitFor(() => v.pod('default', 'web-0')?.uid === 'web-0-b', 'web-0 replaced');
    assert.is(v.podsByIp('10.244.0.90')[0]?.uid, 'web-0-a');
    assert.is(v.podsByIp('10.244.0.90')[0]?.goneAt, now);
    s.remove({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc1', namespace: 'default' } });
    await waitFor(() => v.service('default', 'svc1') === undefined, 'service delete');
    assert.is(v.serviceByClusterIp('10.96.66.245'), undefined);
  }, { now: () => now });
});

test('410 Gone on a watch → relist, which reconciles what was missed (deletes included)', () => withView(async (s, v, errors) => {
  s.failNext({ resource: 'pods', verb: 'watch', status: 410 });
  s.failNext({ resource: 'pods', verb: 'list', status: 500 });      // the relist fails once: the view restarts it
  s.sendWatchError('pods', 410);
  await waitFor(() => errors.length > 0, 'relist failure reported');
  // While the pods informer waits for its restart, the cluster changes.
  s.remove({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p2', namespace: 'default' } });
  s.apply(derivedPod('while-away', 'default', ['10.244.0.50']));
  await waitFor(() => v.pod('default', 'while-away') !== undefined && v.pod('default', 'p2') === undefined, 'reconciled by the relist', 5000);
  const m = v.metrics();
  assert.ok(m.relists >= 1, `relists ${m.relists}`);
  assert.ok(m.informerRestarts >= 1);
  await waitFor(() => s.openWatches('pods') === 1, 'watching again');
}));

test('410 as an HTTP status on rewatch also relists', () => withView(async (s, v) => {
  const lists = listsOf(s, 'services').length;
  s.failNext({ resource: 'services', verb: 'watch', status: 410 });
  s.endWatches('services');
  await waitFor(() => listsOf(s, 'services').length === lists + 1 && s.openWatches('services') === 1, 'relist and rewatch');
  assert.is(v.metrics().informerRestarts, 0, 'client-node handles 410 itself');
  assert.ok(v.metrics().relists >= 1);
}));

test('dropped connection → the informer errors, the view restarts it and resumes from its version (no relist)', () => withView(async (s, v, errors) => {
  const lists = listsOf(s, 'pods').length;
  s.dropWatches('pods');
  s.apply(derivedPod('during-drop', 'default', ['10.244.0.60']));
  await waitFor(() => v.pod('default', 'during-drop') !== undefined, 'event replayed after restart');
  assert.match(errors.join('\n'), /pods: terminated/);
  assert.ok(v.metrics().informerRestarts >= 1);
  assert.is(listsOf(s, 'pods').length, lists, 'resumed from the last resourceVersion');
}));

test('500 on watch stops the informer; the view restarts it with growing backoff', () => withView(async (s, v, errors) => {
  s.failNext({ resource: 'nodes', verb: 'watch', status: 500, count: 3 });
  s.endWatches('nodes');
  await waitFor(() => s.openWatches('nodes') === 1, 'watching nodes again', 5000);
  const failed = watchesOf(s, 'nodes').filter((r) => r.status === 500);
  assert.is(failed.length, 3);
  assert.is(errors.filter((e) => e.startsWith('nodes:')).length, 3);
  assert.is(v.metrics().informerRestarts, 3);
  assert.ok(failed[2].at - failed[0].at >= 50 + 100, 'restarts waited 50 ms, then 100 ms');
  assert.is(v.metrics().nextBackoffMs.nodes, 400, 'backoff doubled per failure up to the cap (50 → 100 → 200 → 400)');
  assert.is(v.metrics().nextBackoffMs.pods, 50, 'other informers keep their own backoff');
  s.apply({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n2' }, status: { addresses: [{ type: 'InternalIP', address: 'fd00::2' }] } });
  await waitFor(() => v.isNodeIp('fd00::2'), 'node added after restart');
}));

test('bookmarks move the informer\'s resourceVersion: the next watch resumes from the bookmark', () => withView(async (s) => {
  s.apply({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n3' } });   // bumps the global version past the pods' last event
  const rv = s.currentRv();
  s.sendBookmarks('pods');
  await new Promise((r) => setTimeout(r, 100));
  s.endWatches('pods');
  await waitFor(() => watchesOf(s, 'pods').length >= 2 && s.openWatches('pods') === 1, 'rewatch');
  assert.match(watchesOf(s, 'pods').at(-1)!.query, new RegExp(`resourceVersion=${rv}(&|$)`));
}));

test('periodic bookmarks keep a quiet watch alive', () => withView(async (s) => {
  await waitFor(() => s.bookmarksSent >= 3 * (DEFAULT_FAKE_RESOURCES.length - 1), 'bookmarks sent');
  assert.ok(watchesOf(s, 'pods').length === 1, 'no reconnects');
}, {}, 100));

test('owners not watched are read on demand and cached; missing ones stop the walk', () => withView(async (s, v) => {
  s.apply({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'checkout.v2', namespace: 'default' } });
  s.apply({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'checkout-6c9f', namespace: 'default',
    ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'checkout.v2', controller: true }] } });
  s.apply(derivedPod('checkout-6c9f-x', 'default', ['10.244.0.70'], { metadata: { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'checkout-6c9f', controller: true }] } }));
  await waitFor(() => v.pod('default', 'checkout-6c9f-x') !== undefined && s.openWatches('replicasets') === 1, 'pod seen');
  const r = createIdentityResolver(v);
  const id = await r.resolvePod(v.pod('default', 'checkout-6c9f-x')!);
  assert.equal(id, { name: 'checkout_v2', namespace: 'default', kind: 'Rollout', group: 'argoproj.io', version: 'v1alpha1' });
  await v.getOwner('default', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'checkout.v2' });
  assert.is(s.requests.filter((q) => q.verb === 'get' && q.resource === 'rollouts').length, 1, 'cached');
  assert.is(await v.getOwner('default', { apiVersion: 'example.com/v1', kind: 'Nope', name: 'x' }), undefined, 'unknown group');
  assert.is(await v.getOwner('default', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Nope', name: 'x' }), undefined, 'unknown kind');
  assert.is(await v.getOwner('default', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'missing' }), undefined, 'not found');
}));

test('a transient error reading an owner rejects (no identity settled from a half walk); the next walk succeeds', () => withView(async (s, v) => {
  s.apply({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'api', namespace: 'default' } });
  s.apply({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'api-7f', namespace: 'default',
    ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'api', controller: true }] } });
  s.apply(derivedPod('api-7f-x', 'default', ['10.244.0.71'], { metadata: { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'api-7f', controller: true }] } }));
  await waitFor(() => v.pod('default', 'api-7f-x') !== undefined && v.metrics().synced, 'pod seen');
  await waitFor(async () => (await v.getOwner('default', { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'api-7f' })) !== undefined, 'rs seen');
  const r = createIdentityResolver(v);
  s.failNext({ resource: 'rollouts', verb: 'get', status: 503 });
  try {
    await r.resolvePod(v.pod('default', 'api-7f-x')!);
    assert.unreachable('should reject');
  } catch (err) {
    assert.is((err as { code?: string }).code, 'owner-read');
  }
  assert.is((await r.resolvePod(v.pod('default', 'api-7f-x')!)).kind, 'Rollout');
}));

test('a malformed object is skipped and counted, the informer keeps going', () => withView(async (s, v) => {
  s.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bad', namespace: 'default' }, status: { podIPs: 'not-a-list' } });
  s.apply(derivedPod('after-bad', 'default', ['10.244.0.80']));
  await waitFor(() => v.pod('default', 'after-bad') !== undefined, 'later pod seen');
  assert.is(v.metrics().objectErrors, 1);
  assert.is(v.pod('default', 'bad'), undefined);
}));

test('start(signal): abort stops every informer', async () => {
  const s = createFakeApiServer({ bookmarkIntervalMs: 0 });
  await s.start();
  try {
    s.failNext({ resource: 'pods', verb: 'list', status: 500, count: 1000 });   // never syncs
    const v = createInformerView(s.kubeConfig(), { minBackoffMs: 20, maxBackoffMs: 40 });
    const ac = new AbortController();
    const started = v.start(ac.signal);
    await waitFor(() => v.metrics().informerRestarts >= 2, 'restarting');
    assert.not.ok(v.isSynced());
    ac.abort();
    await withTimeout(started, 2000, 'start resolves on abort');
    // Requests already in flight at the abort may still land; after that, nothing new (the backoff here is 20-40 ms).
    await new Promise((r) => setTimeout(r, 300));
    const n = s.requests.length;
    await new Promise((r) => setTimeout(r, 300));
    assert.is(s.requests.length, n, 'no more requests after stop');
    assert.is(s.openWatches(), 0, 'watches closed');
  } finally { await s.close(); }
});

test.run();
