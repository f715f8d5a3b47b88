// Per-interval aggregation: one ConnectionRecord per key, newest time (and the TTL seen with it)
// kept, `count` = sightings. Intervals are epoch-aligned buckets of the observation's own time, so a
// live node (flushing on the wall clock) and replay (flushing on capture time) cut traffic alike.
//
// The hot path makes no object per sighting: an interval interns its addresses and names (numbers
// in, ids out), keeps its entries in typed arrays, and finds an entry by its numeric key in an
// open-addressing table. Objects are made once per aggregated record, when the interval closes.

import type { ConnectionRecord } from '../../controller/contract/schema.ts';
import type { Observation } from './observation.ts';
import { msOf, sortRecords, TimedRecord, toIso, wireRecord } from './aggregate-records.ts';
import { entryOrder, KEY_STRIDE, packSourcePort, portOf, sourceOf } from './aggregate-order.ts';
import { Interned } from './aggregate-interned.ts';

/** Source codes, numbered in the text order of their names (the sort order of reports). */
export const SRC_DNS = 0;
export const SRC_SOCKET = 1;
export const SRC_TCP = 2;
const SOURCE_NAMES = ['dns', 'socket', 'tcp'] as const;
const SOURCE_CODE: Record<string, number> = { dns: SRC_DNS, socket: SRC_SOCKET, tcp: SRC_TCP };

const NO_PORT = -1;
const MAX_PORT = 65535;
/** Epochs are unique across every interval of the process: readers cache ids under one (observation-texts.ts). */
let nextEpoch = 1;
/** Closed intervals kept for reuse, and the largest whose arrays are worth keeping. */
const SPARE_MAX = 2;
const REUSE_MAX_ENTRIES = 1 << 16;
const INITIAL_ENTRIES = 256;

/** Per entry in `vals`: count, newest time, TTL (NaN: none). */
const VAL_STRIDE = 3;

/**
 * One open interval. An entry's key is (source, srcIp id, destination, destinationIp id, port):
 * destination is a name id, or -1 when it is the destinationIp's text (TCP and socket records).
 * An entry's key fields sit side by side in one array and its values in another, so a lookup reads
 * one cache line of keys and a hit writes one of values.
 */
export class IntervalEntries {
  readonly ips = new Interned();
  readonly names = new Interned();
  /** Unique to this interval (renewed by reset(), never 0): ids cached by a reader are valid only within one epoch. */
  epoch = nextEpoch++;
  n = 0;
  private cap = INITIAL_ENTRIES;
  private keys = new Int32Array(this.cap * KEY_STRIDE);
  private vals = new Float64Array(this.cap * VAL_STRIDE);
  private hostname: Array<string | undefined> | undefined;
  /** Per source: 1 = some destination is a name id, 2 = some is an address (both: sort by text). */
  private destKinds = [0, 0, 0];
  private slots = new Int32Array(INITIAL_ENTRIES * 2).fill(-1);
  private mask = INITIAL_ENTRIES * 2 - 1;

  get reusable(): boolean {
    return this.cap <= REUSE_MAX_ENTRIES;
  }

  /** Empties it for another interval (replay closes thousands of small ones: their arrays are reused). */
  reset(): void {
    this.epoch = nextEpoch++;
    this.ips.clear();
    this.names.clear();
    this.hostname = undefined;
    this.destKinds.fill(0);
    if (this.n > 0) this.slots.fill(-1);
    this.n = 0;
  }

  /** One sighting. `ttl` NaN: none; `port` -1: none. */
  add(source: number, srcIp: number, dest: number, dstIp: number, port: number, ts: number, ttl: number, hostname?: string): void {
    const sp = packSourcePort(source, port);
    const keys = this.keys, mask = this.mask;
    let h = slotHash(srcIp, dest, dstIp, sp) & mask;
    for (;;) {
      const e = this.slots[h]!;
      if (e < 0) break;
      const k = e * KEY_STRIDE;
      if (keys[k] === srcIp && keys[k + 2] === dstIp && keys[k + 1] === dest && keys[k + 3] === sp) {
        const v = e * VAL_STRIDE, vals = this.vals;
        vals[v]++;
        if (ts >= vals[v + 1]!) {
          vals[v + 1] = ts;
          if (ttl === ttl) vals[v + 2] = ttl;
          if (hostname !== undefined) (this.hostname ??= [])[e] = hostname;
        }
        return;
      }
      h = (h + 1) & mask;
    }
    if (this.n === this.cap) this.grow();
    const e = this.n++;
    const k = e * KEY_STRIDE, v = e * VAL_STRIDE;
    this.keys[k] = srcIp; this.keys[k + 1] = dest; this.keys[k + 2] = dstIp; this.keys[k + 3] = sp;
    this.vals[v] = 1; this.vals[v + 1] = ts; this.vals[v + 2] = ttl;
    if (hostname !== undefined) (this.hostname ??= [])[e] = hostname;
    this.destKinds[source]! |= dest >= 0 ? 1 : 2;
    this.slots[h] = e;
    if (this.n * 2 > this.slots.length) this.rehash();
  }

  /** A sighting given as an object (socket scan, tests). A port is 0–65535: it is kept in 17 bits. */
  addObservation(o: Observation): void {
    const port = o.destinationPort ?? NO_PORT;
    if (!(Number.isInteger(port) && port >= NO_PORT && port <= MAX_PORT)) throw new RangeError(`destinationPort must be 0 to 65535, got ${port}`);
    const source = SOURCE_CODE[o.source]!;
    const dstIp = this.ips.id(o.destinationIp);
    const dest = source === SRC_DNS || o.destination !== o.destinationIp ? this.names.id(o.destination) : -1;
    this.add(source, this.ips.id(o.srcIp), dest, dstIp, port, o.ts, o.ttl ?? NaN, o.srcHostname);
  }

  private grow(): void {
    const cap = this.cap * 2;
    const keys = new Int32Array(cap * KEY_STRIDE);
    keys.set(this.keys);
    const vals = new Float64Array(cap * VAL_STRIDE);
    vals.set(this.vals);
    this.keys = keys;
    this.vals = vals;
    this.cap = cap;
  }

  private rehash(): void {
    const size = this.slots.length * 2;
    const keys = this.keys;
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    for (let e = 0; e < this.n; e++) {
      const k = e * KEY_STRIDE;
      let h = slotHash(keys[k]!, keys[k + 1]!, keys[k + 2]!, keys[k + 3]!) & this.mask;
      while (this.slots[h]! >= 0) h = (h + 1) & this.mask;
      this.slots[h] = e;
    }
  }

  /** Entry `e` as a record: the wire's (ISO `lastSeen`), or a TimedRecord (epoch ms) for ingest in the same process. */
  private record(e: number, timed: boolean): ConnectionRecord {
    const k = e * KEY_STRIDE, v = e * VAL_STRIDE, keys = this.keys, vals = this.vals, ip = this.ips.list;
    const d = keys[k + 1]!, sp = keys[k + 3]!, ttl = vals[v + 2]!;
    const source = SOURCE_NAMES[sourceOf(sp)]!, srcIp = ip[keys[k]!]!, destinationIp = ip[keys[k + 2]!]!;
    const destination = d >= 0 ? this.names.list[d]! : destinationIp;
    const port = portOf(sp);
    const p = port === NO_PORT ? undefined : port, t = ttl === ttl ? ttl : undefined, host = this.hostname?.[e];
    return timed
      ? new TimedRecord(source, srcIp, destination, destinationIp, msOf(vals[v + 1]!), vals[v]!, host, p, t)
      : wireRecord(source, srcIp, destination, destinationIp, toIso(vals[v + 1]!), vals[v]!, host, p, t);
  }

  /** The records as a node sends them, in the order of sortRecords. */
  records(): ConnectionRecord[] {
    return this.build(false);
  }

  /** The same records with epoch-ms times (TimedRecord), for ingest in the same process. */
  timedRecords(): TimedRecord[] {
    return this.build(true) as TimedRecord[];
  }

  /** One record per entry, in the order of sortRecords (aggregate-order.ts). */
  private build(timed: boolean): ConnectionRecord[] {
    const n = this.n;
    const out: ConnectionRecord[] = new Array(n);
    const mixed = this.destKinds.some((k) => k === 3);
    if (mixed || this.ips.hasNul || this.names.hasNul) {
      for (let e = 0; e < n; e++) out[e] = this.record(e, timed);
      return sortRecords(out);
    }
    const order = entryOrder({
      n, keys: this.keys,
      ipRank: this.ips.ranks('ipRank'), nameRank: this.names.ranks('nameRank'),
      nIp: this.ips.list.length, nName: this.names.list.length,
    });
    for (let i = 0; i < n; i++) out[i] = this.record(order[i]!, timed);
    return out;
  }
}

/** The slot of a key (srcIp, destination, destinationIp, source and port packed) before masking. */
function slotHash(srcIp: number, dest: number, dstIp: number, sp: number): number {
  let h = Math.imul(sp + 1, 0x9e3779b1) ^ srcIp;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) ^ dest;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) ^ dstIp;
  h = Math.imul(h ^ (h >>> 16), 0x27d4eb2f);
  return h ^ (h >>> 15);
}

/** One closed interval: its end (epoch seconds) and its records. */
export interface Closed<R extends ConnectionRecord = ConnectionRecord> { endTs: number; records: R[] }

export interface IntervalAggregator<R extends ConnectionRecord = ConnectionRecord> {
  add(o: Observation): void;
  /** The open interval a sighting at `ts` (epoch seconds) belongs to: decoded records are added to it in place. */
  entriesAt(ts: number): IntervalEntries;
  /** Closes every interval that ends at or before `boundaryTs` (epoch seconds); returns them oldest first. */
  closeBefore(boundaryTs: number): Array<Closed<R>>;
  closeAll(): Array<Closed<R>>;
  /** Distinct keys held across open intervals. */
  readonly size: number;
}

/**
 * Intervals of `intervalMs`; each closes into `build(entries)` (default: the wire's records).
 * @example createIntervalAggregator(1000, (e) => e.timedRecords())   // replay's ingest
 */
export function createIntervalAggregator(intervalMs: number): IntervalAggregator;
export function createIntervalAggregator<R extends ConnectionRecord>(intervalMs: number, build: (entries: IntervalEntries) => R[]): IntervalAggregator<R>;
export function createIntervalAggregator(intervalMs: number, build = (entries: IntervalEntries): ConnectionRecord[] => entries.records()): IntervalAggregator {
  const buckets = new Map<number, IntervalEntries>();
  const spare: IntervalEntries[] = [];
  let firstOpen = -Infinity; // sightings older than a closed interval join the oldest open one
  let oldest = Infinity; // the lowest open bucket: closeBefore runs per record in replay, and mostly closes nothing
  let lastBucket = NaN;
  let last: IntervalEntries | undefined;

  function close(pred: (b: number) => boolean) {
    const out: Closed[] = [];
    if (!pred(oldest)) return out;
    for (const b of [...buckets.keys()].sort((x, y) => x - y)) {
      if (!pred(b)) continue;
      const entries = buckets.get(b)!;
      buckets.delete(b);
      out.push({ endTs: ((b + 1) * intervalMs) / 1000, records: build(entries) });
      if (entries.reusable && spare.length < SPARE_MAX) { entries.reset(); spare.push(entries); }
    }
    oldest = Infinity;
    for (const b of buckets.keys()) if (b < oldest) oldest = b;
    lastBucket = NaN;
    last = undefined;
    return out;
  }

  function entriesAt(ts: number): IntervalEntries {
    const b = Math.max(Math.floor((ts * 1000) / intervalMs), firstOpen);
    if (b === lastBucket) return last!;
    let entries = buckets.get(b);
    if (!entries) {
      buckets.set(b, (entries = spare.pop() ?? new IntervalEntries()));
      if (b < oldest) oldest = b;
    }
    lastBucket = b;
    last = entries;
    return entries;
  }

  return {
    add(o) {
      entriesAt(o.ts).addObservation(o);
    },
    entriesAt,
    closeBefore(boundaryTs) {
      const limit = Math.floor((boundaryTs * 1000) / intervalMs); // buckets < limit have ended
      firstOpen = Math.max(firstOpen, limit);
      if (limit > lastBucket) { lastBucket = NaN; last = undefined; } // the cached bucket may now be below firstOpen
      return close((b) => b < limit);
    },
    closeAll() {
      return close(() => true);
    },
    get size() {
      let n = 0;
      for (const e of buckets.values()) n += e.n;
      return n;
    },
  };
}

