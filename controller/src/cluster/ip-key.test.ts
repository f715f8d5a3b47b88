import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ipKey } from './ip-key.ts';

test('a canonical dotted quad is one integer, distinct per address', () => {
  assert.is(ipKey('0.0.0.0'), 0);
  assert.is(ipKey('10.1.2.3'), (10 << 24) | (1 << 16) | (2 << 8) | 3);
  assert.is(ipKey('255.255.255.255'), -1);
  assert.is(ipKey('1.0.0.0'), 1 << 24);
  assert.is.not(ipKey('10.1.2.3'), ipKey('10.1.2.4'));
  assert.is.not(ipKey('1.23.4.5'), ipKey('12.3.4.5'));
});

test('anything not canonical IPv4 stays text (never the integer of another address)', () => {
  for (const s of ['010.1.2.3', '10.01.2.3', '10.1.2.00', '10.1.2', '10.1.2.3.4', '10.1.2.256', '1000.1.2.3', '10..2.3', '.10.1.2', '10.1.2.', 'fd00::1', '::ffff:10.0.0.1', 'a.b.c.d', '', '10.1.2.3 ']) {
    assert.is(ipKey(s), s, s);
  }
});

test('every canonical address of a sample maps back to itself', () => {
  for (let i = 0; i < 5000; i++) {
    const o = [(i * 97) & 255, (i * 31) & 255, (i * 7) & 255, i & 255];
    const k = ipKey(o.join('.')) as number;
    assert.equal([(k >>> 24) & 255, (k >>> 16) & 255, (k >>> 8) & 255, k & 255], o);
  }
});

test.run();
