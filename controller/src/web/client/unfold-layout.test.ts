import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { boxesOverlap, FORCE_GAP, groupBox, type Box, type ForceNode } from './force.ts';
import { freeSpotFor, prepareUnfold, unfoldPositions } from './unfold-layout.ts';

const members: ForceNode[] = Array.from({ length: 12 }, (_, i) => ({ id: `w:ns/app-${i}`, w: 90, h: 44 }));
const edges = members.slice(1).map((m, i) => ({ source: members[i].id, target: m.id }));
const moved = (b: Box, d = { x: 0, y: 0 }): Box => ({ x1: b.x1 + d.x, y1: b.y1 + d.y, x2: b.x2 + d.x, y2: b.y2 + d.y });

test('unfoldPositions: every member placed, centred on the group, none overlapping, the same each time', () => {
  const p = unfoldPositions(members, edges, { x: 500, y: -200 });
  assert.equal([...p.keys()].sort(), members.map((m) => m.id).sort());
  const b = groupBox(members, p);
  assert.ok(Math.abs((b.x1 + b.x2) / 2 - 500) <= 1, `centre x ${(b.x1 + b.x2) / 2}`);
  const box = (m: ForceNode) => { const q = p.get(m.id)!; return { x1: q.x - m.w / 2, y1: q.y - m.h / 2, x2: q.x + m.w / 2, y2: q.y + m.h / 2 }; };
  for (let i = 0; i < members.length; i++) for (let j = i + 1; j < members.length; j++) assert.not.ok(boxesOverlap(box(members[i]), box(members[j]), FORCE_GAP - 1), `${i}/${j}`);
  assert.equal([...unfoldPositions([...members].reverse(), edges, { x: 500, y: -200 })].sort(), [...p].sort());
});

test('prepareUnfold: unfoldPositions then gives what it gives without, whatever the order of members and lines', () => {
  const fresh = unfoldPositions(members, edges, { x: 10, y: 20 });
  prepareUnfold([...members].reverse(), [...edges].reverse());
  assert.equal([...unfoldPositions(members, edges, { x: 10, y: 20 })].sort(), [...fresh].sort());
  // A different group (one member wider) is not taken for it.
  const wider = members.map((m, i) => (i === 0 ? { ...m, w: 300 } : m));
  assert.not.equal([...unfoldPositions(wider, edges, { x: 10, y: 20 })].sort(), [...fresh].sort());
});

test('freeSpotFor: where the box fits, it stays; else it goes to the nearest place where it overlaps nothing', () => {
  const taken: Box[] = [
    { x1: 0, y1: 0, x2: 100, y2: 50 },
    { x1: 200, y1: 0, x2: 300, y2: 50 },
    { x1: 0, y1: 200, x2: 100, y2: 250 },
    { x1: 200, y1: 200, x2: 300, y2: 250 },
  ];
  // A small box in the middle fits where it is.
  assert.equal(freeSpotFor({ x1: 130, y1: 100, x2: 170, y2: 150 }, taken), { x: 0, y: 0 });
  // A box as big as the whole picture, where the picture is: moved beside it, the shortest way, clear of all.
  const big: Box = { x1: -50, y1: -60, x2: 350, y2: 310 };
  const d = freeSpotFor(big, taken);
  const after = moved(big, d);
  for (const t of taken) assert.not.ok(boxesOverlap(after, t, FORCE_GAP - 1), JSON.stringify({ d, t }));
  // Above the top edge (y1 = 0): 310 + 24 up is the least move of the four sides (left would be 350 + 24).
  assert.equal(d, { x: 0, y: -(310 + FORCE_GAP) });
  // Nothing taken: it stays; the same input, the same answer.
  assert.equal(freeSpotFor(big, []), { x: 0, y: 0 });
  assert.equal(freeSpotFor(big, [...taken].reverse()), d);
});

test('freeSpotFor: a gap between items that is big enough is used before the outside', () => {
  // A row of items with a hole in the middle, and the box just over the hole but not in it.
  const taken: Box[] = [{ x1: 0, y1: 0, x2: 100, y2: 100 }, { x1: 300, y1: 0, x2: 400, y2: 100 }, { x1: 600, y1: 0, x2: 700, y2: 100 }];
  const box: Box = { x1: 140, y1: 60, x2: 260, y2: 160 };
  const d = freeSpotFor(box, taken);
  const after = moved(box, d);
  for (const t of taken) assert.not.ok(boxesOverlap(after, t, FORCE_GAP - 1), JSON.stringify({ d, t }));
  assert.ok(Math.hypot(d.x, d.y) < 120, `a short move: ${JSON.stringify(d)}`);
});

test.run();
