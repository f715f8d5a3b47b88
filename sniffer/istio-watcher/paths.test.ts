import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createPathFolder, PathRuleError, regexRule, templateRule } from './paths.ts';

test('the query string and fragment are cut; an empty path is /', () => {
  const f = createPathFolder();
  assert.is(f.fold('/search?q=secret&token=x'), '/search');
  assert.is(f.fold('/page#top'), '/page');
  assert.is(f.fold('?x=1'), '/');
  assert.is(f.fold('/index.html'), '/index.html');
});

test('templates fold matching paths to the template; other paths are untouched', () => {
  const f = createPathFolder({ templates: ['/users/{id}', '/users/{id}/orders/{order}'] });
  assert.is(f.fold('/users/123'), '/users/{id}');
  assert.is(f.fold('/users/alice/orders/9f'), '/users/{id}/orders/{order}');
  assert.is(f.fold('/users/1/2'), '/users/1/2');
  assert.is(f.fold('/users'), '/users');
  assert.is(f.fold('/users.json'), '/users.json', 'a literal segment is literal (dots are not wildcards)');
});

test('regex rules with groups, tried after templates; the first match wins', () => {
  const f = createPathFolder({ templates: ['/a/{x}'], rules: ['/files/.*=>/files/{path}', '^/v(\\d+)/items/[^/]+$=>/v$1/items/{item}'] });
  assert.is(f.fold('/files/a/b/c.txt'), '/files/{path}');
  assert.is(f.fold('/v2/items/abc'), '/v2/items/{item}');
  assert.is(f.fold('/a/1'), '/a/{x}');
});

test('built-in id folding: digits, UUIDs, long hex', () => {
  const f = createPathFolder({ foldIds: true });
  assert.is(f.fold('/users/123/orders/550e8400-e29b-41d4-a716-446655440000'), '/users/{id}/orders/{uuid}');
  assert.is(f.fold('/blobs/0123456789abcdef0123'), '/blobs/{hex}');
  assert.is(f.fold('/v1/items'), '/v1/items');
  assert.is(createPathFolder().fold('/users/123'), '/users/123', 'off by default');
});

test('bad rules fail at start-up naming the rule', () => {
  assert.throws(() => templateRule('users/{id}'), (e: unknown) => e instanceof PathRuleError && /must start with/.test((e as Error).message));
  assert.throws(() => templateRule('/users/x{id}'), /whole segment/);
  assert.throws(() => regexRule('no-arrow'), /REGEX=>REPLACEMENT/);
  assert.throws(() => regexRule('/(unclosed=>x'), (e: unknown) => e instanceof PathRuleError && /\(unclosed/.test((e as Error).message));
});

test('per-pair cap: distinct paths past the cap are dropped; known paths and other pairs still pass', () => {
  const f = createPathFolder({ maxPathsPerPair: 2 });
  assert.equal(f.admit('p', '/a'), { path: '/a' });
  assert.equal(f.admit('p', '/b'), { path: '/b' });
  assert.equal(f.admit('p', '/c'), { dropped: 'path-cap' });
  assert.equal(f.admit('p', '/a?x=1'), { path: '/a' }, 'folded to a known path: admitted');
  assert.equal(f.admit('q', '/c'), { path: '/c' });
});

test('folding happens before the cap, so templated ids do not use it up', () => {
  const f = createPathFolder({ maxPathsPerPair: 1, templates: ['/users/{id}'] });
  for (let i = 0; i < 50; i++) assert.equal(f.admit('p', `/users/${i}`), { path: '/users/{id}' });
});

test('long paths are cut to maxPathLength', () => {
  const f = createPathFolder({ maxPathLength: 10 });
  assert.is(f.fold('/abcdefghijklmnop'), '/abcdefgh…');
});

test.run();
