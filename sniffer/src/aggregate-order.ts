// The order an interval's records come out in (sortRecords' order: source, srcIp, destination,
// destinationIp, port), computed over the interval's typed arrays from the rank of each distinct
// text, sorted once per interval: no string is compared per entry. Scratch arrays are kept between
// intervals (replay closes thousands of small ones).

/** Numbers per entry in EntryKeys' `keys`. */
export const KEY_STRIDE = 4;
/** An entry's source and port in one number: source << PORT_BITS | (port + 1), port -1 (none) to 65535. */
const PORT_BITS = 17;
const PORT_MASK = (1 << PORT_BITS) - 1;
export const packSourcePort = (source: number, port: number): number => (source << PORT_BITS) | (port + 1);
export const sourceOf = (sp: number): number => sp >>> PORT_BITS;
export const portOf = (sp: number): number => (sp & PORT_MASK) - 1;

/** An interval's entries as the aggregator holds them, with each address's and name's text rank. */
export interface EntryKeys {
  n: number;
  /**
   * KEY_STRIDE numbers per entry: srcIp id; destination, a name id or -1 when it is the destinationIp's
   * text; destinationIp id; packSourcePort(source code, port), the source numbered in the text order of
   * the sources' names and port -1 for none (sorting as 0, as sortRecords' `destinationPort ?? 0`).
   */
  keys: Int32Array;
  /** Rank of each address id and name id (ranks()), and how many there are. */
  ipRank: Int32Array;
  nameRank: Int32Array;
  nIp: number;
  nName: number;
}

/** Groups up to this size are insertion-sorted. */
const INSERTION_MAX = 16;
const SOURCES = 3;

const scratch: { [k in 'order' | 'at' | 'group' | 'start' | 'part' | 'ipRank' | 'nameRank']: Int32Array } = {
  order: new Int32Array(64), at: new Int32Array(64), group: new Int32Array(64), start: new Int32Array(64), part: new Int32Array(64),
  ipRank: new Int32Array(64), nameRank: new Int32Array(64),
};
const floatScratch: { [k in 'sortKey' | 'keys']: Float64Array } = { sortKey: new Float64Array(64), keys: new Float64Array(64) };

/** A scratch array of at least `n` elements (its contents are not cleared). */
function room(name: keyof typeof scratch, n: number): Int32Array {
  if (scratch[name].length < n) scratch[name] = new Int32Array(Math.max(n, scratch[name].length * 2));
  return scratch[name];
}
function floats(name: keyof typeof floatScratch, n: number): Float64Array {
  if (floatScratch[name].length < n) floatScratch[name] = new Float64Array(Math.max(n, floatScratch[name].length * 2));
  return floatScratch[name];
}

/** The smallest power of two above the positions 0..size-1. */
const positions = (size: number): number => 2 ** Math.ceil(Math.log2(size));

/** Ids in text order (ranks()), kept between intervals. */
const byText: number[] = [];

/**
 * rank[id] = the position of the id's text (`list[id]`, all distinct) in text order (UTF-16 code
 * units, as `<` compares), in a scratch array valid until the next call for the same `which`.
 */
export function ranks(list: readonly string[], which: 'ipRank' | 'nameRank'): Int32Array {
  const n = list.length;
  byText.length = n;
  for (let i = 0; i < n; i++) byText[i] = i;
  byText.sort((a, b) => (list[a]! < list[b]! ? -1 : 1));
  const r = room(which, n);
  for (let i = 0; i < n; i++) r[byText[i]!] = i;
  return r;
}

let keyScratch = new Uint32Array(64);
/** Ids packed beside their rank below: both fit 16 bits (a text table holds at most 2^16 texts). */
const ID_BITS = 16;

/**
 * ranks() of `n` texts given by their distinct ids in a table whose texts' order is `globalRank`
 * (TextTable.ranks()): one integer sort, no text compared.
 */
export function ranksByGlobal(globals: Int32Array, n: number, globalRank: Int32Array, which: 'ipRank' | 'nameRank'): Int32Array {
  if (keyScratch.length < n) keyScratch = new Uint32Array(Math.max(n, keyScratch.length * 2));
  const keys = keyScratch;
  for (let i = 0; i < n; i++) keys[i] = globalRank[globals[i]!]! * 2 ** ID_BITS + i;
  if (n > INSERTION_MAX) keyScratch.subarray(0, n).sort();
  else insertionSort(keys, n); // most intervals of a cluster's capture hold a few texts: no view and no call into the runtime
  const r = room(which, n);
  for (let p = 0; p < n; p++) r[keys[p]! & (2 ** ID_BITS - 1)] = p;
  return r;
}

/**
 * ranks() of the `n` texts an interval holds, read off its table's text order (`inOrder`, the table's
 * `size` ids): `localOf[id]` is 1 + the interval's id of table text `id`, or 0 for a text it does not hold.
 */
export function ranksByScan(localOf: Int32Array, inOrder: Int32Array, size: number, n: number, which: 'ipRank' | 'nameRank'): Int32Array {
  const r = room(which, n);
  const known = localOf.length;
  for (let p = 0, rank = 0; p < size && rank < n; p++) {
    const id = inOrder[p]!;
    const local = id < known ? localOf[id]! : 0;
    if (local > 0) r[local - 1] = rank++;
  }
  return r;
}

function insertionSort(a: Uint32Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > v) { a[j + 1] = a[j]!; j--; }
    a[j + 1] = v;
  }
}

/**
 * Entry indices in record order, in a scratch array valid until the next call: grouped by
 * (source, srcIp) with a counting sort (stable), then each group by (destination, destinationIp,
 * port): in one interval a client mostly reaches a few destinations.
 */
export function entryOrder(k: EntryKeys): Int32Array {
  const { n, keys, ipRank, nameRank, nIp, nName } = k;
  const groups = SOURCES * nIp;
  const start = room('start', groups + 1);
  start.fill(0, 0, groups + 1);
  const k1 = room('group', n);
  const k2 = floats('sortKey', n);
  for (let e = 0, at = 0; e < n; e++, at += KEY_STRIDE) {
    const d = keys[at + 1]!, sp = keys[at + 3]!, dstRank = ipRank[keys[at + 2]!]!;
    const g = sourceOf(sp) * nIp + ipRank[keys[at]!]!;
    k1[e] = g;
    start[g + 1]!++;
    k2[e] = ((d >= 0 ? nameRank[d]! : dstRank) * nIp + dstRank) * 65536 + Math.max(portOf(sp), 0);
  }
  for (let g = 0; g < groups; g++) start[g + 1]! += start[g]!;
  const k2Max = (Math.max(nName, nIp) * nIp + nIp) * 65536;
  const order = room('order', n);
  const at = room('at', groups);
  at.set(start.subarray(0, groups));
  for (let e = 0; e < n; e++) order[at[k1[e]!]!++] = e;
  for (let g = 0; g < groups; g++) {
    const lo = start[g]!, hi = start[g + 1]!;
    if (hi - lo < 2) continue;
    const size = hi - lo;
    if (size <= INSERTION_MAX) {
      for (let i = lo + 1; i < hi; i++) { // insertion sort: stable, and fast on a few entries
        const e = order[i]!, key = k2[e]!;
        let j = i - 1;
        while (j >= lo && k2[order[j]!]! > key) { order[j + 1] = order[j]!; j--; }
        order[j + 1] = e;
      }
    } else if (k2Max * positions(size) < 2 ** 53) {
      // Keys are distinct within a group: sort numbers natively, each carrying its position in its
      // low bits (a power of two: taken back out exactly with a multiply and a floor, not a modulo).
      const scale = positions(size), unscale = 1 / scale;
      const keys = floats('keys', size).subarray(0, size);
      for (let i = 0; i < size; i++) keys[i] = k2[order[lo + i]!]! * scale + i;
      keys.sort();
      const part = room('part', size);
      part.set(order.subarray(lo, hi));
      for (let i = 0; i < size; i++) { const key = keys[i]!; order[lo + i] = part[key - Math.floor(key * unscale) * scale]!; }
    } else {
      const part = Array.from(order.subarray(lo, hi));
      part.sort((a, b) => k2[a]! - k2[b]!);
      order.set(part, lo);
    }
  }
  return order;
}
