import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TextOrder } from './aggregate-text-order.ts';

const sortedRanks = (texts: string[]): number[] => texts.map((t) => [...texts].sort().indexOf(t));

test('ranks follow text order as the list grows, and after it starts over', () => {
  const order = new TextOrder();
  const texts: string[] = [];
  let x = 9;
  const rnd = (m: number): number => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x % m; };
  for (let step = 0; step < 50; step++) {
    if (step === 25) { texts.length = 0; order.reset(); }
    for (let k = rnd(30); k > 0; k--) texts.push(`${rnd(2) ? 'a' : 'B'}${rnd(1000)}.${texts.length}`);
    assert.equal([...order.ranks(texts).subarray(0, texts.length)], sortedRanks(texts), `step ${step}`);
  }
  // UTF-16 code unit order, as `<` compares: '1' < '2', 'Z' < 'é'.
  assert.equal([...new TextOrder().ranks(['10.0.0.10', '10.0.0.2', '10.0.0.1', '\u00e9', 'Z']).subarray(0, 5)], [1, 2, 0, 4, 3]);
});

test.run();
