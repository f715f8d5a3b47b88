// Closed intervals → Reports, in one place: live capture (reporter.ts) and replay (replay.ts) both
// cut records into report-sized pieces and wrap them in the contract's envelope here, so what a
// node POSTs and what replay ingests cannot drift apart.

import { REPORT_VERSION, type ConnectionRecord, type Report } from '../../controller/contract/schema.ts';
import type { ClosedInterval } from './pipeline.ts';

/** Records per POST: an interval with more is sent as several reports (well under the body limit). */
export const MAX_RECORDS_PER_REPORT = 5000;

/** Splits one interval's records into report-sized pieces. */
export function splitRecords(records: ConnectionRecord[], max = MAX_RECORDS_PER_REPORT): ConnectionRecord[][] {
  const out: ConnectionRecord[][] = [];
  for (let i = 0; i < records.length; i += max) out.push(records.slice(i, i + max));
  return out;
}

/** The contract's envelope around one piece. */
export function buildReport(node: string, sentAt: Date, records: ConnectionRecord[]): Report {
  return { version: REPORT_VERSION, node, sentAt: sentAt.toISOString(), records };
}

/** Every non-empty closed interval as reports, `sentAt` = the interval's end (replay's capture time);
 *  an interval that fits in one report is sent as it is, not copied. */
export function* intervalReports(closed: ClosedInterval[], node: string, max = MAX_RECORDS_PER_REPORT): Generator<Report> {
  for (const c of closed) {
    if (c.records.length === 0) continue;
    const sentAt = new Date(c.endTs * 1000);
    if (c.records.length <= max) yield buildReport(node, sentAt, c.records);
    else for (const records of splitRecords(c.records, max)) yield buildReport(node, sentAt, records);
  }
}
