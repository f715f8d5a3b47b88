// Closed intervals → Reports, in one place: live capture (reporter.ts) and replay (replay.ts) both
// cut records into report-sized pieces and wrap them in the contract's envelope here, so what a
// node POSTs and what replay ingests cannot drift apart.

import { REPORT_VERSION, type ConnectionRecord, type Report } from '../../controller/contract/schema.ts';
import type { ClosedInterval } from './pipeline.ts';
import { isoText } from './aggregate-records.ts';

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
  return envelope(node, sentAt.toISOString(), records);
}

const envelope = (node: string, sentAt: string, records: ConnectionRecord[]): Report => ({ version: REPORT_VERSION, node, sentAt, records });

/** `new Date(endTs * 1000).toISOString()` (Date truncates its milliseconds toward zero): replay closes
 *  an interval per second of capture, each a new second. */
const endText = (endTs: number): string => isoText(Math.trunc(endTs * 1000));

/** Every non-empty closed interval as reports, `sentAt` = the interval's end (replay's capture time);
 *  an interval that fits in one report is sent as it is, not copied. */
export function* intervalReports(closed: ClosedInterval[], node: string, max = MAX_RECORDS_PER_REPORT): Generator<Report> {
  for (const c of closed) {
    if (c.records.length === 0) continue;
    const sentAt = endText(c.endTs);
    if (c.records.length <= max) yield envelope(node, sentAt, c.records);
    else for (const records of splitRecords(c.records, max)) yield envelope(node, sentAt, records);
  }
}
