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

test('the same key as a regular expression and then reading the octets, over many inputs', () => {
  // The two-pass form ipKey replaced, with the check written independently: the reference its one pass must agree with.
  const octet = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
  const canonical = new RegExp(`^${octet}\\.${octet}\\.${octet}\\.${octet}$`);
  const reference = (s: string) => (canonical.test(s) ? s.split('.').reduce((v, o) => (v << 8) | Number(o), 0) : s);
  let seed = 12345;
  const rand = (n: number) => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed % n; };
  const inputs = ['fd00::1', '::ffff:10.0.0.1', '2001:db8::10.1.2.3', '::', '1.2.3.4%eth0', '٣.1.2.3', '1.2.3.４'];
  const alphabet = '0123456789.:af ';
  for (let i = 0; i < 100_000; i++) {
    // Random text near a dotted quad: digits and dots mostly, some other characters.
    let s = '';
    for (let j = rand(17); j > 0; j--) s += rand(4) === 0 ? '.' : alphabet[rand(alphabet.length)];
    inputs.push(s);
    // A canonical address, then one small edit of it (a digit or dot added, removed or changed).
    const quad = [rand(256), rand(256), rand(256), rand(256)].join('.');
    const at = rand(quad.length + 1);
    inputs.push(quad, quad.slice(0, at) + alphabet[rand(12)] + quad.slice(at), quad.slice(0, at) + quad.slice(at + 1),
      quad.slice(0, at) + alphabet[rand(12)] + quad.slice(at + 1));
  }
  let numbers = 0;
  for (const s of inputs) {
    const want = reference(s);
    if (typeof want === 'number') numbers++;
    assert.is(ipKey(s), want, JSON.stringify(s));
  }
  assert.ok(numbers > 100_000 && numbers < inputs.length - 100_000, `both kinds were tried (${numbers} canonical of ${inputs.length})`);
});

test.run();
