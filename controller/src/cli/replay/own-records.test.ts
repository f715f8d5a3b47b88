// normaliseOwnReport must judge every record exactly as the contract's normaliseReport does: same
// records kept (in their normal form), same skips by reason, same examples.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { normaliseReport } from '../../../contract/normalise.ts';
import { REPORT_VERSION, type ConnectionRecord, type Report } from '../../../contract/schema.ts';
import { isNormalOwnRecord, normaliseOwnReport, ownLastSeenMs } from './own-records.ts';
import { TimedRecord } from '../../../../sniffer/src/aggregate-records.ts';

const base: ConnectionRecord = { source: 'dns', srcIp: '10.0.0.3', destination: 'web.demo.svc.cluster.local', destinationIp: '10.0.0.4', lastSeen: '2026-11-27T18:00:00.123Z', count: 1, ttl: 30 };
const tcp: ConnectionRecord = { source: 'tcp', srcIp: '10.0.0.3', destination: '10.0.0.4', destinationIp: '10.0.0.4', lastSeen: '2026-11-27T18:00:00.123Z', count: 2, destinationPort: 80 };

const edge: ConnectionRecord[] = [
  base, tcp,
  { ...base, destination: '' },
  { ...base, destination: 'a\u0000b' },
  { ...base, destination: 'bell\u0007.example' },
  { ...base, destination: 'c1\u0085.example' },
  { ...base, destination: 'caf\u00c9.example' },               // upper-case Latin-1: rewritten to lower case
  { ...base, destination: 'Upper.Example' },
  { ...base, destination: 'trailing.dot.' },
  { ...base, destination: 'x'.repeat(255) },
  { ...base, destination: 'x'.repeat(256) },
  { ...base, destination: '\u00a0nbsp.example' },
  { ...base, ttl: 2 ** 31 - 1 }, { ...base, ttl: 2 ** 31 }, { ...base, ttl: 0 },
  { ...base, srcIp: 'fd00::1' }, { ...base, destinationIp: '::ffff:10.0.0.1' }, { ...base, destinationIp: 'FD00:0:0:0:0:0:0:1' },
  { ...base, destinationIp: '::1.2.3.4' }, { ...base, srcIp: '0.0.0.0' },
  { ...base, lastSeen: '0000-01-01T00:00:00.000Z' }, { ...base, lastSeen: '1969-12-31T23:59:59.999Z' },
  { ...base, lastSeen: '+010000-01-01T00:00:00.000Z' }, { ...base, lastSeen: '-000001-01-01T00:00:00.000Z' },
  { ...tcp, destinationPort: 0 }, { ...tcp, destinationPort: 65535 },
  { ...tcp, srcIp: 'fd00::3', destination: 'fd00::4', destinationIp: 'fd00::4', destinationPort: 443 },
  { ...tcp, source: 'socket' },
];

test('edge records: kept, rewritten and skipped exactly as normaliseReport does', () => {
  const report: Report = { version: REPORT_VERSION, node: 'replay', sentAt: '2026-11-27T18:00:01.000Z', records: edge };
  const want = normaliseReport(structuredClone(report));
  const got = normaliseOwnReport(structuredClone(report));
  assert.equal(got, want);
  assert.ok(Object.keys(want.skipped).length >= 4, JSON.stringify(want.skipped));
});

test('the fast check says "normal" only for records normaliseRecord keeps unchanged', () => {
  for (const r of edge) {
    if (!isNormalOwnRecord(r)) continue;
    const { report } = normaliseReport({ version: REPORT_VERSION, node: 'n', sentAt: r.lastSeen, records: [r] });
    assert.equal(report.records, [r], JSON.stringify(r));
  }
  assert.ok(isNormalOwnRecord(base) && isNormalOwnRecord(tcp));
});

test('random names from every Latin-1 byte: the same verdicts', () => {
  let x = 7;
  const next = () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
  const records: ConnectionRecord[] = [];
  for (let i = 0; i < 3000; i++) {
    const len = next() % 8;
    let name = '';
    for (let j = 0; j < len; j++) name += String.fromCharCode(next() % 4 === 0 ? next() % 256 : 0x61 + (next() % 26));
    records.push({ ...base, destination: name, ttl: next() % 2 ? next() : 5 });
  }
  const report: Report = { version: REPORT_VERSION, node: 'replay', sentAt: '2026-11-27T18:00:01.000Z', records };
  assert.equal(normaliseOwnReport(structuredClone(report)), normaliseReport(structuredClone(report)));
});

/** `r` as replay's pipeline hands it to ingest: its time as epoch ms. */
const timed = (r: ConnectionRecord): TimedRecord => new TimedRecord(r.source, r.srcIp, r.destination, r.destinationIp, Date.parse(r.lastSeen), r.count, r.srcHostname, r.destinationPort, r.ttl);

test('TimedRecords: kept, rewritten and skipped as normaliseReport does their wire form; times read as numbers', () => {
  const records = edge.filter((r) => !Number.isNaN(Date.parse(r.lastSeen)));
  const got = normaliseOwnReport({ version: REPORT_VERSION, node: 'replay', sentAt: '2026-11-27T18:00:01.000Z', records: records.map(timed) });
  const want = normaliseReport({ version: REPORT_VERSION, node: 'replay', sentAt: '2026-11-27T18:00:01.000Z', records: structuredClone(records) });
  assert.equal(got.skipped, want.skipped);
  assert.equal(got.examples, want.examples);
  assert.equal(got.report.records.map((r) => (r instanceof TimedRecord ? r.toWire() : r)), want.report.records);
  assert.equal(got.report.records.map(ownLastSeenMs), want.report.records.map((r) => Date.parse(r.lastSeen)));
  assert.ok(got.report.records.some((r) => r instanceof TimedRecord) && got.report.records.some((r) => !(r instanceof TimedRecord)));
});

test('envelopes: kept or rewritten as normaliseReport does', () => {
  for (const [node, sentAt] of [['replay', '2026-11-27T18:00:01.000Z'], [' padded ', '2026-11-27T18:00:01.000Z'], ['node-a', '1969-12-31T23:59:59.000Z'], ['x'.repeat(255), '0000-01-01T00:00:00.000Z']] as const) {
    const report: Report = { version: REPORT_VERSION, node, sentAt, records: [base] };
    assert.equal(normaliseOwnReport(structuredClone(report)), normaliseReport(structuredClone(report)), node);
  }
});

test('a bad envelope is refused as normaliseReport refuses it', () => {
  assert.throws(() => normaliseOwnReport({ version: REPORT_VERSION, node: 'bell\u0007', sentAt: '2026-11-27T18:00:01.000Z', records: [] }), /node/);
  const report: Report = { version: REPORT_VERSION, node: 'replay', sentAt: '+010000-01-01T00:00:00.000Z', records: [base] };
  assert.throws(() => normaliseOwnReport(report), /RFC 3339/);
  assert.throws(() => normaliseReport(report), /RFC 3339/);
});

test.run();
