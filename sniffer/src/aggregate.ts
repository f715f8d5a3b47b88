// Per-interval aggregation: one ConnectionRecord per key, newest time (and the TTL seen with it)
// kept, `count` = sightings. Intervals are epoch-aligned buckets of the observation's own time, so a
// live node (flushing on the wall clock) and replay (flushing on capture time) cut traffic alike.

import type { ConnectionRecord } from '../../controller/contract/schema.ts';
import type { Observation } from './observation.ts';

interface Entry {
  record: ConnectionRecord;
  newest: number;
}

/** Aggregation key (contract.ts): (source, srcIp, destination, destinationIp, destinationPort). */
function keyOf(o: Observation): string {
  return `${o.source}\u0000${o.srcIp}\u0000${o.destination}\u0000${o.destinationIp}\u0000${o.destinationPort ?? ''}`;
}

/** Years 0000–9999: where toISOString keeps its fixed 24-character form. */
const ISO_FIXED_MAX_MS = 253_402_300_800_000;
let isoSecond = NaN;
let isoPrefix = '';

/**
 * `new Date(ms).toISOString()` for epoch seconds `ts`, building the date and time up to the second
 * once per second: an interval's records mostly share it.
 */
function toIso(ts: number): string {
  const ms = Math.floor(ts * 1000);
  if (!(ms >= 0 && ms < ISO_FIXED_MAX_MS)) return new Date(ms).toISOString();
  const second = Math.floor(ms / 1000);
  if (second !== isoSecond) {
    isoSecond = second;
    isoPrefix = new Date(second * 1000).toISOString().slice(0, 20); // 'YYYY-MM-DDTHH:MM:SS.'
  }
  const frac = ms - second * 1000;
  return `${isoPrefix}${frac < 10 ? '00' : frac < 100 ? '0' : ''}${frac}Z`;
}

export interface IntervalAggregator {
  add(o: Observation): void;
  /** Closes every interval that ends at or before `boundaryTs` (epoch seconds); returns them oldest first. */
  closeBefore(boundaryTs: number): Array<{ endTs: number; records: ConnectionRecord[] }>;
  closeAll(): Array<{ endTs: number; records: ConnectionRecord[] }>;
  /** Distinct keys held across open intervals. */
  readonly size: number;
}

export function createIntervalAggregator(intervalMs: number): IntervalAggregator {
  const buckets = new Map<number, Map<string, Entry>>();
  let firstOpen = -Infinity; // sightings older than a closed interval join the oldest open one
  let size = 0;

  let oldest = Infinity; // the lowest open bucket: closeBefore runs per record in replay, and mostly closes nothing

  function close(pred: (b: number) => boolean) {
    const out: Array<{ endTs: number; records: ConnectionRecord[] }> = [];
    if (!pred(oldest)) return out;
    for (const b of [...buckets.keys()].sort((x, y) => x - y)) {
      if (!pred(b)) continue;
      const entries = buckets.get(b)!;
      buckets.delete(b);
      size -= entries.size;
      const records = [...entries.values()].map((e) => { e.record.lastSeen = toIso(e.newest); return e.record; });
      out.push({ endTs: ((b + 1) * intervalMs) / 1000, records: sortRecords(records) });
    }
    oldest = Infinity;
    for (const b of buckets.keys()) if (b < oldest) oldest = b;
    return out;
  }

  return {
    add(o) {
      const b = Math.max(Math.floor((o.ts * 1000) / intervalMs), firstOpen);
      let entries = buckets.get(b);
      if (!entries) {
        buckets.set(b, (entries = new Map()));
        if (b < oldest) oldest = b;
      }
      const key = keyOf(o);
      const e = entries.get(key);
      if (!e) {
        // lastSeen is rendered once, when the interval closes: this path runs per frame
        const record: ConnectionRecord = { source: o.source, srcIp: o.srcIp, destination: o.destination, destinationIp: o.destinationIp, lastSeen: '', count: 1 };
        if (o.srcHostname !== undefined) record.srcHostname = o.srcHostname;
        if (o.destinationPort !== undefined) record.destinationPort = o.destinationPort;
        if (o.ttl !== undefined) record.ttl = o.ttl;
        entries.set(key, { record, newest: o.ts });
        size++;
        return;
      }
      e.record.count++;
      if (o.ts >= e.newest) {
        e.newest = o.ts;
        if (o.ttl !== undefined) e.record.ttl = o.ttl;
        if (o.srcHostname !== undefined) e.record.srcHostname = o.srcHostname;
      }
    },
    closeBefore(boundaryTs) {
      const limit = Math.floor((boundaryTs * 1000) / intervalMs); // buckets < limit have ended
      firstOpen = Math.max(firstOpen, limit);
      return close((b) => b < limit);
    },
    closeAll() {
      return close(() => true);
    },
    get size() {
      return size;
    },
  };
}

/**
 * A stable order, so identical traffic gives byte-identical reports: by the key
 * source, srcIp, destination, destinationIp, port (5 digits, none as 00000), joined by NUL and
 * compared as text. Compared field by field, which is the same order while no field holds a NUL
 * (then a shorter field that is a prefix sorts first either way) and needs no key string; a name
 * with a NUL byte in it (possible on the wire) falls back to the joined keys.
 */
export function sortRecords(records: ConnectionRecord[]): ConnectionRecord[] {
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

function sortByJoinedKey(records: ConnectionRecord[]): ConnectionRecord[] {
  const keyed = records.map((r) => ({
    k: `${r.source}\u0000${r.srcIp}\u0000${r.destination}\u0000${r.destinationIp}\u0000${String(r.destinationPort ?? '').padStart(5, '0')}`,
    r,
  }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  for (let i = 0; i < keyed.length; i++) records[i] = keyed[i].r;
  return records;
}
