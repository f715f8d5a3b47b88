import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalIp } from './ip.ts';

test('canonical IPv6 text (RFC 5952 §4): lower case, leading zeros dropped, longest zero run compressed', () => {
  assert.is(canonicalIp('FD00:10:244:0:0:0:0:30'), 'fd00:10:244::30');
  assert.is(canonicalIp('2001:0db8:0000:0000:0001:0000:0000:0001'), '2001:db8::1:0:0:1');
  assert.is(canonicalIp('fd00::0:1'), 'fd00::1');
  assert.is(canonicalIp('::'), '::');
  assert.is(canonicalIp('::ffff:10.0.0.1'), '::ffff:10.0.0.1', 'IPv4-mapped keeps the dotted quad (§5)');
});

test('IPv4 kept; anything else is not an address', () => {
  assert.is(canonicalIp('10.244.0.8'), '10.244.0.8');
  for (const bad of ['010.1.1.1', '256.1.1.1', '10.0.0', 'None', '', 'fe80::1%eth0', '1:2:3:4:5:6:7:8:9', 'minikube', '[::1]']) {
    assert.is(canonicalIp(bad), undefined, bad);
  }
});

test.run();
