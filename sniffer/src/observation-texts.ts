// Texts of the decoder's bytes (addresses and names, read where the WASM decoder wrote them), made
// once per distinct byte string across intervals instead of once per interval: a cluster's traffic
// repeats the same few addresses and names in thousands of one-second intervals. An interval's own
// id for a text is cached beside it, stamped with the interval's epoch, so the hot path does no
// string work and no Map lookup once a text has been seen in the interval.

/** Distinct texts kept before the table starts over (bounds memory on traffic that never repeats). */
const MAX_TEXTS = 1 << 16;
const INITIAL_TEXTS = 1 << 8;
const MAX_ARENA_BYTES = 4 << 20;
const FNV_PRIME = 0x01000193;

/**
 * MurmurHash3's finalizer: every input bit reaches the low bits the slot is taken from. A multiply
 * carries bits only upwards, so without it addresses that differ in their last byte (the top byte of
 * the little-endian word read) shared one slot chain: 19 probes a lookup on the replay bench.
 */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

import { TextOrder } from './aggregate-text-order.ts';

/** Generations are unique across tables: an interval's texts from two tables or generations may repeat one another. */
let nextGeneration = 1;

/** The text of `len` bytes at `off` of the decoder's memory, made only the first time those bytes are seen. */
export type MakeText = (memory: Buffer, off: number, len: number) => string;

/** Byte strings → small ids and their text; one table per kind of text (addresses, names). */
export class ByteTexts {
  private cap = INITIAL_TEXTS;
  private slots = new Int32Array(INITIAL_TEXTS * 2).fill(-1);
  private mask = INITIAL_TEXTS * 2 - 1;
  private hashes = new Int32Array(INITIAL_TEXTS);
  private starts = new Int32Array(INITIAL_TEXTS);
  private lengths = new Int32Array(INITIAL_TEXTS);
  /** A 4-byte text's bytes as one little-endian word. */
  private words = new Int32Array(INITIAL_TEXTS);
  private arena = new Uint8Array(1 << 12);
  private arenaView = new DataView(this.arena.buffer);
  private used = 0;
  readonly texts: string[] = [];
  /** Renewed when the table starts over (ids are then reused): within one generation each id is one distinct text. */
  generation = nextGeneration++;
  /** Per id: the epoch of the interval whose own id is in `local` (0: none). */
  stamp = new Float64Array(INITIAL_TEXTS);
  local = new Int32Array(INITIAL_TEXTS);

  private readonly order = new TextOrder();

  constructor(private readonly make: MakeText) {}

  /** rank[id] = the position of the id's text among this table's texts in text order. */
  ranks(): Int32Array {
    return this.order.ranks(this.texts);
  }

  /** The ids of this table's texts in text order: the first `size` of the array returned. */
  inOrder(): Int32Array {
    return this.order.inOrder(this.texts);
  }

  get size(): number {
    return this.texts.length;
  }

  /** The id of the `len` bytes at `off` (one view type for every table: the decoder's memory as a Buffer, and a DataView of it). */
  id(u8: Buffer, dv: DataView, off: number, len: number): number {
    if (len === 4) return this.id4(u8, dv, off);
    // Four bytes a step (names are tens of bytes long), then the last few one by one.
    let h = Math.imul(len + 1, FNV_PRIME);
    let i = 0;
    for (; i + 4 <= len; i += 4) h = Math.imul(h ^ dv.getInt32(off + i, true), FNV_PRIME) ^ (h >>> 13);
    for (; i < len; i++) h = Math.imul(h ^ u8[off + i]!, FNV_PRIME);
    h = fmix32(h);
    for (let s = h & this.mask; ; s = (s + 1) & this.mask) {
      const id = this.slots[s]!;
      if (id < 0) return this.insert(s, h, u8, dv, off, len);
      if (this.hashes[id] === h && this.lengths[id] === len && this.same(id, u8, dv, off, len)) return id;
    }
  }

  /** An IPv4 address (or any 4 bytes): one word hashed and compared, no loop and no arena read. */
  private id4(u8: Buffer, dv: DataView, off: number): number {
    const w = dv.getInt32(off, true);
    const h = fmix32(w);
    for (let s = h & this.mask; ; s = (s + 1) & this.mask) {
      const id = this.slots[s]!;
      if (id < 0) return this.insert(s, h, u8, dv, off, 4);
      if (this.words[id] === w && this.lengths[id] === 4) return id;
    }
  }

  private same(id: number, u8: Buffer, dv: DataView, off: number, len: number): boolean {
    const a = this.arenaView, at = this.starts[id]!;
    let i = 0;
    for (; i + 4 <= len; i += 4) if (a.getInt32(at + i, true) !== dv.getInt32(off + i, true)) return false;
    for (; i < len; i++) if (this.arena[at + i] !== u8[off + i]) return false;
    return true;
  }

  private insert(slot: number, h: number, u8: Buffer, dv: DataView, off: number, len: number): number {
    if (this.texts.length === MAX_TEXTS || this.used + len > MAX_ARENA_BYTES) {
      this.clear();
      return this.id(u8, dv, off, len);
    }
    if (this.used + len > this.arena.length) {
      const bigger = new Uint8Array(Math.max(this.arena.length * 2, this.used + len));
      bigger.set(this.arena.subarray(0, this.used));
      this.arena = bigger;
      this.arenaView = new DataView(bigger.buffer);
    }
    if (this.texts.length === this.cap) return this.grow().id(u8, dv, off, len);
    const id = this.texts.length;
    this.arena.set(u8.subarray(off, off + len), this.used);
    this.starts[id] = this.used;
    this.lengths[id] = len;
    this.hashes[id] = h;
    if (len === 4) this.words[id] = dv.getInt32(off, true);
    this.used += len;
    this.texts.push(this.make(u8, off, len));
    this.stamp[id] = 0;
    this.slots[slot] = id;
    return id;
  }

  /** Twice the room, the slots rebuilt from the kept hashes. */
  private grow(): this {
    const cap = this.cap * 2;
    const copy = <T extends Int32Array | Float64Array>(a: T, make: new (n: number) => T): T => { const b = new make(cap); b.set(a); return b; };
    this.hashes = copy(this.hashes, Int32Array); this.starts = copy(this.starts, Int32Array); this.lengths = copy(this.lengths, Int32Array);
    this.words = copy(this.words, Int32Array);
    this.stamp = copy(this.stamp, Float64Array); this.local = copy(this.local, Int32Array);
    this.cap = cap;
    this.slots = new Int32Array(cap * 2).fill(-1);
    this.mask = cap * 2 - 1;
    for (let id = 0; id < this.texts.length; id++) {
      let s = this.hashes[id]! & this.mask;
      while (this.slots[s]! >= 0) s = (s + 1) & this.mask;
      this.slots[s] = id;
    }
    return this;
  }

  /** Starts over: ids are reused, so every interval's cached id goes too. */
  private clear(): void {
    this.generation = nextGeneration++;
    this.order.reset();
    this.slots.fill(-1);
    this.texts.length = 0;
    this.used = 0;
  }
}
