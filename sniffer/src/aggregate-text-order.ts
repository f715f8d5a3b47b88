// The text order of a table's texts (observation-texts.ts), kept as texts are appended: an
// interval's ranks then come from one integer sort of its texts' global ranks instead of comparing
// its texts again in every interval (a cluster's capture repeats the same texts second after second).

const INITIAL = 256;

/** Ids 0..n-1 of a list of distinct texts that only grows (or starts over), in text order. */
export class TextOrder {
  private byText = new Int32Array(INITIAL);
  private rank = new Int32Array(INITIAL);
  private n = 0;

  /** rank[id] = the position of texts[id] in text order (UTF-16 code units, as `<` compares). */
  ranks(texts: readonly string[]): Int32Array {
    const total = texts.length;
    if (total === this.n) return this.rank;
    const added: number[] = [];
    for (let id = this.n; id < total; id++) added.push(id);
    added.sort((a, b) => (texts[a]! < texts[b]! ? -1 : 1));
    // Merge the new ids into the ordered ones.
    const old = this.byText, merged = new Int32Array(Math.max(INITIAL, total));
    let i = 0, j = 0, k = 0;
    while (i < this.n && j < added.length) merged[k++] = texts[old[i]!]! < texts[added[j]!]! ? old[i++]! : added[j++]!;
    while (i < this.n) merged[k++] = old[i++]!;
    while (j < added.length) merged[k++] = added[j++]!;
    if (this.rank.length < total) this.rank = new Int32Array(merged.length);
    for (let p = 0; p < total; p++) this.rank[merged[p]!] = p;
    this.byText = merged;
    this.n = total;
    return this.rank;
  }

  /** The ids of `texts` in text order: the first texts.length of the array returned. */
  inOrder(texts: readonly string[]): Int32Array {
    this.ranks(texts);
    return this.byText;
  }

  /** The list started over (its ids are reused). */
  reset(): void {
    this.n = 0;
  }
}
