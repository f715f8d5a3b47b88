// Where every report enters the controller, over HTTP or from replay: the envelope is checked whole
// (a bad one is refused with the field named), then each record on its own — a bad record is
// skipped and counted by reason, never the whole report (DESIGN, "validation is per record").
// Kept records come out normalised: canonical IPs, lower-case DNS names, UTC millisecond times.

import { canonicalIp } from '../common/ip.ts';
import { ReportValidationError } from '../common/errors.ts';
import { REPORT_VERSION, RECORD_SOURCES, type ConnectionRecord, type HttpRecord, type Report, type ReportRecord, type RecordSource } from './schema.ts';
import { isObject } from '../common/is-object.ts';
import { checkEnvelope, checkRecord, type Problem } from './validate.ts';

export interface SkippedRecord extends Problem { index: number; reason: string }

export interface NormalisedReport {
  report: Report;
  /** reason → count of records refused by the contract. */
  skipped: Record<string, number>;
  /** The first few skipped records, for one log line. */
  examples: SkippedRecord[];
}

const MAX_EXAMPLES = 5;
export const DEFAULT_MAX_RECORDS = 1_000_000;

/** The last two canonical `toISOString()` seconds seen, 'YYYY-MM-DDTHH:MM:SS.': a report's records mostly share
 *  one, and its `sentAt` another (two slots, so the two do not evict each other report after report). */
let isoSecond = '', isoSecondBefore = '';
const ISO_LENGTH = 24;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** RFC 3339 in, `toISOString()` out (UTC, milliseconds). */
const utc = (t: string): string => {
  // Already canonical, in a second already checked: only the milliseconds differ (nothing to parse).
  if (t.length === ISO_LENGTH && t.charCodeAt(23) === 0x5a && isDigit(t.charCodeAt(20)) && isDigit(t.charCodeAt(21)) && isDigit(t.charCodeAt(22))
    && ((isoSecond !== '' && t.startsWith(isoSecond)) || (isoSecondBefore !== '' && t.startsWith(isoSecondBefore)))) return t;
  const iso = new Date(Date.parse(t)).toISOString();
  if (iso === t && t.length === ISO_LENGTH) { isoSecondBefore = isoSecond; isoSecond = t.slice(0, 20); }
  return iso === t ? t : iso;
};

/** A DNS name as the decoder gives it: lower case, no trailing dot (RFC 4343: names compare case-insensitively). */
const dnsName = (v: string): string => {
  const n = v.toLowerCase();
  return n.endsWith('.') ? n.slice(0, -1) : n;
};

/** A connection record's required fields: source, srcIp, destination, destinationIp, lastSeen, count. */
const CONNECTION_REQUIRED = 6;

/** The number of enumerable keys (own, for the plain objects JSON.parse makes); no array built, as Object.keys would. */
function ownKeyCount(o: object): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

/** One record checked and normalised (a record already in normal form is returned as it is); a Problem when the contract refuses it. */
export function normaliseRecord(r: unknown): ReportRecord | (Problem & { reason: string }) {
  if (!isObject(r)) return { field: '', key: '', message: 'must be an object', reason: 'not-an-object' };
  const source = r.source as RecordSource;
  if (!RECORD_SOURCES.includes(source)) {
    return { field: 'source', key: 'source', message: `must be one of ${RECORD_SOURCES.join(', ')}; got ${JSON.stringify(r.source)}`, reason: 'unknown-source' };
  }
  const p = checkRecord[source](r);
  if (p) return { ...p, reason: p.key ? `bad-${p.key}` : 'bad-record' };
  if (source === 'kafka') {
    const { srcIp, serverPodName, serverNamespace, topic, operation, lastSeen } = r as ReportRecord & { source: 'kafka' };
    return { source, srcIp: canonicalIp(srcIp)!, serverPodName, serverNamespace, topic, operation, lastSeen: utc(lastSeen) };
  }
  if (source === 'istio') {
    const h = r as HttpRecord;
    const out: HttpRecord = {
      source, srcWorkload: h.srcWorkload, srcWorkloadNamespace: h.srcWorkloadNamespace,
      dstWorkload: h.dstWorkload, dstWorkloadNamespace: h.dstWorkloadNamespace,
      path: h.path, methods: h.methods.map((m) => m.toUpperCase()), lastSeen: utc(h.lastSeen),
    };
    if (h.dstServiceName) out.dstServiceName = h.dstServiceName;
    return out;
  }
  const c = r as ConnectionRecord;
  const srcIp = canonicalIp(c.srcIp)!, destinationIp = canonicalIp(c.destinationIp)!, lastSeen = utc(c.lastSeen);
  const destination = source === 'dns' ? dnsName(c.destination) : canonicalIp(c.destination) ?? c.destination;
  // Already in normal form, with nothing to drop: the record itself, not a copy (a report's worth of copies
  // is one more object per record, alive for the whole report).
  if (srcIp === c.srcIp && destination === c.destination && destinationIp === c.destinationIp && lastSeen === c.lastSeen
    && c.srcHostname !== '' && ownKeyCount(c) === CONNECTION_REQUIRED + +(c.srcHostname !== undefined) + +(c.destinationPort !== undefined) + +(c.ttl !== undefined)) return c;
  const out: ConnectionRecord = { source, srcIp, destination, destinationIp, lastSeen, count: c.count };
  if (c.srcHostname) out.srcHostname = c.srcHostname;
  if (c.destinationPort !== undefined) out.destinationPort = c.destinationPort;
  if (c.ttl !== undefined) out.ttl = c.ttl;
  return out;
}

/** A report whose envelope has been checked, its records normalised a range at a time (`normaliseRecords`). */
export interface ReportInProgress extends NormalisedReport {
  /** The records as received. */
  raw: readonly unknown[];
}

/** The envelope checked (a bad one throws ReportValidationError naming the field); no record read yet. */
export function beginReport(body: unknown, maxRecords = DEFAULT_MAX_RECORDS): ReportInProgress {
  if (!isObject(body)) throw new ReportValidationError('$', 'the body must be a JSON object');
  const p = checkEnvelope(body);
  if (p) {
    throw new ReportValidationError(p.field || '$', p.key === 'version' && p.field === 'version' ? `must be ${REPORT_VERSION}; got ${JSON.stringify(body.version)}` : p.message);
  }
  const envelope = body as { node: string; sentAt: string; records: unknown[] };
  if (envelope.records.length > maxRecords) throw new ReportValidationError('records', `more than ${maxRecords} records`);
  return { report: { version: REPORT_VERSION, node: envelope.node.trim(), sentAt: utc(envelope.sentAt), records: [] }, skipped: {}, examples: [], raw: envelope.records };
}

/** Records `from` to `to` (exclusive) of `r.raw` checked: kept ones appended to `r.report.records`, the rest counted. */
export function normaliseRecords(r: ReportInProgress, from: number, to: number): void {
  const { raw, skipped, examples } = r;
  const records = r.report.records;
  for (let index = from; index < to; index++) {
    const out = normaliseRecord(raw[index]);
    if (!('reason' in out)) { records.push(out); continue; }
    skipped[out.reason] = (skipped[out.reason] ?? 0) + 1;
    if (examples.length < MAX_EXAMPLES) examples.push({ ...out, index, field: out.field ? `records[${index}].${out.field}` : `records[${index}]` });
  }
}

/**
 * Checks a decoded JSON body as a Report. A bad envelope throws ReportValidationError naming the
 * field; bad records are dropped and counted in `skipped`. Nothing downstream sees unchecked input.
 */
export function normaliseReport(body: unknown, maxRecords = DEFAULT_MAX_RECORDS): NormalisedReport {
  const r = beginReport(body, maxRecords);
  normaliseRecords(r, 0, r.raw.length);
  return { report: r.report, skipped: r.skipped, examples: r.examples };
}
