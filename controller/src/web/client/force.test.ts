import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { boxesOverlap, FORCE_GAP, forceLayout, groupedLayout, type ForceNode } from './force.ts';

const box = (n: ForceNode, p: { x: number; y: number }) => ({ x1: p.x - n.w / 2, y1: p.y - n.h / 2, x2: p.x + n.w / 2, y2: p.y + n.h / 2 });
const overlapping = (nodes: ForceNode[], pos: Map<string, { x: number; y: number }>) => {
  const bad: string[] = [];
  for (let i = 0; i < nodes.length; i++) for (let j = i + 1; j < nodes.length; j++) {
    if (boxesOverlap(box(nodes[i], pos.get(nodes[i].id)!), box(nodes[j], pos.get(nodes[j].id)!), FORCE_GAP - 1)) bad.push(`${nodes[i].id}/${nodes[j].id}`);
  }
  return bad;
};
// A folded overview: 20 wide boxes, nearly every pair connected (the 1,000-workload benchmark's shape).
const groups: ForceNode[] = Array.from({ length: 20 }, (_, i) => ({ id: `g:ns-${i}`, w: 120 + (i % 3) * 10, h: 56 }));
const dense = groups.flatMap((a, i) => groups.filter((_, j) => j !== i && (i * 7 + j) % 5 !== 0).map((b) => ({ source: a.id, target: b.id })));

test('forceLayout: the same input gives the same picture, boxes apart, about as wide as tall', () => {
  const a = forceLayout(groups, dense), b = forceLayout([...groups].reverse(), [...dense].reverse());
  assert.equal([...a].sort(), [...b].sort(), 'input order does not matter');
  assert.equal(overlapping(groups, a), []);
  const xs = [...a.values()].map((p) => p.x), ys = [...a.values()].map((p) => p.y);
  const w = Math.max(...xs) - Math.min(...xs), h = Math.max(...ys) - Math.min(...ys);
  assert.ok(w / h > 0.5 && w / h < 2.5, `aspect ${w}x${h}`);
});

test('forceLayout: nodes without lines are packed in rows, connected ones end up near each other', () => {
  const lone: ForceNode[] = Array.from({ length: 6 }, (_, i) => ({ id: `i:${i}`, w: 80, h: 30 }));
  const p = forceLayout(lone, []);
  assert.equal(overlapping(lone, p), []);
  assert.ok(Math.max(...[...p.values()].map((q) => q.x)) < 3 * 104, 'three columns');
  const chain: ForceNode[] = Array.from({ length: 12 }, (_, i) => ({ id: `n${String(i).padStart(2, '0')}`, w: 60, h: 30 }));
  const q = forceLayout(chain, chain.slice(1).map((n, i) => ({ source: chain[i].id, target: n.id })));
  const d = (a: string, b: string) => Math.hypot(q.get(a)!.x - q.get(b)!.x, q.get(a)!.y - q.get(b)!.y);
  assert.ok(d('n00', 'n01') < d('n00', 'n11'), 'neighbours closer than the chain ends');
});

test('groupedLayout: members stay inside their group\'s box, groups do not overlap', () => {
  const nodes = ['a', 'b', 'c'].flatMap((g) => Array.from({ length: 5 }, (_, i) => ({ id: `w:${g}/${i}`, w: 70, h: 32, parent: `g:${g}` })));
  const edges = nodes.slice(1).map((n, i) => ({ source: nodes[i].id, target: n.id }));
  const pos = groupedLayout(nodes, edges);
  const bounds = (g: string) => {
    const ms = nodes.filter((n) => n.parent === g).map((n) => box(n, pos.get(n.id)!));
    return { x1: Math.min(...ms.map((b) => b.x1)), y1: Math.min(...ms.map((b) => b.y1)), x2: Math.max(...ms.map((b) => b.x2)), y2: Math.max(...ms.map((b) => b.y2)) };
  };
  for (const [g, h] of [['g:a', 'g:b'], ['g:a', 'g:c'], ['g:b', 'g:c']]) assert.not.ok(boxesOverlap(bounds(g), bounds(h), 0), `${g} ${h}`);
  assert.equal(groupedLayout(nodes, edges), pos, 'deterministic');
});

test.run();
