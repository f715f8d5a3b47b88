// What a plain unfold (double-click, Expand, no search) draws in its first frame: the workloads nearest the middle of
// the view, the ones at the opened box's edges (so that the box is drawn at its full size from the first frame and
// does not grow under its lines chunk after chunk), and the lines among them and to what is drawn already. The rest
// follows a chunk a frame (chunked-add.ts), as a search's namespace does (map-view.ts focusFirst).

import type cytoscape from 'cytoscape';
import type { Pos } from './layout.ts';

/**
 * Splits `add` (new elements, nodes before lines) into what goes in now and the rest, each in `add`'s order: the
 * `count` placed nodes nearest `centre`, the placed nodes at the left, right, top and bottom edge of their group, and
 * every line whose ends are both among those or drawn already (not in `add`).
 */
export function nearestFirst(add: cytoscape.ElementDefinition[], centre: Pos, count: number): [cytoscape.ElementDefinition[], cytoscape.ElementDefinition[]] {
  const nodes = add.filter((d) => d.group === 'nodes' && d.position);
  if (nodes.length <= count) return [add, []];
  const dist = (d: cytoscape.ElementDefinition) => Math.hypot(d.position!.x - centre.x, d.position!.y - centre.y);
  const near = new Set(nodes.map((d) => [dist(d), d.data.id!] as const).sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1)).slice(0, count).map(([, id]) => id));
  const half = (d: cytoscape.ElementDefinition, k: 'w' | 'h') => ((d.data[k] as number | undefined) ?? 0) / 2;
  const edges: Array<(d: cytoscape.ElementDefinition) => number> = [(d) => d.position!.x - half(d, 'w'), (d) => -(d.position!.x + half(d, 'w')),
    (d) => d.position!.y - half(d, 'h'), (d) => -(d.position!.y + half(d, 'h'))];
  const byGroup = new Map<string, cytoscape.ElementDefinition[]>();
  for (const d of nodes) { const g = String(d.data.parent ?? ''); (byGroup.get(g) ?? byGroup.set(g, []).get(g)!).push(d); }
  for (const members of byGroup.values()) for (const key of edges) near.add(members.reduce((a, b) => (key(b) < key(a) ? b : a)).data.id!);
  const added = new Set(add.map((d) => d.data.id));
  const drawn = (id: unknown) => near.has(id as string) || !added.has(id as string);
  for (const d of add) if (d.group === 'edges' && drawn(d.data.source) && drawn(d.data.target)) near.add(d.data.id!);
  return [add.filter((d) => near.has(d.data.id!)), add.filter((d) => !near.has(d.data.id!))];
}
