// The texts of one interval (addresses, names), each given a small id once, and their order. Texts
// made from the decoder's bytes come from a table that makes each distinct text once
// (observation-texts.ts): they join without a lookup, and their order comes from the table's.

import { ranks, ranksByGlobal, ranksByScan } from './aggregate-order.ts';

/** A table that makes each distinct text once per generation, and knows its texts' order (ByteTexts). */
export interface TextTable {
  readonly generation: number;
  ranks(): Int32Array;
  /** The table's ids in text order: the first `size` of the array. */
  inOrder(): Int32Array;
  readonly size: number;
}

/** An interval holding at least 1/SCAN_RATIO of its table's texts (or a small table) reads their order off the
 *  table's, one pass and no sort: a cluster's capture has a few tens of texts, and most of them in every interval. */
const SCAN_RATIO = 8;
const SCAN_MIN = 64;

/**
 * Strings of one interval, each given a small id once. Texts the decoder's bytes made come from a
 * table that makes each distinct text once (observation-texts.ts) and are added without a lookup;
 * a text given as a string (socket scan, tests) is looked up among all of them.
 */
export class Interned {
  readonly list: string[] = [];
  hasNul = false;
  private readonly ids = new Map<string, number>();
  /** list[0, mapped) are in `ids`: texts added by idOfNew join it only once a string is looked up. */
  private mapped = 0;
  /** The table, and its generation, that gave every text so far (while `ids` is empty): no two are equal. */
  private table: TextTable | undefined;
  private generation = -1;
  /** Per id: the table's id of the text. */
  private globals = new Int32Array(64);
  /** list[0, fromTable) came through idOfNew's lookup-free path, and localOf holds them. */
  private fromTable = 0;
  /** Per table id: 1 + this interval's id of the text, or 0. The caller's cache (observation.ts localId) keeps one
   *  interval per text, so with two intervals open (live capture's grace period, several devices) a text can come
   *  back to an interval that already has it: this finds it without a string lookup. */
  private localOf = new Int32Array(64);

  clear(): void {
    for (let i = 0; i < this.fromTable; i++) this.localOf[this.globals[i]!] = 0;
    this.fromTable = 0;
    this.ids.clear();
    this.list.length = 0;
    this.mapped = 0;
    this.hasNul = false;
    this.table = undefined;
    this.generation = -1;
  }

  /** The id of a text given as a string. */
  id(s: string): number {
    for (; this.mapped < this.list.length; this.mapped++) this.ids.set(this.list[this.mapped]!, this.mapped);
    let i = this.ids.get(s);
    if (i === undefined) {
      i = this.push(s);
      this.ids.set(s, i);
      this.mapped++;
    }
    return i;
  }

  /**
   * The id of text `globalId` of `table` (whose text is `s`): found by the table's id, without a string
   * lookup, while every text came from this generation of this table and none was looked up as a string.
   */
  idOfNew(s: string, table: TextTable, globalId: number): number {
    if (this.ids.size > 0 || ((table !== this.table || table.generation !== this.generation) && this.list.length > 0)) return this.id(s);
    this.table = table;
    this.generation = table.generation;
    if (globalId < this.localOf.length) {
      const known = this.localOf[globalId]!;
      if (known > 0) return known - 1;
    } else {
      const l = new Int32Array(Math.max(globalId + 1, this.localOf.length * 2)); l.set(this.localOf); this.localOf = l;
    }
    const i = this.push(s);
    if (i === this.globals.length) { const g = new Int32Array(i * 2); g.set(this.globals); this.globals = g; }
    this.globals[i] = globalId;
    this.localOf[globalId] = i + 1;
    this.fromTable = i + 1;
    return i;
  }

  /** rank[id] = the position of the id's text in text order: from the table's order while it gave every text. */
  ranks(which: 'ipRank' | 'nameRank'): Int32Array {
    const t = this.table;
    if (t && this.ids.size === 0 && t.generation === this.generation) {
      const n = this.list.length;
      if (t.size <= n * SCAN_RATIO + SCAN_MIN) return ranksByScan(this.localOf, t.inOrder(), t.size, n, which);
      return ranksByGlobal(this.globals, n, t.ranks(), which);
    }
    return ranks(this.list, which);
  }

  private push(s: string): number {
    if (s.includes('\u0000')) this.hasNul = true;
    return this.list.push(s) - 1;
  }
}
