// Replay's reports are built by our own pipeline (sniffer/src), so their records need not go through
// the contract's per-record validator (ajv + normalisation, made for untrusted HTTP bodies). But the
// names and numbers in them come off the wire, and the contract refuses or rewrites a few of those
// (a name with a control character, an upper-case Latin-1 letter, port 0, a TTL over 2^31 - 1, a time
// past year 9999). So each record is looked at with cheap checks, memoised per distinct name and
// address; a record any check is unsure of goes through normaliseRecord itself. The outcome —
// records kept, their normal form, skips by reason — is exactly normaliseReport's.

import { canonicalIp } from '../../../common/ip.ts';
import { normaliseRecord, normaliseReport, type NormalisedReport, type SkippedRecord } from '../../../contract/normalise.ts';
import { MAX_NAME, MAX_TTL, PRINTABLE, REPORT_VERSION, type ConnectionRecord, type Report, type ReportRecord } from '../../../contract/schema.ts';
import { ISO_FIXED_MAX_MS, ISO_FIXED_MIN_MS, TimedRecord } from '../../../../sniffer/src/aggregate-records.ts';

const MAX_EXAMPLES = 5;
const MEMO_MAX = 1 << 16;
const printable = new RegExp(PRINTABLE, 'u');

/** `check`, remembered per distinct text; the last text first (records come sorted by client, then name). */
function memo(check: (s: string) => boolean): (s: string) => boolean {
  const seen = new Map<string, boolean>();
  let last = '', lastOk = check(last);
  return (s) => {
    if (s === last) return lastOk;
    let ok = seen.get(s);
    if (ok === undefined) {
      ok = check(s);
      if (seen.size >= MEMO_MAX) seen.clear();
      seen.set(s, ok);
    }
    last = s;
    lastOk = ok;
    return ok;
  };
}

/** A name the contract keeps as it is: 1–255 printable characters, already lower case, no trailing dot. */
const normalName = memo((n) => n.length >= 1 && n.length <= MAX_NAME && printable.test(n) && n.toLowerCase() === n && !n.endsWith('.'));
/** An address in its canonical text (the pipeline prints IPv4 as a plain dotted quad, always canonical). */
const normalIp = memo((ip) => canonicalIp(ip) === ip);
const ipOk = (ip: string): boolean => (ip.indexOf(':') < 0 && ip.length <= 15 && ip.length >= 7) || normalIp(ip);
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** A time whose toISOString is the fixed 24-character form (years 0000–9999), which the contract keeps. */
function normalTime(r: ConnectionRecord): boolean {
  if (r instanceof TimedRecord) return r.lastSeenMs >= ISO_FIXED_MIN_MS && r.lastSeenMs < ISO_FIXED_MAX_MS;
  const t = r.lastSeen;
  return t.length === 24 && t.charCodeAt(23) === 0x5a && isDigit(t.charCodeAt(0));
}

/** True when normaliseRecord would keep `r` unchanged (false: not sure, ask it). */
export function isNormalOwnRecord(r: ConnectionRecord): boolean {
  if (r.srcHostname !== undefined || !normalTime(r)) return false;
  if (!Number.isSafeInteger(r.count) || r.count < 1) return false;
  if (r.ttl !== undefined && !(Number.isInteger(r.ttl) && r.ttl >= 0 && r.ttl <= MAX_TTL)) return false;
  const port = r.destinationPort;
  if (port === undefined ? r.source !== 'dns' : !(Number.isInteger(port) && port >= 1 && port <= 65535)) return false;
  if (!ipOk(r.srcIp) || !ipOk(r.destinationIp)) return false;
  if (r.source === 'dns') return normalName(r.destination);
  return r.destination === r.destinationIp && (r.source === 'tcp' || r.source === 'socket');
}

/** A node name the envelope schema keeps as it is (trimmed, 1–255 printable characters). */
const normalNode = memo((n) => n.length >= 1 && n.length <= MAX_NAME && printable.test(n) && n.trim() === n);

/** The envelope as normaliseReport returns it; it alone judges one that is not plainly normal. */
function envelopeOf(report: Report): Omit<Report, 'records'> {
  const t = report.sentAt;
  if (report.version === REPORT_VERSION && typeof report.node === 'string' && normalNode(report.node)
    && t.length === 24 && t.charCodeAt(23) === 0x5a && isDigit(t.charCodeAt(0))) return { version: REPORT_VERSION, node: report.node, sentAt: t };
  const { report: { records: _, ...envelope } } = normaliseReport({ version: report.version, node: report.node, sentAt: report.sentAt, records: [] });
  return envelope;
}

/** A record's time as epoch ms, for ingest: a TimedRecord's as it is, any other's parsed from its text. */
export const ownLastSeenMs = (r: ReportRecord): number => (r instanceof TimedRecord ? r.lastSeenMs : Date.parse(r.lastSeen));

/** normaliseReport's result for a report of our own pipeline's connection records (wire records or
 *  TimedRecords), without judging each record whole. */
export function normaliseOwnReport(report: Report): NormalisedReport {
  const envelope = { report: envelopeOf(report) };
  let records: ReportRecord[] | undefined; // made at the first record not kept as it is; else the input is the answer
  const skipped: Record<string, number> = {};
  const examples: SkippedRecord[] = [];
  const input = report.records as ConnectionRecord[];
  for (let index = 0; index < input.length; index++) {
    const r = input[index]!;
    if (isNormalOwnRecord(r)) { records?.push(r); continue; }
    records ??= input.slice(0, index);
    const out = normaliseRecord(r instanceof TimedRecord ? r.toWire() : r);
    if (!('reason' in out)) { records.push(out); continue; }
    skipped[out.reason] = (skipped[out.reason] ?? 0) + 1;
    if (examples.length < MAX_EXAMPLES) examples.push({ ...out, index, field: out.field ? `records[${index}].${out.field}` : `records[${index}]` });
  }
  return { report: { ...envelope.report, records: records ?? input }, skipped, examples };
}
