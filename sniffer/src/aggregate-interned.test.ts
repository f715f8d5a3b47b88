import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Interned, type TextTable } from './aggregate-interned.ts';
import { TextOrder } from './aggregate-text-order.ts';

/** A stand-in for a ByteTexts table: its texts by id, in a generation. */
function table(generation: number, texts: string[]): TextTable & { texts: string[] } {
  const order = new TextOrder();
  return { generation, texts, ranks: () => order.ranks(texts), inOrder: () => order.inOrder(texts), get size() { return texts.length; } };
}
const textRanks = (list: string[]): number[] => list.map((t) => [...list].sort().indexOf(t));

test('Interned: a text gets one id whether it came from a table or as a string, in either order, across table generations', () => {
  const ips = table(7, ['10.0.0.1', '10.0.0.2', 'fd00::1']);
  const t = new Interned();
  const a = t.idOfNew('10.0.0.1', ips, 0), b = t.idOfNew('10.0.0.2', ips, 1);
  assert.equal([a, b], [0, 1]);
  assert.is(t.id('10.0.0.2'), b);                 // a string finds a text the table gave
  assert.is(t.id('fd00::1'), 2);
  assert.is(t.idOfNew('fd00::1', ips, 2), 2);     // and the table's text finds one given as a string
  const u = new Interned();
  const names = table(7, ['x', 'y']);
  u.idOfNew('x', names, 0);
  assert.is(u.idOfNew('x', table(8, ['x']), 0), 0);   // the table started over: its ids no longer say "not given yet"
  assert.is(u.idOfNew('y', names, 1), 1);
  assert.equal(u.list, ['x', 'y']);
  u.clear();
  assert.is(u.idOfNew('y', names, 1), 0);
  assert.is(u.idOfNew('x\u0000', table(9, ['x\u0000']), 0), 1);
  assert.ok(u.hasNul);
});

test('Interned ranks: the text order of its texts, from the table\'s order (read off it, or sorted by it) or by comparing them (random texts, the table growing between intervals)', () => {
  let x = 17;
  const rnd = (m: number): number => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x % m; };
  const tbl = table(3, []);
  for (let round = 0; round < 60; round++) {
    for (let k = rnd(40); k > 0; k--) tbl.texts.push(`${rnd(3) ? '10' : 'fd00:'}.${rnd(300)}.${tbl.texts.length}${rnd(2) ? '' : '.\u00e9'}`);
    const t = new Interned();
    // Odd rounds take many of the table's texts (their order read off the table's), even rounds a few (sorted).
    const many = round % 2 === 1 ? rnd(tbl.texts.length + 1) : rnd(Math.max(1, tbl.texts.length >> 4));
    const picked = [...new Set(Array.from({ length: many }, () => rnd(tbl.texts.length)))];
    for (const g of picked) t.idOfNew(tbl.texts[g]!, tbl, g);
    assert.equal([...t.ranks('ipRank').subarray(0, t.list.length)], textRanks(t.list), `round ${round}`);
    if (round % 3 === 0) { t.id('zz-given-as-a-string'); assert.equal([...t.ranks('ipRank').subarray(0, t.list.length)], textRanks(t.list)); }
  }
});

test('Interned: a table text given again (another interval took it in between) keeps its first id', () => {
  const ips = table(4, ['10.0.0.1', '10.0.0.2']);
  const t = new Interned();
  assert.equal([t.idOfNew('10.0.0.1', ips, 0), t.idOfNew('10.0.0.2', ips, 1), t.idOfNew('10.0.0.1', ips, 0)], [0, 1, 0]);
  assert.equal(t.list, ['10.0.0.1', '10.0.0.2']);
  t.clear();
  assert.equal([t.idOfNew('10.0.0.2', ips, 1), t.idOfNew('10.0.0.1', ips, 0), t.idOfNew('10.0.0.2', ips, 1)], [0, 1, 0]);
  t.clear();
  const big = table(5, Array.from({ length: 300 }, (_, i) => `10.0.${i >> 8}.${i & 255}`));
  assert.equal([t.idOfNew(big.texts[299]!, big, 299), t.idOfNew(big.texts[5]!, big, 5), t.idOfNew(big.texts[299]!, big, 299)], [0, 1, 0]);
});

test.run();
