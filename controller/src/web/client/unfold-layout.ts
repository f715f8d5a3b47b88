// Where an unfolded namespace's workloads go, and where the namespace goes so that nothing else has to move, worked
// out on plain boxes before anything is added to Cytoscape: the workloads then go in with their positions in one add.
// Laying them out inside Cytoscape (reading sizes, positions and compound bounds back from it) cost more than adding
// them (bench:web, CPU profiles).

import { boxesOverlap, FORCE_GAP, forceLayout, membersBox, type Box, type ForceEdge, type ForceNode, type Pos } from './force.ts';

/** Groups' own layouts (before centring) worked out ahead (prepareUnfold), by what they are laid out from. */
const ahead = new Map<string, Map<string, Pos>>();
/** Past this many, the layouts worked out ahead are forgotten (the model changed since, most likely). */
const AHEAD_MAX = 64;

/** `members` and the lines among them, and what identifies that layout (forceLayout does not depend on their order). */
function ownLayoutInput(members: readonly ForceNode[], edges: readonly ForceEdge[]): { inner: ForceEdge[]; key: string } {
  const ids = new Set(members.map((m) => m.id));
  const inner = edges.filter((e) => ids.has(e.source) && ids.has(e.target));
  const key = `${members.map((m) => `${m.id} ${m.w} ${m.h}`).sort().join('\n')}\n#\n${inner.map((e) => `${e.source} ${e.target}`).sort().join('\n')}`;
  return { inner, key };
}

/**
 * Works out the layout of `members` (a folded group's workloads) among themselves now, for unfoldPositions to use
 * when the group is unfolded: run when the page is idle (map-view.ts), it takes the force layout out of an unfold or a
 * search (10-60 ms at 50 workloads).
 */
export function prepareUnfold(members: readonly ForceNode[], edges: readonly ForceEdge[]): void {
  const { inner, key } = ownLayoutInput(members, edges);
  if (ahead.has(key)) return;
  if (ahead.size >= AHEAD_MAX) ahead.clear();
  ahead.set(key, forceLayout(members, inner));
}

/** Positions for `members` (a group's workloads), laid out on their own and centred on `centre`. */
export function unfoldPositions(members: readonly ForceNode[], edges: readonly ForceEdge[], centre: Pos): Map<string, Pos> {
  const { inner, key } = ownLayoutInput(members, edges);
  const local = ahead.get(key) ?? forceLayout(members, inner);
  const b = membersBox(members, local);
  const dx = centre.x - (b.x1 + b.x2) / 2, dy = centre.y - (b.y1 + b.y2) / 2;
  const out = new Map<string, Pos>();
  for (const [id, p] of local) out.set(id, { x: Math.round(p.x + dx), y: Math.round(p.y + dy) });
  return out;
}

/**
 * Where `grown` (a group that just unfolded, still at its folded place) moves to so that it overlaps none of
 * `taken` (the other top-level items, which all stay put): the nearest such place, as a move. Nothing else moves, so
 * no line between other items changes and the rest of the map keeps its picture (every moved item cost Cytoscape a
 * geometry for each of its lines, in two frames, and its style and drawing: bench:web). The candidates are the moves
 * that set the box flush against an item's side (or in line with an item's edge) on each axis, the two axes
 * combined; the places beside the whole map are always free, so there is one.
 */
export function freeSpotFor(grown: Box, taken: readonly Box[], gap = FORCE_GAP): Pos {
  const free = (dx: number, dy: number) => {
    const b = { x1: grown.x1 + dx, y1: grown.y1 + dy, x2: grown.x2 + dx, y2: grown.y2 + dy };
    return !taken.some((t) => boxesOverlap(t, b, gap));
  };
  if (free(0, 0)) return { x: 0, y: 0 };
  const xs = new Set<number>([0]), ys = new Set<number>([0]);
  for (const t of taken) {
    for (const x of [t.x2 + gap - grown.x1, t.x1 - gap - grown.x2, t.x1 - grown.x1, t.x2 - grown.x2]) xs.add(x);
    for (const y of [t.y2 + gap - grown.y1, t.y1 - gap - grown.y2, t.y1 - grown.y1, t.y2 - grown.y2]) ys.add(y);
  }
  // The nearest of the places beside the whole map (always free) bounds the search.
  let best = { x: 0, y: 0 }, bestD = Infinity;
  const better = (x: number, y: number) => { const d = x * x + y * y; return d < bestD || (d === bestD && (x < best.x || (x === best.x && y < best.y))); };
  const all = taken.reduce((a, t) => ({ x1: Math.min(a.x1, t.x1), y1: Math.min(a.y1, t.y1), x2: Math.max(a.x2, t.x2), y2: Math.max(a.y2, t.y2) }), { ...grown });
  for (const m of [{ x: all.x2 + gap - grown.x1, y: 0 }, { x: all.x1 - gap - grown.x2, y: 0 }, { x: 0, y: all.y2 + gap - grown.y1 }, { x: 0, y: all.y1 - gap - grown.y2 }]) {
    if (better(m.x, m.y)) { best = m; bestD = m.x * m.x + m.y * m.y; }
  }
  // Both axes nearest first, each pair looked at only while it could beat the best so far; ties go to the least x,
  // then y, so the same map always unfolds the same way.
  const byReach = (a: number, b: number) => Math.abs(a) - Math.abs(b) || a - b;
  const sortedY = [...ys].sort(byReach);
  for (const x of [...xs].sort(byReach)) {
    if (x * x > bestD) break;
    for (const y of sortedY) {
      if (x * x + y * y > bestD) break;
      if (better(x, y) && free(x, y)) { best = { x, y }; bestD = x * x + y * y; break; }
    }
  }
  return best;
}
