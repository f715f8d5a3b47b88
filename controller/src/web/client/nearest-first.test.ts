import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type cytoscape from 'cytoscape';
import { nearestFirst } from './nearest-first.ts';

const node = (id: string, x: number, y: number): cytoscape.ElementDefinition => ({ group: 'nodes', data: { id, parent: 'g:a', w: 20, h: 10 }, position: { x, y } });
const line = (id: string, source: string, target: string): cytoscape.ElementDefinition => ({ group: 'edges', data: { id, source, target } });

test('the first part holds the nodes nearest the centre, the box\'s edge nodes and the lines among them and to what is drawn', () => {
  // A 5×5 grid 100 apart; the centre at (200, 200): the middle node, then the four edge-most ones.
  const nodes = Array.from({ length: 25 }, (_, i) => node(`n${i}`, (i % 5) * 100, Math.floor(i / 5) * 100));
  const add = [...nodes, line('e1', 'n12', 'n0'), line('e2', 'n12', 'n13'), line('e3', 'n12', 'g:b'), line('e4', 'n0', 'n24')];
  const [now, rest] = nearestFirst(add, { x: 210, y: 200 }, 2);
  const ids = now.map((d) => d.data.id);
  // n12 (the middle) and n13 (nearest after it); the edge-most: n0 (left, top: first found), n4 (right), n20 (bottom).
  assert.equal(ids, ['n0', 'n4', 'n12', 'n13', 'n20', 'e1', 'e2', 'e3']);
  assert.equal(rest.map((d) => d.data.id), add.map((d) => d.data.id).filter((id) => !ids.includes(id)));
});

test('a group small enough goes in whole', () => {
  const add = [node('a', 0, 0), node('b', 10, 0), line('e', 'a', 'b')];
  assert.equal(nearestFirst(add, { x: 0, y: 0 }, 2), [add, []]);
});

test.run();
