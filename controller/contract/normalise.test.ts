import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ReportValidationError } from '../common/errors.ts';
import { normaliseRecord, normaliseReport } from './normalise.ts';
import { validateIntent } from './validate.ts';

const base = { version: 1, node: 'node-1', sentAt: '2026-11-21T10:00:00Z' };
const rec = { source: 'tcp', srcIp: '10.0.0.1', destination: '10.0.0.2', destinationIp: '10.0.0.2', destinationPort: 80, lastSeen: '2026-11-21T10:00:00Z', count: 1 };

test('normalises: canonical IPs (IPv6 RFC 5952), lower-case DNS names without the root dot, UTC times', () => {
  const { report: r, skipped } = normaliseReport({ ...base, records: [
    { source: 'dns', srcIp: 'FD00:0:0:0:0:0:0:10', destination: 'Cart.Shop.SVC.cluster.local.', destinationIp: '10.96.0.20', ttl: 30, lastSeen: '2026-11-21T11:00:00+01:00', count: 1, extra: 'ignored' },
    { source: 'socket', srcIp: '10.0.0.1', srcHostname: 'web-1', destination: '10.0.0.2', destinationIp: '10.0.0.2', destinationPort: 443, lastSeen: '2026-11-21T10:00:00.123Z', count: 3 },
    { source: 'kafka', srcIp: '10.0.0.1', serverPodName: 'kafka-0', serverNamespace: 'data', topic: 'orders', operation: 'Read', lastSeen: '2026-11-21T10:00:00Z' },
    { source: 'istio', srcWorkload: 'a', srcWorkloadNamespace: 'x', dstWorkload: 'b', dstWorkloadNamespace: 'y', path: '/p', methods: ['get'], lastSeen: '2026-11-21T10:00:00Z' },
  ] });
  assert.equal(skipped, {});
  assert.equal(r.records[0], { source: 'dns', srcIp: 'fd00::10', destination: 'cart.shop.svc.cluster.local', destinationIp: '10.96.0.20', ttl: 30, lastSeen: '2026-11-21T10:00:00.000Z', count: 1 });
  assert.is((r.records[1] as { srcHostname: string }).srcHostname, 'web-1');
  assert.equal((r.records[3] as { methods: string[] }).methods, ['GET']);
  assert.is(r.sentAt, '2026-11-21T10:00:00.000Z');
});

test('a bad record is skipped and counted by reason, its field named; the good ones are kept', () => {
  const cases: Array<[unknown, string, string, RegExp]> = [
    [{ ...rec, srcIp: 5 }, 'bad-srcIp', 'records[1].srcIp', /must be a string/],
    [{ ...rec, destinationIp: '1.2.3.04' }, 'bad-destinationIp', 'records[1].destinationIp', /not an IPv4 or IPv6 address/],
    [{ ...rec, ttl: -1 }, 'bad-ttl', 'records[1].ttl', /between 0 and/],
    [{ ...rec, ttl: 2 ** 31 }, 'bad-ttl', 'records[1].ttl', /between 0 and 2147483647/],
    [{ ...rec, count: 1.5 }, 'bad-count', 'records[1].count', /integer/],
    [{ ...rec, count: 0 }, 'bad-count', 'records[1].count', /between 1/],
    [{ ...rec, destinationPort: 70000 }, 'bad-destinationPort', 'records[1].destinationPort', /between 1 and 65535/],
    [{ ...rec, destinationPort: undefined }, 'bad-destinationPort', 'records[1].destinationPort', /required/],
    [{ ...rec, destination: 'x'.repeat(256) }, 'bad-destination', 'records[1].destination', /longer than 255/],
    [{ ...rec, source: 'dns', destination: 'evil\u001b[2Jname' }, 'bad-destination', 'records[1].destination', /control characters/],
    [{ ...rec, lastSeen: '2026-13-01T00:00:00Z' }, 'bad-lastSeen', 'records[1].lastSeen', /RFC 3339/],
    [{ ...rec, lastSeen: 'yesterday' }, 'bad-lastSeen', 'records[1].lastSeen', /RFC 3339/],
    [{ ...rec, lastSeen: '2024-02-31T00:00:00Z' }, 'bad-lastSeen', 'records[1].lastSeen', /RFC 3339/],   // not rolled into March
    [{ ...rec, lastSeen: '2023-02-29T00:00:00Z' }, 'bad-lastSeen', 'records[1].lastSeen', /RFC 3339/],
    [{ ...rec, lastSeen: '2026-04-31T00:00:00Z' }, 'bad-lastSeen', 'records[1].lastSeen', /RFC 3339/],
    [{ ...rec, lastSeen: '2026-01-01T24:00:00Z' }, 'bad-lastSeen', 'records[1].lastSeen', /RFC 3339/],
    [{ ...rec, source: 'udp' }, 'unknown-source', 'records[1].source', /one of/],
    ['x', 'not-an-object', 'records[1]', /object/],
    [{ source: 'istio', srcWorkload: 'a', srcWorkloadNamespace: 'x', dstWorkload: 'b', dstWorkloadNamespace: 'y', path: '/p', methods: [1], lastSeen: base.sentAt }, 'bad-methods', 'records[1].methods[0]', /string/],
    [{ source: 'kafka', srcIp: '10.0.0.1', serverPodName: 'k', serverNamespace: 'd', operation: 'read', lastSeen: base.sentAt }, 'bad-topic', 'records[1].topic', /required/],
  ];
  for (const [bad, reason, field, message] of cases) {
    const out = normaliseReport({ ...base, records: [rec, bad, rec] });
    assert.is(out.report.records.length, 2, reason);
    assert.equal(out.skipped, { [reason]: 1 }, field);
    assert.is(out.examples[0].field, field);
    assert.match(out.examples[0].message, message, field);
  }
  // DNS records need no port: the `if source = dns` branch of the schema.
  assert.equal(normaliseReport({ ...base, records: [{ ...rec, source: 'dns', destination: 'a.example', destinationPort: undefined }] }).skipped, {});
});

test('times come out as toISOString gives them, whatever form came in and in whatever order', () => {
  const times: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const ms = Date.UTC(2026, 10, 21, 10, 0, 0) + i * 137;
    const iso = new Date(ms).toISOString();
    times.push(iso, iso.replace('.000Z', 'Z'), iso.replace('Z', '+00:00'), new Date(ms + 3_600_000).toISOString().replace('Z', '+01:00'));
  }
  const r = normaliseReport({ ...base, records: times.map((lastSeen) => ({ ...rec, lastSeen })) }).report;
  assert.is(r.records.length, times.length);
  r.records.forEach((x, i) => assert.is(x.lastSeen, new Date(Date.parse(times[i])).toISOString(), times[i]));
});

test('a bad envelope refuses the whole report, naming the field', () => {
  const cases: Array<[unknown, string, RegExp]> = [
    [{ ...base, version: 2, records: [] }, 'version', /must be 1/],
    [{ ...base, sentAt: 'now', records: [] }, 'sentAt', /RFC 3339/],
    [{ ...base, records: {} }, 'records', /array/],
    [base, 'records', /required/],
    [{ ...base, node: '', records: [] }, 'node', /empty/],
    [null, '$', /JSON object/],
    [[1, 2], '$', /JSON object/],
  ];
  for (const [body, field, message] of cases) {
    try { normaliseReport(body); assert.unreachable(field); } catch (err) {
      assert.instance(err, ReportValidationError, field);
      assert.is((err as ReportValidationError).field, field);
      assert.match((err as Error).message, message, field);
    }
  }
  assert.throws(() => normaliseReport({ ...base, records: [rec, rec, rec] }, 2), /more than 2 records/);
});

// Three rule sets once (contract-validate, snapshot-codec, the CLI's client) — now one schema.
test('intent: one rule set for the store snapshot, the API answer and the CLI', () => {
  const id = { name: 'web', namespace: 'shop', kind: 'Deployment' };
  const ok = { client: id, server: { ...id, name: 'cart' }, type: 'plain', firstSeen: base.sentAt, lastSeen: base.sentAt, count: 1, sources: ['tcp'] };
  assert.ok(validateIntent(ok));
  assert.ok(validateIntent({ ...ok, server: undefined, type: 'internet', internet: { domain: 'api.example', ips: [], ports: [] } }));
  const bad: Array<[string, unknown]> = [
    ['no server on plain', { ...ok, server: undefined }],
    ['empty client name', { ...ok, client: { ...id, name: '' } }],
    ['unknown type', { ...ok, type: 'grpc' }],
    ['internet without domain or ip', { ...ok, server: undefined, type: 'internet', internet: { ips: [], ports: [] } }],
    ['unknown source', { ...ok, sources: ['smoke'] }],
    ['no sources', { ...ok, sources: [] }],
    ['bad time', { ...ok, lastSeen: 'then' }],
    ['unknown kafka op', { ...ok, type: 'kafka', kafkaTopics: [{ name: 't', operations: ['eat'] }] }],
    ['unknown method', { ...ok, type: 'http', httpResources: [{ path: '/', methods: ['FETCH'] }] }],
  ];
  for (const [why, v] of bad) assert.not.ok(validateIntent(v), why);
});

test('a record already in normal form is kept as it is; one with anything to rewrite or drop is copied without it', () => {
  const normal = { source: 'tcp', srcIp: '10.0.0.1', destination: '10.0.0.2', destinationIp: '10.0.0.2', destinationPort: 80, lastSeen: '2026-11-21T10:00:00.000Z', count: 1 };
  const dns = { source: 'dns', srcIp: '10.0.0.1', srcHostname: 'web-0', destination: 'api.example.com', destinationIp: '198.51.100.7', ttl: 30, lastSeen: '2026-11-21T10:00:00.000Z', count: 2 };
  assert.ok(normaliseRecord(normal) === normal);
  assert.ok(normaliseRecord(dns) === dns);
  const copied: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
    ['an extra field', { ...normal, note: 'x' }, normal],
    ['an empty srcHostname', { ...normal, srcHostname: '' }, normal],
    ['an optional field present as undefined', { ...normal, ttl: undefined }, normal],
    ['a non-canonical address', { ...normal, srcIp: 'FD00:0:0:0:0:0:0:1' }, { ...normal, srcIp: 'fd00::1' }],
    ['an upper-case name with the root dot', { ...dns, destination: 'API.example.com.' }, dns],
    ['a time not in toISOString form', { ...normal, lastSeen: '2026-11-21T10:00:00Z' }, normal],
  ];
  for (const [what, input, want] of copied) {
    const out = normaliseRecord(input);
    assert.ok(out !== input, what);
    assert.equal(out, want, what);
  }
});

test.run();
