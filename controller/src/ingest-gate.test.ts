// The ingest gate on its own: kinds per role, identities only from the identity resolver, a bounded
// rate of new intents per reporter.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createIngestGate, REPORTER_QUOTA_WINDOW_MS } from './ingest-gate.ts';
import { API_SERVER_IDENTITY, type PodIdentityResolver } from './resolve/identities.ts';
import type { PodRecord } from './cluster/view.ts';
import type { Reporter } from './auth/types.ts';

const sniffer: Reporter = { user: 'u', roles: ['sniffer'], quotaKey: 'u/pod-a' };
const pod = { uid: 'p1', name: 'web-1', namespace: 'shop' } as PodRecord;
const resolver: PodIdentityResolver = { resolvePod: () => Promise.resolve({ name: 'web', namespace: 'shop', kind: 'Deployment' }) };
const obs = (client: { name: string; namespace: string; kind: string }, server?: { name: string; namespace: string; kind: string; kubernetesService?: string }) =>
  ({ client, ...(server ? { server } : {}), type: 'plain' as const, lastSeen: 0, count: 1, source: 'tcp' as const });

test('kinds per role; no reporter (replay) may send any', () => {
  const g = createIngestGate();
  assert.equal(['dns', 'tcp', 'socket', 'kafka', 'istio'].map((k) => g.refuseKind(sniffer, k as 'dns')), [undefined, undefined, undefined, 'kind-not-allowed-for-role', 'kind-not-allowed-for-role']);
  assert.is(g.refuseKind({ ...sniffer, roles: ['istio-watcher'] }, 'istio'), undefined);
  assert.is(g.refuseKind(undefined, 'istio'), undefined);
});

test('an identity the resolver never produced is refused, whatever its name; a Service-decorated copy and the API server pass', async () => {
  const g = createIngestGate();
  const ids = g.track(resolver);
  const web = { name: 'web', namespace: 'shop', kind: 'Deployment' };
  assert.is(g.refuseUnverified(obs(web)), 'workload-not-in-cluster', 'not produced yet');
  await ids.resolvePod(pod);
  assert.is(g.refuseUnverified(obs(web)), undefined);
  assert.is(g.refuseUnverified(obs(web, { ...web, kubernetesService: 'web' })), undefined);
  assert.is(g.refuseUnverified(obs(web, API_SERVER_IDENTITY)), undefined);
  assert.is(g.refuseUnverified(obs({ name: 'attacker', namespace: 'shop', kind: '' }, web)), 'workload-not-in-cluster');
  assert.is(g.refuseUnverified(obs(web, { name: 'web', namespace: 'shop', kind: '' })), 'workload-not-in-cluster', 'a verbatim name, kind left empty');
  assert.is(g.refuseUnverified(obs(web, { ...API_SERVER_IDENTITY })), 'workload-not-in-cluster', 'only the API server identity itself, not a look-alike');
});

test('new intents per reporter: a bucket of N per window, refilled over time, per quota key', () => {
  let t = 0;
  const g = createIngestGate({ reporterNewIntents: 3, now: () => t });
  assert.equal([1, 2, 3, 4].map(() => g.refuseNew(sniffer)), [undefined, undefined, undefined, 'reporter-quota']);
  assert.is(g.refuseNew({ ...sniffer, quotaKey: 'u/pod-b' }), undefined, 'another pod of the same account has its own');
  t = REPORTER_QUOTA_WINDOW_MS / 3;
  assert.is(g.refuseNew(sniffer), undefined, 'one refilled');
  assert.is(g.refuseNew(sniffer), 'reporter-quota');
  assert.is(createIngestGate({ reporterNewIntents: 0 }).refuseNew(sniffer), undefined, '0: no bound');
});

test.run();
