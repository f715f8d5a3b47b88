// Where an unfolded namespace's workloads go, and what moves to make room for it, worked out on plain boxes before
// anything is added to Cytoscape: the workloads then go in with their positions in one add, and only the items that
// must move are moved. Laying them out inside Cytoscape (reading sizes, positions and compound bounds back from it)
// cost more than adding them (bench:web, CPU profiles).

import { boxesOverlap, FORCE_GAP, forceLayout, membersBox, separateBoxes, type Box, type ForceEdge, type ForceNode, type Pos } from './force.ts';

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
 * How far each of `others` (the other top-level items: folded namespaces, open ones, loose nodes) moves so that
 * none overlaps `grown` (a group that just grew, which stays put): whatever it overlaps is pushed straight away
 * from its centre until clear, then overlaps among the rest are removed (what was pushed may land on something).
 * Returns the moves that are not zero, by id.
 */
export function roomFor(grown: Box, others: ReadonlyArray<{ id: string; box: Box }>, gap = FORCE_GAP): Map<string, Pos> {
  const c = { x: (grown.x1 + grown.x2) / 2, y: (grown.y1 + grown.y2) / 2 };
  const boxes = others.map((o) => ({ ...o.box }));
  const push = boxes.map((b) => {
    if (!boxesOverlap(grown, b, gap)) return { x: 0, y: 0 };
    let dx = (b.x1 + b.x2) / 2 - c.x, dy = (b.y1 + b.y2) / 2 - c.y;
    const len = Math.hypot(dx, dy) || 1;
    dx /= len; dy /= len;
    // Distance along (dx, dy) after which the two boxes no longer overlap on one axis.
    const needX = dx === 0 ? Infinity : ((dx > 0 ? grown.x2 - b.x1 : b.x2 - grown.x1) + gap) / Math.abs(dx);
    const needY = dy === 0 ? Infinity : ((dy > 0 ? grown.y2 - b.y1 : b.y2 - grown.y1) + gap) / Math.abs(dy);
    const d = Math.min(needX, needY);
    b.x1 += dx * d; b.x2 += dx * d; b.y1 += dy * d; b.y2 += dy * d;
    return { x: dx * d, y: dy * d };
  });
  // The grown group is the last box, and fixed.
  const settle = separateBoxes([...boxes, { ...grown }], new Set([boxes.length]), 80, gap);
  const out = new Map<string, Pos>();
  others.forEach((o, i) => {
    const x = push[i].x + settle[i].x, y = push[i].y + settle[i].y;
    if (x || y) out.set(o.id, { x, y });
  });
  return out;
}
