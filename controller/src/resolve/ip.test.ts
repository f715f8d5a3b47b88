import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalIp, isPrivateOrSpecial, parseIp } from './ip.ts';

test('IPv4: dotted quads only (RFC 791), no leading zeros or short forms', () => {
  assert.is(canonicalIp('10.1.2.3'), '10.1.2.3');
  for (const bad of ['10.1.2', '10.1.2.256', '010.1.2.3', '1.2.3.4.5', '', 'a.b.c.d', '1..2.3']) assert.is(canonicalIp(bad), undefined, bad);
});

test('IPv6: RFC 5952 canonical text (lower case, longest zero run compressed, embedded IPv4)', () => {
  assert.is(canonicalIp('2001:DB8:0:0:0:0:0:1'), '2001:db8::1');
  assert.is(canonicalIp('fd00:0:0:1::'), 'fd00:0:0:1::');
  assert.is(canonicalIp('::ffff:10.0.0.1'), '::ffff:10.0.0.1', 'RFC 5952 §5: mapped IPv4 stays dotted, as the decoder and the cluster index write it');
  assert.is(canonicalIp('::FFFF:a00:1'), '::ffff:10.0.0.1');
  assert.is(canonicalIp('2001:db8:0:1:0:0:0:1'), '2001:db8:0:1::1', 'the longest run wins');
  assert.is(canonicalIp('2001:db8:1:2:3:4:5:0'), '2001:db8:1:2:3:4:5:0', 'a single zero group is not compressed');
  for (const bad of ['1::2::3', '2001:db8::1%eth0', '12345::1', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', ':']) assert.is(canonicalIp(bad), undefined, bad);
});

test('private and special ranges are never the Internet', () => {
  for (const ip of ['10.0.0.1', '172.16.5.4', '172.31.255.255', '192.168.1.1', '100.64.0.1', '127.0.0.1', '169.254.1.1', 'fd12::1', 'fe80::1', '::1', '::ffff:10.0.0.1']) {
    assert.ok(isPrivateOrSpecial(parseIp(ip)!), ip);
  }
  for (const ip of ['8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8']) assert.not.ok(isPrivateOrSpecial(parseIp(ip)!), ip);
});

test.run();
