import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isRfc3339, isRfc3339General } from './validate.ts';

test('the canonical-shape fast path answers as the general RFC 3339 check, on edges and on 200k random near-dates', () => {
  const edges = ['2024-02-29T00:00:00Z', '2023-02-29T00:00:00Z', '2024-02-31T00:00:00.000Z', '2026-13-01T00:00:00Z', '2026-00-01T00:00:00Z',
    '2026-01-00T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T23:60:00Z', '2026-01-01T23:59:60Z', '2026-01-01T23:59:59.999Z',
    '2026-01-01T23:59:59.99aZ', '2026-01-01t23:59:59Z', '2026-01-01T23:59:59z', '1900-02-29T00:00:00Z', '2000-02-29T00:00:00Z',
    '0000-01-01T00:00:00Z', '2026-1a-01T00:00:00Z', '2026-01-01T00:00:00+01:00', '2026-01-01T00:00:00.1Z', ' 026-01-01T00:00:00Z', '2026-04-31T00:00:00Z'];
  for (const s of edges) assert.is(isRfc3339(s), isRfc3339General(s), s);
  let seed = 7;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  const pad = (v: number, w: number) => String(v).padStart(w, '0');
  const chars = '0123456789-T:.Zx ';
  for (let i = 0; i < 200_000; i++) {
    let s = `${pad(rnd(3000), 4)}-${pad(rnd(14), 2)}-${pad(rnd(33), 2)}T${pad(rnd(26), 2)}:${pad(rnd(62), 2)}:${pad(rnd(62), 2)}${rnd(2) ? `.${pad(rnd(1000), 3)}` : ''}Z`;
    if (rnd(4) === 0) { const k = rnd(s.length); s = s.slice(0, k) + chars[rnd(chars.length)] + s.slice(k + 1); }
    if (isRfc3339(s) !== isRfc3339General(s)) assert.unreachable(`${s}: fast ${isRfc3339(s)}, general ${isRfc3339General(s)}`);
  }
});

test.run();
