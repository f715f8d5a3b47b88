import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { DnsRecord, SynRecord } from '../../parser-wasm/src/records.ts';
import { observe, type Observation } from './observation.ts';

const both = { dns: true, tcp: true };
const dns = (over: Partial<DnsRecord>): DnsRecord => ({
  kind: 'dns', ts: 100.5, src: '10.0.0.2', dst: '10.0.0.3', sport: 53, dport: 40000, transport: 'udp', name: 'web.demo', rcode: 0, answers: [], ...over,
});
const syn = (over: Partial<SynRecord>): SynRecord => ({
  kind: 'syn', ts: 7, src: '10.0.0.3', dst: '10.0.0.4', sport: 40001, dport: 8080, transport: 'tcp', ...over,
});

test('a CNAME chain is unwound fully back to the queried name', () => {
  const out: Observation[] = [];
  const n = observe(dns({
    name: 'api.demo',
    answers: [
      { name: 'api.demo', type: 'CNAME', value: 'mid.demo', ttl: 60 },
      { name: 'mid.demo', type: 'CNAME', value: 'lb.demo', ttl: 60 },
      { name: 'lb.demo', type: 'A', value: '10.0.0.9', ttl: 30 },
      { name: 'lb.demo', type: 'AAAA', value: 'fd00::9', ttl: 20 },
    ],
  }), both, out);
  assert.is(n, 2);
  assert.equal(out, [
    { source: 'dns', srcIp: '10.0.0.3', destination: 'api.demo', destinationIp: '10.0.0.9', ttl: 30, ts: 100.5 },
    { source: 'dns', srcIp: '10.0.0.3', destination: 'api.demo', destinationIp: 'fd00::9', ttl: 20, ts: 100.5 },
  ]);
});

test('a CNAME loop terminates', () => {
  const out: Observation[] = [];
  observe(dns({ name: 'a', answers: [
    { name: 'a', type: 'CNAME', value: 'b', ttl: 1 }, { name: 'b', type: 'CNAME', value: 'a', ttl: 1 }, { name: 'a', type: 'A', value: '1.2.3.4', ttl: 1 },
  ] }), both, out);
  assert.is(out.length, 1);
});

test('non-zero rcode, loopback clients and disabled kinds give nothing', () => {
  const out: Observation[] = [];
  const answers = [{ name: 'web.demo', type: 'A' as const, value: '10.0.0.4', ttl: 5 }];
  assert.is(observe(dns({ rcode: 3, answers }), both, out), 0);
  assert.is(observe(dns({ dst: '127.0.0.1', answers }), both, out), 0);
  assert.is(observe(dns({ answers }), { dns: false, tcp: true }, out), 0);
  assert.is(observe(syn({}), { dns: true, tcp: false }, out), 0);
  assert.is(observe(syn({ src: '127.0.0.1', dst: '127.0.0.1' }), both, out), 0);
  assert.is(observe(syn({ kind: 'synack' }), both, out), 0);
  assert.is(out.length, 0);
});

test('a SYN reports client IP and the server IP and port', () => {
  const out: Observation[] = [];
  observe(syn({ src: 'fd00::3', dst: 'fd00::4', dport: 443 }), both, out);
  assert.equal(out, [{ source: 'tcp', srcIp: 'fd00::3', destination: 'fd00::4', destinationIp: 'fd00::4', destinationPort: 443, ts: 7 }]);
});

test.run();
