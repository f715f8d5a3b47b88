import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createTokenFileAuth, parseTokenFile } from './token-file.ts';

test('token file: tokens per line with their roles (bare = sniffer), comments ignored, reloaded, empty file refused at start', async () => {
  let text = '# comment\ntok-a\ntok-k kafka-watcher\n';
  let t = 0;
  const auth = await createTokenFileAuth({ file: 'tokens', read: async () => text, now: () => t, reloadMs: 100 });
  assert.equal(await auth.verify('tok-a'), { ok: true, user: 'token-file:tokens:2', roles: ['sniffer'], quotaKey: 'token-file:tokens:2' });
  assert.equal((await auth.verify('tok-k') as { roles: readonly string[] }).roles, ['kafka-watcher']);
  assert.equal(await auth.verify('tok-a '), { ok: false, status: 401, code: 'invalid-token', reason: 'token not accepted' });
  assert.is((await auth.verify('# comment')).ok, false);
  assert.equal(await auth.verify(undefined), { ok: false, status: 401, code: 'missing-token', reason: 'missing bearer token' });
  text = 'tok-b sniffer,istio-watcher\n';
  t = 150;
  assert.is((await auth.verify('tok-a')).ok, false, 'rotated');
  assert.equal((await auth.verify('tok-b') as { roles: readonly string[] }).roles, ['sniffer', 'istio-watcher']);
  text = '';
  t = 300;
  assert.is((await auth.verify('tok-b')).ok, true, 'an empty file mid-update keeps the last good tokens');
  try { await createTokenFileAuth({ file: 'empty', read: async () => '\n# none\n' }); assert.unreachable(); } catch (err) { assert.match((err as Error).message, /empty: no token/); }
});

test('token file: an unknown role or a third field fails loudly with the line', () => {
  assert.throws(() => parseTokenFile('a sniffer\nb admin\n', 'f'), /f:2: unknown role "admin"/);
  assert.throws(() => parseTokenFile('a sniffer extra\n', 'f'), /f:1: expected/);
});

test.run();
