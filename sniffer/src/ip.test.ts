import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatIpv6, isLoopback, mappedIpv4 } from './ip.ts';

function groupsOf(text: string): number[] {
  // Let the WHATWG URL parser canonicalise, then expand, so expectations do not come from our own code.
  const canon = new URL(`http://[${text}]/`).hostname.slice(1, -1);
  const [head, tail] = canon.includes('::') ? canon.split('::') : [canon, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const mid = tail === undefined ? [] : Array(8 - h.length - t.length).fill('0');
  return [...h, ...mid, ...t].map((g) => parseInt(g, 16));
}

test('formatIpv6 agrees with the URL parser (RFC 5952)', () => {
  for (const a of ['::', '::1', 'fd00:6e6d:736e::2', '2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1', '1:0:0:2:0:0:0:3', 'fe80::a:b:c:d', '1:2:3:4:5:6:7:8', '1:0:2:3:4:5:6:7']) {
    const expected = new URL(`http://[${a}]/`).hostname.slice(1, -1);
    assert.is(formatIpv6(groupsOf(a)), expected, a);
  }
});

test('IPv4-mapped addresses become dotted IPv4', () => {
  assert.is(mappedIpv4(groupsOf('::ffff:10.231.7.3')), '10.231.7.3');
  assert.is(mappedIpv4(groupsOf('fd00::ffff:a00:1')), undefined);
});

test('loopback', () => {
  assert.ok(isLoopback('127.0.0.1'));
  assert.ok(isLoopback('127.9.9.9'));
  assert.ok(isLoopback('::1'));
  assert.ok(isLoopback('::ffff:127.0.0.1'));
  assert.not.ok(isLoopback('10.0.0.1'));
  assert.not.ok(isLoopback('::2'));
});

test.run();
