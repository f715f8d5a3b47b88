import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseReport } from './contract-validate.ts';
import { ReportValidationError } from './errors.ts';

const base = { version: 1, node: 'node-1', sentAt: '2026-11-21T10:00:00Z' };

test('normalises: canonical IPs (IPv6 RFC 5952), lower-case DNS names without the root dot, UTC times', () => {
  const r = parseReport({ ...base, records: [
    { source: 'dns', srcIp: 'FD00:0:0:0:0:0:0:10', destination: 'Cart.Shop.SVC.cluster.local.', destinationIp: '10.96.0.20', ttl: 30, lastSeen: '2026-11-21T11:00:00+01:00', count: 1, extra: 'ignored' },
    { source: 'socket', srcIp: '10.0.0.1', srcHostname: 'web-1', destination: '10.0.0.2', destinationIp: '10.0.0.2', destinationPort: 443, lastSeen: '2026-11-21T10:00:00.123Z', count: 3 },
    { source: 'kafka', srcIp: '10.0.0.1', serverPodName: 'kafka-0', serverNamespace: 'data', topic: 'orders', operation: 'Read', lastSeen: '2026-11-21T10:00:00Z' },
    { source: 'istio', srcWorkload: 'a', srcWorkloadNamespace: 'x', dstWorkload: 'b', dstWorkloadNamespace: 'y', path: '/p', methods: ['get'], lastSeen: '2026-11-21T10:00:00Z' },
  ] });
  assert.equal(r.records[0], { source: 'dns', srcIp: 'fd00::10', destination: 'cart.shop.svc.cluster.local', destinationIp: '10.96.0.20', ttl: 30, lastSeen: '2026-11-21T10:00:00.000Z', count: 1 });
  assert.is((r.records[1] as { srcHostname: string }).srcHostname, 'web-1');
  assert.equal((r.records[3] as { methods: string[] }).methods, ['GET']);
  assert.is(r.sentAt, '2026-11-21T10:00:00.000Z');
});

test('each bad field is named with its JSON path', () => {
  const rec = { source: 'tcp', srcIp: '10.0.0.1', destination: '10.0.0.2', destinationIp: '10.0.0.2', destinationPort: 80, lastSeen: '2026-11-21T10:00:00Z', count: 1 };
  const cases: Array<[unknown, string]> = [
    [{ ...base, records: [{ ...rec, srcIp: 5 }] }, 'records[0].srcIp'],
    [{ ...base, records: [{ ...rec, destinationIp: '1.2.3.04' }] }, 'records[0].destinationIp'],
    [{ ...base, records: [{ ...rec, ttl: -1 }] }, 'records[0].ttl'],
    [{ ...base, records: [{ ...rec, ttl: 2 ** 31 }] }, 'records[0].ttl'],
    [{ ...base, records: [{ ...rec, count: 1.5 }] }, 'records[0].count'],
    [{ ...base, records: [{ ...rec, destination: 'x'.repeat(256) }] }, 'records[0].destination'],
    [{ ...base, records: [{ ...rec, lastSeen: '2026-13-01T00:00:00Z' }] }, 'records[0].lastSeen'],
    [{ ...base, records: [{ source: 'istio', srcWorkload: 'a', srcWorkloadNamespace: 'x', dstWorkload: 'b', dstWorkloadNamespace: 'y', path: '/p', methods: [1], lastSeen: base.sentAt }] }, 'records[0].methods[0]'],
    [{ ...base, records: [{ source: 'kafka', srcIp: '10.0.0.1', serverPodName: 'k', serverNamespace: 'd', operation: 'read', lastSeen: base.sentAt }] }, 'records[0].topic'],
    [{ ...base, sentAt: 'now', records: [] }, 'sentAt'],
    [{ ...base, records: {} }, 'records'],
    [null, '$'],
  ];
  for (const [body, field] of cases) {
    try { parseReport(body); assert.unreachable(field); } catch (err) {
      assert.instance(err, ReportValidationError, field);
      assert.is((err as ReportValidationError).field, field);
    }
  }
  assert.throws(() => parseReport({ ...base, records: [rec, rec, rec] }, 2), /more than 2 records/);
});

test.run();
