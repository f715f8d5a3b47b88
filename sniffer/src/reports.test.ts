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

test('what the sniffer builds passes the contract untouched', () => {
  const r = buildReport('node-a', new Date('2026-11-21T10:00:01Z'), [rec(0)]);
  const n = normaliseReport(JSON.parse(JSON.stringify(r)));
  assert.equal(n.skipped, {});
  assert.equal(n.report, r);
});

test.run();
