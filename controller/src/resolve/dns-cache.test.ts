import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createDnsCache } from './dns-cache.ts';

test('remembers name per client and IP until the TTL (at least a minute) passes, on the records clock', () => {
  const c = createDnsCache();
  c.remember('shop/cart', '1.2.3.4', 'api.example.com', 1_000_000, 300);
  assert.is(c.lookup('shop/cart', '1.2.3.4', 1_000_000 + 299_000), 'api.example.com');
  assert.is(c.lookup('shop/cart', '1.2.3.4', 1_000_000 + 301_000), undefined, 'expired');
  assert.is(c.lookup('shop/other', '1.2.3.4', 1_000_001), undefined, 'another client did not resolve it');
  c.remember('shop/cart', '5.6.7.8', 'x.example.com', 0, 0);
  assert.is(c.lookup('shop/cart', '5.6.7.8', 59_000), 'x.example.com', 'TTL 0 still lives a minute');
});

test('bounded: the oldest entry goes first', () => {
  const c = createDnsCache(2);
  c.remember('a', '1.1.1.1', 'one', 0, 600);
  c.remember('a', '2.2.2.2', 'two', 0, 600);
  c.remember('a', '3.3.3.3', 'three', 0, 600);
  assert.is(c.size(), 2);
  assert.is(c.lookup('a', '1.1.1.1', 1), undefined);
  assert.is(c.lookup('a', '3.3.3.3', 1), 'three');
});

test.run();
