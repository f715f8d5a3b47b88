// TokenReview through the real client-node client (main.ts's tokenReviewVia) against a small local
// HTTP server that speaks the TokenReview API (the list/watch test server has no POST handlers).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AuthUnavailableError } from '../../common/errors.ts';
import { tokenReviewVia } from '../main.ts';
import { createTokenReviewAuth } from './token-review.ts';
import { createTokenFileAuth } from './token-file.ts';

const TOKENS: Record<string, { user: string; audiences: string[] }> = {
  'sa-sniffer': { user: 'system:serviceaccount:netmapper-system:netmapper-sniffer', audiences: ['netmapper'] },
  'sa-other-aud': { user: 'system:serviceaccount:default:x', audiences: ['https://kubernetes.default.svc'] },
  'sa-default': { user: 'system:serviceaccount:default:default', audiences: ['netmapper'] },
};
const seen: Array<{ path: string; body: { spec: { token: string; audiences: string[] } } }> = [];
let failNext = 0;
let server: Server;
let kc: KubeConfig;

test.before(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (d) => { text += d; });
    req.on('end', () => {
      if (failNext > 0) { failNext--; res.writeHead(500, { 'content-type': 'application/json' }); res.end('{"kind":"Status","code":500,"message":"etcd down"}'); return; }
      const body = JSON.parse(text);
      seen.push({ path: `${req.method} ${req.url}`, body });
      const t = TOKENS[body.spec.token];
      // The API server answers with the intersection of requested and token audiences.
      const aud = t ? t.audiences.filter((a) => body.spec.audiences.includes(a)) : [];
      const status = t && aud.length ? { authenticated: true, user: { username: t.user }, audiences: aud } : { authenticated: false, error: t ? 'token audiences do not match' : 'invalid bearer token' };
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: body.spec, status }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  kc = new KubeConfig();
  kc.loadFromOptions({ clusters: [{ name: 'c', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
});
test.after(async () => { server.closeAllConnections(); await new Promise((r) => server.close(r)); });

test('a valid service-account token for audience netmapper is accepted; wrong audience and unknown tokens are not', async () => {
  const auth = createTokenReviewAuth({ review: tokenReviewVia(kc), audience: 'netmapper' });
  assert.equal(await auth.verify('sa-sniffer'), { ok: true, user: 'system:serviceaccount:netmapper-system:netmapper-sniffer' });
  assert.equal(seen[0].path, 'POST /apis/authentication.k8s.io/v1/tokenreviews');
  assert.equal(seen[0].body.spec, { token: 'sa-sniffer', audiences: ['netmapper'] });
  const other = await auth.verify('sa-other-aud');
  assert.is(other.ok, false);
  assert.match((other as { reason: string }).reason, /audiences do not match/);
  assert.is((await auth.verify('garbage')).ok, false);
  assert.equal(await auth.verify(undefined), { ok: false, reason: 'missing bearer token' });
});

test('answers are cached briefly (one review per token per TTL), then asked again', async () => {
  let t = 0;
  const auth = createTokenReviewAuth({ review: tokenReviewVia(kc), audience: 'netmapper', cacheTtlMs: 1000, now: () => t });
  const before = seen.length;
  for (let i = 0; i < 5; i++) assert.is((await auth.verify('sa-sniffer')).ok, true);
  assert.is(seen.length - before, 1);
  t = 1500;
  await auth.verify('sa-sniffer');
  assert.is(seen.length - before, 2);
});

test('allowed users narrow who may report; an API server error is "unavailable", not "rejected"', async () => {
  const auth = createTokenReviewAuth({ review: tokenReviewVia(kc), audience: 'netmapper', allowedUsers: ['system:serviceaccount:netmapper-system:netmapper-sniffer'] });
  assert.is((await auth.verify('sa-sniffer')).ok, true);
  assert.match((await auth.verify('sa-default') as { reason: string }).reason, /not allowed/);
  failNext = 1;
  try { await auth.verify('sa-fresh'); assert.unreachable(); } catch (err) { assert.instance(err, AuthUnavailableError); }
});

test('token file: tokens per line, comments ignored, reloaded on an interval, empty file refused at start', async () => {
  let text = '# comment\ntok-a\n';
  let t = 0;
  const auth = await createTokenFileAuth({ file: 'tokens', read: async () => text, now: () => t, reloadMs: 100 });
  assert.is((await auth.verify('tok-a')).ok, true);
  assert.is((await auth.verify('tok-a ')).ok, false);
  assert.is((await auth.verify('# comment')).ok, false);
  text = 'tok-b\n';
  t = 150;
  assert.is((await auth.verify('tok-a')).ok, false, 'rotated');
  assert.is((await auth.verify('tok-b')).ok, true);
  text = '';
  t = 300;
  assert.is((await auth.verify('tok-b')).ok, true, 'an empty file mid-update keeps the last good tokens');
  try { await createTokenFileAuth({ file: 'empty', read: async () => '\n# none\n' }); assert.unreachable(); } catch (err) { assert.match((err as Error).message, /empty: no token/); }
});

test.run();
