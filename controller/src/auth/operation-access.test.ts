// The per-operation hook (for GraphQL's /query) decides as the REST routes do, from the same table.
import { Hono } from 'hono';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createOperationAccess } from './operation-access.ts';
import { createTokenReviewAuth } from './token-review.ts';
import { createUserAccess } from './user-access.ts';
import type { OperationKind } from './policy.ts';
import { REPORTERS, tableAuthorizer, tableReviewer } from '../../../fixtures/test-support/auth-table.ts';

const authorize = createOperationAccess({
  auth: createTokenReviewAuth({ review: tableReviewer, audience: 'netmapper', identities: REPORTERS }),
  access: createUserAccess({ mode: 'rbac', trustLoopback: true, review: tableReviewer, authorize: tableAuthorizer }),
  remoteAddress: (c) => (c.env as { peer?: string } | undefined)?.peer,
});
const app = new Hono();
app.post('/query', async (c) => (await authorize(c, c.req.query('kind') as OperationKind)) ?? c.json({ ok: true, reporter: (c.get as (k: string) => unknown)('reporter') ?? null }));
const ask = async (kind: OperationKind, token?: string, peer = '10.244.0.9') => (await app.request(`/query?kind=${kind}`, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {} }, { peer })).status;

test('report: reporters only; read: viewers; reset: admins; loopback trusted for read and reset, not for report', async () => {
  assert.equal(await Promise.all([ask('report'), ask('report', 'bad'), ask('report', 'tok-other-sa'), ask('report', 'tok-sniffer')]), [401, 401, 403, 200]);
  assert.equal(await Promise.all([ask('read'), ask('read', 'bad'), ask('read', 'tok-pod-sa'), ask('read', 'tok-alice-viewer')]), [401, 401, 403, 200]);
  assert.equal(await Promise.all([ask('reset'), ask('reset', 'bad'), ask('reset', 'tok-alice-viewer'), ask('reset', 'tok-bob-admin')]), [401, 401, 403, 200]);
  assert.equal(await Promise.all([ask('read', undefined, '127.0.0.1'), ask('reset', undefined, '::1'), ask('report', undefined, '127.0.0.1')]), [200, 200, 401]);
  const res = await app.request('/query?kind=report', { method: 'POST', headers: { authorization: 'Bearer tok-istio' } }, { peer: '10.0.0.1' });
  assert.equal(((await res.json()) as { reporter: { roles: string[] } }).reporter.roles, ['istio-watcher'], 'the reporter reaches the handler for ingest');
});

test.run();
