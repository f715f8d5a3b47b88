import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalIp, formatIpv6Groups, isLoopback, isPrivateOrSpecial, parseIp, parseIpv4, sameIpv4Prefix, unmappedIpv4 } from './ip.ts';

/** Expectations from the WHATWG URL parser, not from our own code. */
const urlCanonical = (text: string): string => new URL(`http://[${text}]/`).hostname.slice(1, -1);
function groupsOf(text: string): number[] {
  const canon = urlCanonical(text);
  const [head, tail] = canon.includes('::') ? canon.split('::') : [canon, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const mid = tail === undefined ? [] : Array(8 - h.length - t.length).fill('0');
  return [...h, ...mid, ...t].map((g) => parseInt(g, 16));
}

test('IPv4: dotted quads only (RFC 791), no leading zeros or short forms', () => {
  assert.is(canonicalIp('10.244.0.8'), '10.244.0.8');
  for (const bad of ['10.1.2', '10.1.2.256', '010.1.2.3', '1.2.3.4.5', '', 'a.b.c.d', '1..2.3', 'None', 'minikube']) assert.is(canonicalIp(bad), undefined, bad);
});

test('IPv6: RFC 5952 canonical text (lower case, longest zero run compressed, leftmost on a tie)', () => {
  assert.is(canonicalIp('FD00:10:244:0:0:0:0:30'), 'fd00:10:244::30');
  assert.is(canonicalIp('2001:0db8:0000:0000:0001:0000:0000:0001'), '2001:db8::1:0:0:1');
  assert.is(canonicalIp('fd00::0:1'), 'fd00::1');
  assert.is(canonicalIp('::'), '::');
  assert.is(canonicalIp('fd00:0:0:1::'), 'fd00:0:0:1::');
  assert.is(canonicalIp('2001:db8:0:1:0:0:0:1'), '2001:db8:0:1::1', 'the longest run wins');
  assert.is(canonicalIp('2001:db8:1:2:3:4:5:0'), '2001:db8:1:2:3:4:5:0', 'a single zero group is not compressed');
  for (const a of ['::1', 'fd00:6e6d:736e::2', '1:0:0:2:0:0:0:3', 'fe80::a:b:c:d', '1:2:3:4:5:6:7:8', '1:0:2:3:4:5:6:7']) {
    assert.is(canonicalIp(a), urlCanonical(a), a);
    assert.is(formatIpv6Groups(groupsOf(a)), urlCanonical(a), `groups ${a}`);
  }
  for (const bad of ['1::2::3', '2001:db8::1%eth0', 'fe80::1%eth0', '12345::1', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', ':', '[::1]', '1.2.3.4::1']) {
    assert.is(canonicalIp(bad), undefined, bad);
  }
});

// The sniffer's formatter printed ::ffff:a00:1 for a mapped address while the decoder and the
// controller printed ::ffff:10.0.0.1; one formatter now, and this pins it (RFC 5952 §5).
test('IPv4-mapped IPv6 keeps the dotted quad everywhere; the socket scan unmaps it explicitly', () => {
  assert.is(canonicalIp('::ffff:10.0.0.1'), '::ffff:10.0.0.1');
  assert.is(canonicalIp('::FFFF:a00:1'), '::ffff:10.0.0.1');
  assert.is(formatIpv6Groups(groupsOf('::ffff:10.0.0.1')), '::ffff:10.0.0.1');
  assert.is(unmappedIpv4(groupsOf('::ffff:10.231.7.3')), '10.231.7.3');
  assert.is(unmappedIpv4(groupsOf('fd00::ffff:a00:1')), undefined);
});

test('private and special ranges are never the Internet', () => {
  for (const ip of ['10.0.0.1', '172.16.5.4', '172.31.255.255', '192.168.1.1', '100.64.0.1', '127.0.0.1', '169.254.1.1', 'fd12::1', 'fe80::1', '::1', '::ffff:10.0.0.1']) {
    assert.ok(isPrivateOrSpecial(parseIp(ip)!), ip);
  }
  for (const ip of ['8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8']) assert.not.ok(isPrivateOrSpecial(parseIp(ip)!), ip);
});

test('loopback', () => {
  for (const ip of ['127.0.0.1', '127.9.9.9', '::1', '::ffff:127.0.0.1']) assert.ok(isLoopback(ip), ip);
  for (const ip of ['10.0.0.1', '::2']) assert.not.ok(isLoopback(ip), ip);
});

test('sameIpv4Prefix: the control-plane /28 around an endpoint, and nothing outside it', () => {
  const ep = parseIpv4('172.16.0.34')!;
  for (const ip of ['172.16.0.32', '172.16.0.40', '172.16.0.47']) assert.ok(sameIpv4Prefix(parseIpv4(ip)!, ep, 28), ip);
  for (const ip of ['172.16.0.31', '172.16.0.48', '10.16.0.34']) assert.not.ok(sameIpv4Prefix(parseIpv4(ip)!, ep, 28), ip);
  assert.ok(sameIpv4Prefix(parseIpv4('172.16.0.34')!, ep, 32));
  assert.not.ok(sameIpv4Prefix(parseIpv4('172.16.0.35')!, ep, 32));
  assert.ok(sameIpv4Prefix(parseIpv4('1.2.3.4')!, ep, 0));
  assert.not.ok(sameIpv4Prefix(parseIpv4('1.2.3.4')!, undefined, 8));
});

test.run();
