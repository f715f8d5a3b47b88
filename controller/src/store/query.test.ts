import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Intent } from '../model.ts';
import { compareIntents, sortIntents } from './query.ts';

test('sortIntents orders exactly as sort(compareIntents), ties kept in insertion order', () => {
  let seed = 11;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  const words = ['a', 'B', 'b', 'é', 'e\u0301', 'z', 'Z', 'ä', '_x', '-y', '10', '9', 'api', 'Api', 'ns-1', 'ns-10', 'ns-2'];
  const w = () => words[rnd(words.length)]!;
  const T = '2026-11-21T10:00:00.000Z';
  const list: Intent[] = Array.from({ length: 3000 }, (_, k) => {
    const client = { name: w(), namespace: w(), kind: 'Deployment' };
    return rnd(4) === 0
      ? { client, type: 'internet', internet: { ...(rnd(2) ? { domain: w() } : {}), ips: [`198.51.100.${rnd(3)}`], ports: [] }, firstSeen: T, lastSeen: T, count: k, sources: ['dns'] }
      : { client, server: { name: w(), namespace: w(), kind: 'Deployment' }, type: (['plain', 'http', 'kafka'] as const)[rnd(3)]!, firstSeen: T, lastSeen: T, count: k, sources: ['tcp'] };
  });
  const expected = [...list].sort(compareIntents).map((i) => i.count);
  assert.equal(sortIntents([...list]).map((i) => i.count), expected);
  assert.equal(sortIntents(list.slice(0, 10)).map((i) => i.count), list.slice(0, 10).sort(compareIntents).map((i) => i.count));
});

test.run();
