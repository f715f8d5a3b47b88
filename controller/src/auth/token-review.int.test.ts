// Reporter TokenReview through the real client-node client (main.ts's tokenReviewVia) against the
// list/watch test server's TokenReview endpoint: audience-bound, then the username must be a
// configured reporter identity; its role comes with it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AuthUnavailableError } from '../../common/errors.ts';
import { createFakeApiServer } from '../../../fixtures/test-support/fake-apiserver.ts';
import { tokenReviewVia } from '../main.ts';
import { defaultReporterIdentities } from './policy.ts';
import { createTokenReviewAuth, POD_NAME_EXTRA } from './token-review.ts';

const NS = 'netmapper-system';
const api = createFakeApiServer({
  bookmarkIntervalMs: 0,
  tokens: {
    'sa-sniffer': { username: `system:serviceaccount:${NS}:network-mapper-sniffer`, audiences: ['netmapper'], extra: { [POD_NAME_EXTRA]: ['network-mapper-sniffer-x7k2p'] } },
    'sa-kafka': { username: `system:serviceaccount:${NS}:network-mapper-kafka-watcher`, audiences: ['netmapper'] },
    'sa-sniffer-k8s-aud': { username: `system:serviceaccount:${NS}:network-mapper-sniffer` },
    'sa-default': { username: 'system:serviceaccount:default:default', audiences: ['netmapper'] },
  },
});

test.before(async () => { await api.start(); });
test.after(async () => { await api.close(); });

test('a configured reporter with an audience-bound token is accepted with its role; per-pod quota key', async () => {
  const auth = createTokenReviewAuth({ review: tokenReviewVia(api.kubeConfig()), audience: 'netmapper', identities: defaultReporterIdentities(NS) });
  assert.equal(await auth.verify('sa-sniffer'), { ok: true, user: `system:serviceaccount:${NS}:network-mapper-sniffer`, roles: ['sniffer'], quotaKey: `system:serviceaccount:${NS}:network-mapper-sniffer/network-mapper-sniffer-x7k2p` });
  assert.equal((await auth.verify('sa-kafka') as { roles: readonly string[] }).roles, ['kafka-watcher']);
  const r = api.reviews.find((x) => x.kind === 'TokenReview')!;
  assert.equal(r.spec, { token: 'sa-sniffer', audiences: ['netmapper'] });
});

test('401 for no, invalid and wrong-audience tokens; 403 for a valid token of anyone else (counted by code)', async () => {
  const auth = createTokenReviewAuth({ review: tokenReviewVia(api.kubeConfig()), audience: 'netmapper', identities: defaultReporterIdentities(NS) });
  const codes = [];
  for (const t of [undefined, 'garbage', 'sa-sniffer-k8s-aud', 'sa-default']) {
    const r = await auth.verify(t);
    assert.is(r.ok, false);
    if (!r.ok) codes.push([r.status, r.code]);
  }
  assert.equal(codes, [[401, 'missing-token'], [401, 'invalid-token'], [401, 'invalid-token'], [403, 'not-a-reporter']]);
});

test('answers are cached briefly (one review per token per TTL); an API error is "unavailable", not "rejected"', async () => {
  let t = 0;
  const auth = createTokenReviewAuth({ review: tokenReviewVia(api.kubeConfig()), audience: 'netmapper', identities: defaultReporterIdentities(NS), cacheTtlMs: 1000, now: () => t });
  const count = () => api.reviews.length;
  const before = count();
  for (let i = 0; i < 5; i++) assert.is((await auth.verify('sa-kafka')).ok, true);
  assert.is(count() - before, 1);
  t = 1500;
  await auth.verify('sa-kafka');
  assert.is(count() - before, 2);
  api.failNext({ verb: 'create', resource: 'tokenreviews', status: 500 });
  try { await auth.verify('sa-default'); assert.unreachable(); } catch (err) { assert.instance(err, AuthUnavailableError); }
});

test.run();
