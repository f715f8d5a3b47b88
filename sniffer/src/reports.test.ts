import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ConnectionRecord } from '../../controller/contract/schema.ts';
import { normaliseReport } from '../../controller/contract/normalise.ts';
import { buildReport, intervalReports, splitRecords } from './reports.ts';

const rec = (i: number): ConnectionRecord => ({ source: 'tcp', srcIp: '10.0.0.1', destination: '10.0.0.2', destinationIp: '10.0.0.2', destinationPort: 1 + i, lastSeen: '2026-11-21T10:00:00.000Z', count: 1 });

test('splitRecords cuts at the bound and keeps order', () => {
  const rs = Array.from({ length: 5 }, (_, i) => rec(i));
  assert.equal(splitRecords(rs, 2).map((p) => p.map((r) => r.destinationPort)), [[1, 2], [3, 4], [5]]);
  assert.equal(splitRecords([], 2), []);
});

test('intervalReports: one report per piece of each non-empty interval, sentAt = the interval end', () => {
  const out = [...intervalReports([{ endTs: 1763719201, records: [rec(0), rec(1), rec(2)] }, { endTs: 1763719202, records: [] }], 'node-a', 2)];
  assert.equal(out.map((r) => [r.node, r.sentAt, r.records.length]), [['node-a', '2025-11-21T10:00:01.000Z', 2], ['node-a', '2025-11-21T10:00:01.000Z', 1]]);
});

test('intervalReports: sentAt is the text Date gives the interval end, fractions and out-of-range times too', () => {
  const ends = [1763719201, 1763719201.0004, -0.0005, -1.0000005, 1763719201.9996, 0.3 * 5876543, -0.5, -1.25, 0, 253402300800, 253402300799.999, -62167219200.5, 8.64e12];
  for (const endTs of ends) {
    const [r] = [...intervalReports([{ endTs, records: [rec(0)] }], 'node-a')];
    assert.is(r!.sentAt, new Date(endTs * 1000).toISOString(), String(endTs));
  }
  for (const endTs of [NaN, Infinity, 8.64e12 + 1]) assert.throws(() => [...intervalReports([{ endTs, records: [rec(0)] }], 'node-a')], RangeError);
});

test('what the sniffer builds passes the contract untouched', () => {
  const r = buildReport('node-a', new Date('2026-11-21T10:00:01Z'), [rec(0)]);
  const n = normaliseReport(JSON.parse(JSON.stringify(r)));
  assert.equal(n.skipped, {});
  assert.equal(n.report, r);
});

test.run();
