// Pod discovery through the real client-node informer against the list/watch test server (loopback).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createFakeApiServer } from '../../fixtures/test-support/fake-apiserver.ts';
import { waitFor } from '../../fixtures/test-support/wait.ts';
import { createSidecarDiscovery, sidecarOf } from './discovery.ts';

function pod(name: string, o: { ip?: string; phase?: string; tls?: boolean; proxy?: 'container' | 'native' | 'none'; restarts?: number; ns?: string; hostNetwork?: boolean } = {}) {
  const proxy = { name: 'istio-proxy', image: 'proxyv2' };
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: o.ns ?? 'shop', uid: `uid-${name}`, creationTimestamp: '2026-01-01T00:00:00Z',
      labels: o.tls === false ? { app: name } : { app: name, 'security.istio.io/tlsMode': 'istio' } },
    spec: {
      containers: [{ name: 'app', image: 'app' }, ...(o.proxy === undefined || o.proxy === 'container' ? [proxy] : [])],
      ...(o.proxy === 'native' ? { initContainers: [{ ...proxy, restartPolicy: 'Always' }] } : {}),
      ...(o.hostNetwork ? { hostNetwork: true } : {}),
    },
    status: { phase: o.phase ?? 'Running', podIP: o.ip ?? '10.1.0.1', podIPs: [{ ip: o.ip ?? '10.1.0.1' }],
      containerStatuses: [{ name: 'istio-proxy', restartCount: o.restarts ?? 0, ready: true, image: 'p', imageID: '' }] },
  };
}

test('sidecarOf: Running, labelled, with an istio-proxy container (or native sidecar), a pod IP, not host network', () => {
  assert.equal(sidecarOf(pod('a', { restarts: 2 }) as never), { uid: 'uid-a', name: 'a', namespace: 'shop', ip: '10.1.0.1', createdAt: Date.parse('2026-01-01T00:00:00Z'), proxyRestarts: 2 });
  assert.ok(sidecarOf(pod('n', { proxy: 'native' }) as never));
  for (const p of [pod('x', { phase: 'Pending' }), pod('y', { tls: false }), pod('z', { proxy: 'none' }), pod('h', { hostNetwork: true })]) assert.is(sidecarOf(p as never), undefined);
  const noIp = pod('i');
  noIp.status.podIP = undefined as never;
  noIp.status.podIPs = [];
  assert.is(sidecarOf(noIp as never), undefined);
});

test('the informer: initial list, a new pod, a restartCount change, a deletion, a namespace restriction', async () => {
  const api = createFakeApiServer({ bookmarkIntervalMs: 500 });
  await api.start();
  api.load([pod('web', { ip: '10.1.0.2' }), pod('plain', { ip: '10.1.0.3', tls: false }), pod('other', { ip: '10.1.0.9', ns: 'elsewhere' })]);
  const d = createSidecarDiscovery(api.kubeConfig(), { minBackoffMs: 50 });
  const onlyShop = createSidecarDiscovery(api.kubeConfig(), { namespace: 'shop', minBackoffMs: 50 });
  try {
    await d.start();
    await onlyShop.start();
    assert.ok(d.synced());
    const names = (x = d) => x.sidecars().map((s) => s.name).sort();
    assert.equal(names(), ['other', 'web']);
    assert.equal(names(onlyShop), ['web']);
    api.apply(pod('cart', { ip: '10.1.0.4' }));
    await waitFor(() => names().includes('cart'), 'cart added');
    api.apply(pod('cart', { ip: '10.1.0.4', restarts: 1 }));
    await waitFor(() => d.sidecars().find((s) => s.name === 'cart')?.proxyRestarts === 1, 'cart restart count');
    api.apply(pod('web', { ip: '10.1.0.2', phase: 'Succeeded' }));
    api.remove({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'other', namespace: 'elsewhere' } });
    await waitFor(() => names().join() === 'cart', 'web finished, other deleted');
  } finally {
    await d.stop();
    await onlyShop.stop();
    await api.close();
  }
});

test('a failing first list is retried until the API answers', async () => {
  const api = createFakeApiServer({ bookmarkIntervalMs: 500 });
  await api.start();
  api.load([pod('web')]);
  api.failNext({ resource: 'pods', verb: 'list', status: 500, count: 2 });
  const errors: unknown[] = [];
  const d = createSidecarDiscovery(api.kubeConfig(), { minBackoffMs: 20, onError: (e) => errors.push(e) });
  try {
    await d.start();
    assert.equal(d.sidecars().map((s) => s.name), ['web']);
    assert.ok(errors.length >= 2 && d.restarts >= 2);
  } finally {
    await d.stop();
    await api.close();
  }
});

test.run();
