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
import { entryOrder, ranks } from './aggregate-order.ts';

/** Source codes, numbered in the text order of their names (the sort order of reports). */
export const SRC_DNS = 0;
export const SRC_SOCKET = 1;
export const SRC_TCP = 2;
const SOURCE_NAMES = ['dns', 'socket', 'tcp'] as const;
const SOURCE_CODE: Record<string, number> = { dns: SRC_DNS, socket: SRC_SOCKET, tcp: SRC_TCP };

/** Strings of one interval, each given a small id once. */
export class Interned {
  readonly ids = new Map<string, number>();
  readonly list: string[] = [];
  hasNul = false;
  clear(): void {
    this.ids.clear();
    this.list.length = 0;
    this.hasNul = false;
  }
  id(s: string): number {
    let i = this.ids.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(s);
      this.ids.set(s, i);
      if (s.includes('\u0000')) this.hasNul = true;
    }
    return i;
  }
}

const NO_PORT = -1;
/** Epochs are unique across every interval of the process: readers cache ids under one (observation-texts.ts). */
let nextEpoch = 1;
/** Closed intervals kept for reuse, and the largest whose arrays are worth keeping. */
const SPARE_MAX = 2;
const REUSE_MAX_ENTRIES = 1 << 16;
const INITIAL_ENTRIES = 256;

/**
 * One open interval. An entry's key is (source, srcIp id, destination, destinationIp id, port):
 * destination is a name id, or -1 when it is the destinationIp's text (TCP and socket records).
 */
export class IntervalEntries {
  readonly ips = new Interned();
  readonly names = new Interned();
  /** Unique to this interval (renewed by reset(), never 0): ids cached by a reader are valid only within one epoch. */
  epoch = nextEpoch++;
  n = 0;
  private cap = INITIAL_ENTRIES;
  private source = new Uint8Array(this.cap);
  private srcIp = new Int32Array(this.cap);
  private dest = new Int32Array(this.cap);
  private dstIp = new Int32Array(this.cap);
  private port = new Int32Array(this.cap);
  private count = new Float64Array(this.cap);
  private newest = new Float64Array(this.cap);
  /** NaN: no TTL. */
  private ttl = new Float64Array(this.cap);
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
    let h = Math.imul(source + 1, 0x9e3779b1) ^ srcIp;
    h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) ^ dest;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) ^ dstIp;
    h = Math.imul(h ^ (h >>> 16), 0x27d4eb2f) ^ port;
    h = (h ^ (h >>> 15)) & this.mask;
    for (;;) {
      const e = this.slots[h]!;
      if (e < 0) break;
      if (this.srcIp[e] === srcIp && this.dstIp[e] === dstIp && this.dest[e] === dest && this.port[e] === port && this.source[e] === source) {
        this.count[e]++;
        if (ts >= this.newest[e]!) {
          this.newest[e] = ts;
          if (ttl === ttl) this.ttl[e] = ttl;
          if (hostname !== undefined) (this.hostname ??= [])[e] = hostname;
        }
        return;
      }
      h = (h + 1) & this.mask;
    }
    if (this.n === this.cap) this.grow();
    const e = this.n++;
    this.source[e] = source; this.srcIp[e] = srcIp; this.dest[e] = dest; this.dstIp[e] = dstIp; this.port[e] = port;
    this.count[e] = 1; this.newest[e] = ts; this.ttl[e] = ttl;
    if (hostname !== undefined) (this.hostname ??= [])[e] = hostname;
    this.destKinds[source]! |= dest >= 0 ? 1 : 2;
    this.slots[h] = e;
    if (this.n * 2 > this.slots.length) this.rehash();
  }

  /** A sighting given as an object (socket scan, tests). */
  addObservation(o: Observation): void {
    const source = SOURCE_CODE[o.source]!;
    const dstIp = this.ips.id(o.destinationIp);
    const dest = source === SRC_DNS || o.destination !== o.destinationIp ? this.names.id(o.destination) : -1;
    this.add(source, this.ips.id(o.srcIp), dest, dstIp, o.destinationPort ?? NO_PORT, o.ts, o.ttl ?? NaN, o.srcHostname);
  }

  private grow(): void {
    const cap = this.cap * 2;
    const g = <T extends Uint8Array | Int32Array | Float64Array>(a: T, make: new (n: number) => T): T => { const b = new make(cap); b.set(a); return b; };
    this.source = g(this.source, Uint8Array); this.srcIp = g(this.srcIp, Int32Array); this.dest = g(this.dest, Int32Array);
    this.dstIp = g(this.dstIp, Int32Array); this.port = g(this.port, Int32Array); this.count = g(this.count, Float64Array);
    this.newest = g(this.newest, Float64Array); this.ttl = g(this.ttl, Float64Array);
    this.cap = cap;
  }

  private rehash(): void {
    const size = this.slots.length * 2;
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    for (let e = 0; e < this.n; e++) {
      let h = Math.imul(this.source[e]! + 1, 0x9e3779b1) ^ this.srcIp[e]!;
      h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) ^ this.dest[e]!;
      h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) ^ this.dstIp[e]!;
      h = Math.imul(h ^ (h >>> 16), 0x27d4eb2f) ^ this.port[e]!;
      h = (h ^ (h >>> 15)) & this.mask;
      while (this.slots[h]! >= 0) h = (h + 1) & this.mask;
      this.slots[h] = e;
    }
  }

  private record(e: number): ConnectionRecord {
    const d = this.dest[e]!, port = this.port[e]!, ttl = this.ttl[e]!, ip = this.ips.list;
    const destinationIp = ip[this.dstIp[e]!]!;
    return wireRecord(SOURCE_NAMES[this.source[e]!]!, ip[this.srcIp[e]!]!, d >= 0 ? this.names.list[d]! : destinationIp, destinationIp,
      toIso(this.newest[e]!), this.count[e]!, this.hostname?.[e], port === NO_PORT ? undefined : port, ttl === ttl ? ttl : undefined);
  }

  private timedRecord(e: number): TimedRecord {
    const d = this.dest[e]!, port = this.port[e]!, ttl = this.ttl[e]!, ip = this.ips.list;
    const destinationIp = ip[this.dstIp[e]!]!;
    return new TimedRecord(SOURCE_NAMES[this.source[e]!]!, ip[this.srcIp[e]!]!, d >= 0 ? this.names.list[d]! : destinationIp, destinationIp,
      msOf(this.newest[e]!), this.count[e]!, this.hostname?.[e], port === NO_PORT ? undefined : port, ttl === ttl ? ttl : undefined);
  }

  /** The records as a node sends them, in the order of sortRecords. */
  records(): ConnectionRecord[] {
    return this.build((e) => this.record(e));
  }

  /** The same records with epoch-ms times (TimedRecord), for ingest in the same process. */
  timedRecords(): TimedRecord[] {
    return this.build((e) => this.timedRecord(e));
  }

  /** One record per entry, in the order of sortRecords (aggregate-order.ts). */
  private build<R extends ConnectionRecord>(make: (e: number) => R): R[] {
    const n = this.n;
    const out: R[] = new Array(n);
    const mixed = this.destKinds.some((k) => k === 3);
    if (mixed || this.ips.hasNul || this.names.hasNul) {
      for (let e = 0; e < n; e++) out[e] = make(e);
      return sortRecords(out);
    }
    const order = entryOrder({
      n, source: this.source, srcIp: this.srcIp, dest: this.dest, dstIp: this.dstIp, port: this.port,
      ipRank: ranks(this.ips.list, this.ips.ids, 'ipRank'), nameRank: ranks(this.names.list, this.names.ids, 'nameRank'),
      nIp: this.ips.list.length, nName: this.names.list.length,
    });
    for (let i = 0; i < n; i++) out[i] = make(order[i]!);
    return out;
  }
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

