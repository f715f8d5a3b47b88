import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { boxesOverlap, FORCE_GAP, groupBox, type Box, type ForceNode } from './force.ts';
import { prepareUnfold, roomFor, unfoldPositions } from './unfold-layout.ts';

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

test('roomFor: what the grown group covers moves out of it, what is clear stays, nothing ends up on anything', () => {
  const grown: Box = { x1: 0, y1: 0, x2: 400, y2: 300 };
  const others = [
    { id: 'inside', box: { x1: 150, y1: 100, x2: 250, y2: 150 } },
    { id: 'edge', box: { x1: 380, y1: 120, x2: 480, y2: 170 } },
    { id: 'beside-edge', box: { x1: 500, y1: 120, x2: 600, y2: 170 } },
    { id: 'far', box: { x1: 2000, y1: 2000, x2: 2100, y2: 2050 } },
  ];
  const d = roomFor(grown, others);
  assert.ok(d.has('inside') && d.has('edge'));
  assert.not.ok(d.has('far'));
  const after = others.map((o) => moved(o.box, d.get(o.id)));
  for (const b of after) assert.not.ok(boxesOverlap(grown, b, FORCE_GAP - 1), JSON.stringify(b));
  for (let i = 0; i < after.length; i++) for (let j = i + 1; j < after.length; j++) assert.not.ok(boxesOverlap(after[i], after[j], FORCE_GAP - 1), `${others[i].id}/${others[j].id}`);
});

test.run();
