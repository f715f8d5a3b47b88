import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { PodRecord } from '../cluster/view.ts';
import type { WorkloadIdentity } from '../model.ts';
import { createIdentityCache } from './identities.ts';

const pod = (name: string, labels: Record<string, string>): PodRecord =>
  ({ uid: name, name, namespace: 'ns', ips: [], hostNetwork: false, createdAt: 0, labels, annotations: {} });
/** A resolver that names every pod by its `app` label, as a fresh object each time (as the owner walk does). */
const byApp = (extra: (p: PodRecord) => Partial<WorkloadIdentity> = () => ({})) =>
  ({ resolvePod: async (p: PodRecord): Promise<WorkloadIdentity> => ({ name: p.labels.app ?? p.name, namespace: p.namespace, kind: 'Deployment', ...extra(p) }) });

test('pods of one workload with the same labels share one identity object', async () => {
  const cache = createIdentityCache(byApp(), () => 0);
  const a = await cache.of(pod('a-1', { app: 'a' })), b = await cache.of(pod('a-2', { app: 'a' }));
  assert.is(a, b);
  assert.equal(a, { name: 'a', namespace: 'ns', kind: 'Deployment', labels: { app: 'a' } });
});

test('identities that differ in anything an output could show stay distinct objects', async () => {
  const cache = createIdentityCache(byApp((p) => (p.name.endsWith('u') ? { group: undefined } : p.name.endsWith('g') ? { group: 'apps' } : {})), () => 0);
  const base = await cache.of(pod('a-1', { app: 'a' }));
  const otherLabels = await cache.of(pod('a-2', { app: 'a', tier: 'web' }));
  const reordered = await cache.of(pod('a-3', { tier: 'web', app: 'a' }));
  const withGroup = await cache.of(pod('a-g', { app: 'a' }));
  const undefinedGroup = await cache.of(pod('a-u', { app: 'a' }));
  const objects = [base, otherLabels, reordered, withGroup, undefinedGroup];
  assert.is(new Set(objects).size, objects.length);
  assert.equal(Object.keys(reordered.labels!), ['tier', 'app'], 'label order kept as the pod has it');
  assert.ok('group' in undefinedGroup && !('group' in base), 'an undefined property is not an absent one');
});

test('sharing is bounded: past the bound the table starts again, answers unchanged', async () => {
  const cache = createIdentityCache(byApp(), () => 0, 60_000, 3);
  const ids = [];
  for (let i = 0; i < 10; i++) ids.push(await cache.of(pod(`p-${i}`, { app: `w-${i % 5}` })));
  for (let i = 0; i < 10; i++) assert.equal(ids[i], { name: `w-${i % 5}`, namespace: 'ns', kind: 'Deployment', labels: { app: `w-${i % 5}` } });
});

test.run();
