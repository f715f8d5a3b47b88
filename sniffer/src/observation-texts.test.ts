import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ByteTexts } from './observation-texts.ts';

const memory = Buffer.alloc(1 << 20);
const dv = new DataView(memory.buffer, memory.byteOffset, memory.byteLength);
let made = 0;
const latin1 = () => new ByteTexts((m, off, len) => { made++; return m.toString('latin1', off, off + len); });

/** Writes `text` at `off` and returns its id. */
const idOf = (t: ByteTexts, text: string, off: number): number => { memory.write(text, off, 'latin1'); return t.id(memory, dv, off, text.length); };

test('equal bytes anywhere in memory: one id and one text, made once; other bytes: other ids', () => {
  const t = latin1();
  made = 0;
  const words = ['', 'a', 'ab', 'abc', 'abcd', 'abcde', 'web.demo.svc.cluster.local', 'web.demo.svc.cluster.locam', 'Web.demo.svc.cluster.local', 'caf\u00e9\u0000x'];
  const ids = words.map((w, i) => idOf(t, w, 1000 + i * 300));
  assert.is(new Set(ids).size, words.length);
  for (let k = 0; k < 3; k++) words.forEach((w, i) => assert.is(idOf(t, w, 7 + k * 4001 + i * 257), ids[i]));
  assert.equal(ids.map((id) => t.texts[id]), words);
  assert.is(made, words.length);
});

test('past its first size and past MAX_TEXTS: every id still names its own text', () => {
  const t = latin1();
  const seen = new Map<string, number>();
  let repeats = 0;
  for (let i = 0; i < 120_000; i++) {
    // 20,000 texts three times over (the table grows under them), then 60,000 new ones (it starts over).
    const text = i < 60_000 ? `n${i % 20_000}.x` : `m${i}`;
    const id = idOf(t, text, (i * 13) % 5000);
    assert.is(t.texts[id], text);
    if (seen.has(text)) { assert.is(id, seen.get(text)); repeats++; }
    seen.set(text, id);
  }
  assert.is(repeats, 40_000);
  assert.ok(t.texts.length < 65_536 && t.texts.length > 0);
});

test('4-byte texts (addresses) take their own path: equal words one id, and no clash with longer or shorter texts', () => {
  const t = latin1();
  const ids = new Map<string, number>();
  for (let k = 0; k < 9000; k++) {
    const i = k % 3000;   // each text three times, at other offsets
    const text = i % 3 === 0 ? String.fromCharCode(10, 0, (i >> 8) & 255, i & 255) : i % 3 === 1 ? `${i}`.padStart(4, 'x') : `${i}`.padStart(5, 'y');
    const id = idOf(t, text, 64 + (k % 7) * 9);
    assert.is(t.texts[id], text);
    if (ids.has(text)) assert.is(id, ids.get(text)); else ids.set(text, id);
  }
  assert.is(new Set(ids.values()).size, 3000);
});

test.run();
