// The records an interval closes into: the wire's ConnectionRecord (ISO `lastSeen`, what a node
// POSTs) or a TimedRecord (epoch-ms time, what replay hands to the controller's ingest in the same
// process: no ISO text made and parsed back), and the one order both come out in.

import type { ConnectionRecord } from '../../controller/contract/schema.ts';

/** Years 0000–9999: where toISOString keeps its fixed 24-character form. */
export const ISO_FIXED_MIN_MS = -62_167_219_200_000;
export const ISO_FIXED_MAX_MS = 253_402_300_800_000;
let isoSecond = NaN;
let isoPrefix = '';
let isoDay = NaN;
let isoDayPrefix = '';
/** Texts already made, by millisecond: an interval's records share them. Bounded: cleared when full. */
const isoByMs = new Map<number, string>();
const ISO_CACHE_MAX = 1 << 14;
const SECONDS_PER_DAY = 86_400;
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/** The millisecond a sighting at epoch seconds `ts` is reported at. */
export const msOf = (ts: number): number => Math.floor(ts * 1000);

/**
 * 'YYYY-MM-DDTHH:MM:SS.' of epoch second `second` (≥ 0): the date from toISOString once per day, the
 * time of day by arithmetic (an epoch day is always 86 400 s: no leap seconds). A toISOString call is
 * several thousand instructions, and replay asks for a new second per interval it closes (each report's `sentAt`).
 */
function secondPrefix(second: number): string {
  const day = Math.floor(second / SECONDS_PER_DAY);
  if (day !== isoDay) {
    isoDay = day;
    isoDayPrefix = new Date(day * SECONDS_PER_DAY * 1000).toISOString().slice(0, 11); // 'YYYY-MM-DDT'
  }
  const s = second - day * SECONDS_PER_DAY, minutes = Math.floor(s / 60);
  return `${isoDayPrefix}${TWO_DIGITS[Math.floor(minutes / 60)]}:${TWO_DIGITS[minutes % 60]}:${TWO_DIGITS[s % 60]}.`;
}

/** `new Date(ms).toISOString()`, the date and time up to the second made once per second. */
export function isoText(ms: number): string {
  if (!(ms >= 0 && ms < ISO_FIXED_MAX_MS)) return new Date(ms).toISOString();
  const second = Math.floor(ms / 1000);
  if (second !== isoSecond) {
    isoSecond = second;
    isoPrefix = secondPrefix(second);
  }
  const frac = ms - second * 1000;
  return `${isoPrefix}${frac < 10 ? '00' : frac < 100 ? '0' : ''}${frac}Z`;
}

/**
 * isoText, each millisecond's text made once: an interval's records share them. A text asked for once
 * only (a report's `sentAt`) is better made by isoText: holding thousands of texts in the table made
 * each call about ten times dearer (the collector moves them all at every scavenge).
 */
export function isoOfMs(ms: number): string {
  let text = isoByMs.get(ms);
  if (text !== undefined) return text;
  text = isoText(ms);
  if (isoByMs.size >= ISO_CACHE_MAX) isoByMs.clear();
  isoByMs.set(ms, text);
  return text;
}

/** `new Date(Math.floor(ts * 1000)).toISOString()` for epoch seconds `ts`. */
export const toIso = (ts: number): string => isoOfMs(msOf(ts));

/**
 * A wire record with the key order every report has: the two shapes of nearly every record made
 * whole, optional keys after `count` otherwise.
 */
export function wireRecord(source: ConnectionRecord['source'], srcIp: string, destination: string, destinationIp: string, lastSeen: string,
  count: number, srcHostname: string | undefined, port: number | undefined, ttl: number | undefined): ConnectionRecord {
  if (srcHostname === undefined && port === undefined && ttl !== undefined) return { source, srcIp, destination, destinationIp, lastSeen, count, ttl };
  if (srcHostname === undefined && port !== undefined && ttl === undefined) return { source, srcIp, destination, destinationIp, lastSeen, count, destinationPort: port };
  const r: ConnectionRecord = { source, srcIp, destination, destinationIp, lastSeen, count };
  if (srcHostname !== undefined) r.srcHostname = srcHostname;
  if (port !== undefined) r.destinationPort = port;
  if (ttl !== undefined) r.ttl = ttl;
  return r;
}

/**
 * A connection record whose time is kept as epoch ms; its `lastSeen` text is made only if something
 * reads it. For ingest in the same process only: JSON.stringify would leave `lastSeen` out (toWire()).
 * Every instance has the same shape, which keeps ingest's property reads monomorphic. The fields are
 * `declare`d and assigned in the constructor: class fields proper would each be defined first (as
 * undefined), a cost per record.
 */
export class TimedRecord implements ConnectionRecord {
  declare readonly source: ConnectionRecord['source'];
  declare readonly srcIp: string;
  declare readonly destination: string;
  declare readonly destinationIp: string;
  declare readonly lastSeenMs: number;
  declare readonly count: number;
  declare readonly srcHostname: string | undefined;
  declare readonly destinationPort: number | undefined;
  declare readonly ttl: number | undefined;

  constructor(source: ConnectionRecord['source'], srcIp: string, destination: string, destinationIp: string, lastSeenMs: number,
    count: number, srcHostname: string | undefined, destinationPort: number | undefined, ttl: number | undefined) {
    this.source = source; this.srcIp = srcIp; this.destination = destination; this.destinationIp = destinationIp;
    this.lastSeenMs = lastSeenMs; this.count = count;
    this.srcHostname = srcHostname; this.destinationPort = destinationPort; this.ttl = ttl;
  }

  get lastSeen(): string {
    return isoOfMs(this.lastSeenMs);
  }

  /** The record as a node would send it. */
  toWire(): ConnectionRecord {
    return wireRecord(this.source, this.srcIp, this.destination, this.destinationIp, this.lastSeen, this.count, this.srcHostname, this.destinationPort, this.ttl);
  }
}

/**
 * A stable order, so identical traffic gives byte-identical reports: by the key
 * source, srcIp, destination, destinationIp, port (5 digits, none as 00000), joined by NUL and
 * compared as text. Compared field by field, which is the same order while no field holds a NUL
 * (then a shorter field that is a prefix sorts first either way) and needs no key string; a name
 * with a NUL byte in it (possible on the wire) falls back to the joined keys.
 */
export function sortRecords<R extends ConnectionRecord>(records: R[]): R[] {
  for (const r of records) if (r.destination.includes('\u0000') || r.srcIp.includes('\u0000') || r.destinationIp.includes('\u0000')) return sortByJoinedKey(records);
  return records.sort(compareFields);
}

function compareFields(a: ConnectionRecord, b: ConnectionRecord): number {
  if (a.source !== b.source) return a.source < b.source ? -1 : 1;
  if (a.srcIp !== b.srcIp) return a.srcIp < b.srcIp ? -1 : 1;
  if (a.destination !== b.destination) return a.destination < b.destination ? -1 : 1;
  if (a.destinationIp !== b.destinationIp) return a.destinationIp < b.destinationIp ? -1 : 1;
  return (a.destinationPort ?? 0) - (b.destinationPort ?? 0);
}

function sortByJoinedKey<R extends ConnectionRecord>(records: R[]): R[] {
  const keyed = records.map((r) => ({
    k: `${r.source}\u0000${r.srcIp}\u0000${r.destination}\u0000${r.destinationIp}\u0000${String(r.destinationPort ?? '').padStart(5, '0')}`,
    r,
  }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  for (let i = 0; i < keyed.length; i++) records[i] = keyed[i]!.r;
  return records;
}
