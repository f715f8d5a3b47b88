// Where things go. Every automatic layout is force.ts's: deterministic (one map always lays out the same way, so a
// shared URL's viewport lands on the same picture), fast, and needing no styles — the folded overview, the workloads
// of a namespace being unfolded, and a map drawn with namespaces open (each namespace on its own, then the
// namespaces as boxes). Re-layout on demand runs fCoSE (compound-aware force-directed, loaded when first needed:
// fcose-loader.ts), made deterministic by seeding its random numbers.
// After that, the layout stays put: new nodes are placed beside a neighbour (or in their group, or past the map's
// edge) on a free spot, and an unfolded group goes to the nearest place where it overlaps nothing (unfold-layout.ts).

import type cytoscape from 'cytoscape';
import { fcoseLoaded } from './fcose-loader.ts';
import { boxesOverlap, FORCE_GAP, forceLayout, groupBox, groupedLayout, separateBoxes, type Box, type ForceNode, type Pos } from './force.ts';
import { freeSpotFor, unfoldPositions } from './unfold-layout.ts';

export type { Pos };
/** What placeUnfolded reads of an element definition (elements.ts). */
type UnfoldElement = { group: string; data: Record<string, unknown> & { id: string }; classes?: string };

/** Past this many nodes the layout uses fCoSE's draft quality (the spectral pass alone) to stay within budget. */
export const DRAFT_OVER = 600;
const GAP = FORCE_GAP;

/** mulberry32: a small seeded PRNG standing in for Math.random while a layout runs. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Places `eles` with force.ts (groupedLayout when namespaces are open); sizes from the elements' data (w, h), else
 *  their style. */
function quickLayout(cy: cytoscape.Core, eles: cytoscape.Collection): void {
  const leaves = eles.nodes().filter((n) => (n as cytoscape.NodeSingular).isChildless());
  const ids = new Set(eles.nodes().map((n) => n.id()));
  const spec = leaves.map((n) => {
    const p = n.data('parent') as string | undefined;
    return { id: n.id(), w: Number(n.data('w')) || (n as cytoscape.NodeSingular).outerWidth(), h: Number(n.data('h')) || (n as cytoscape.NodeSingular).outerHeight(), ...(p && ids.has(p) ? { parent: p } : {}) };
  });
  const edges = eles.edges().map((e) => ({ source: e.data('source') as string, target: e.data('target') as string }));
  const pos = spec.some((s) => s.parent !== undefined) ? groupedLayout(spec, edges) : forceLayout(spec, edges);
  cy.batch(() => { leaves.positions((n) => pos.get((n as cytoscape.NodeSingular).id())!); });
}

/** The quick layout of elements not drawn yet, from their definitions: the first picture's positions go in with the
 *  elements (one pass of Cytoscape's bookkeeping instead of two). The same positions quickLayout gives once drawn. */
export function quickPositions(els: ReadonlyArray<{ group: string; data: Record<string, unknown> & { id: string } }>): Map<string, Pos> {
  const parents = new Set(els.map((e) => e.data.parent as string | undefined).filter(Boolean));
  const spec = els.filter((e) => e.group === 'nodes' && !parents.has(e.data.id)).map((e) => {
    const p = e.data.parent as string | undefined;
    return { id: e.data.id, w: Number(e.data.w) || 60, h: Number(e.data.h) || 30, ...(p && parents.has(p) ? { parent: p } : {}) };
  });
  const edges = els.filter((e) => e.group === 'edges').map((e) => ({ source: e.data.source as string, target: e.data.target as string }));
  return spec.some((x) => x.parent !== undefined) ? groupedLayout(spec, edges) : forceLayout(spec, edges);
}

/**
 * Lays `eles` (default: everything) out, synchronously: with force.ts, or with fCoSE (`engine: 'fcose'`, Math.random
 * seeded), which must have been loaded (`await loadFcose()`).
 */
export function runLayout(cy: cytoscape.Core, eles: cytoscape.Collection = cy.elements(), o: { seed?: number; numIter?: number; draft?: boolean; engine?: 'quick' | 'fcose' } = {}): void {
  const seed = o.seed ?? 1;
  const n = eles.nodes().length;
  if (n === 0) return;
  if (o.engine !== 'fcose') { quickLayout(cy, eles); return; }
  if (!fcoseLoaded()) throw new Error('fCoSE is not loaded: await loadFcose() first');
  const random = Math.random;
  Math.random = seeded(seed);
  try {
    eles.layout({
      name: 'fcose', quality: o.draft || n > DRAFT_OVER ? 'draft' : 'default', randomize: true, animate: false, fit: false,
      // Measured on synthetic maps (bench): a high nesting factor and compound gravity keep namespaces from overlapping.
      nodeDimensionsIncludeLabels: true, packComponents: false, nodeRepulsion: () => 8000,
      // Folded namespaces are big boxes: their lines need room for the boxes themselves.
      idealEdgeLength: (e: cytoscape.EdgeSingular) => 60 + (Math.max(e.source().outerWidth(), e.target().outerWidth())) / 2,
      nestingFactor: 1.5, gravity: 0.25, gravityCompound: 3, gravityRangeCompound: 0.8,
      numIter: o.numIter ?? 2500, tile: true, tilingPaddingVertical: 20, tilingPaddingHorizontal: 20,
    } as cytoscape.LayoutOptions).run();
  } finally {
    Math.random = random;
  }
  // Inside each group, then between the top-level items (items whose parent was not laid out).
  eles.nodes().filter((n) => n.isParent()).forEach((g) => removeOverlaps((g as cytoscape.NodeSingular).children()));
  const ids = new Set(eles.nodes().map((n) => n.id()));
  removeOverlaps(eles.nodes().filter((n) => { const p = n.parent(); return p.empty() || !ids.has(p.first().id()); }));
}

const overlaps = (a: Box, b: Box) => boxesOverlap(a, b, GAP);
const boxAt = (n: cytoscape.NodeSingular, p: Pos): Box => {
  const w = n.outerWidth() / 2, h = n.outerHeight() / 2;
  return { x1: p.x - w, y1: p.y - h, x2: p.x + w, y2: p.y + h };
};

/** The first free spot on a spiral around `near` for node `n`, avoiding `taken` boxes (and where `fits` says no). */
function freeSpot(n: cytoscape.NodeSingular, near: Pos, taken: Box[], fits: (b: Box) => boolean = () => true): Pos {
  const step = Math.max(n.outerWidth(), n.outerHeight()) * 0.6 + GAP;
  for (let i = 0; i < 400; i++) {
    const angle = i * 2.39996;                  // golden angle: the spiral never retraces itself
    const r = i === 0 ? 0 : step * Math.sqrt(i) * 1.4;
    const p = { x: near.x + r * Math.cos(angle), y: near.y + r * Math.sin(angle) };
    const b = boxAt(n, p);
    if (!taken.some((t) => overlaps(t, b)) && fits(b)) return p;
  }
  return near;
}

/**
 * Places `added` nodes (leaf nodes without a position yet) without moving anything else: beside a placed sibling in
 * their group, else beside a placed neighbour, else to the right of the map — never inside another group.
 */
export function placeNew(cy: cytoscape.Core, added: cytoscape.NodeCollection): void {
  const placing = new Set(added.map((n) => n.id()));
  const taken: Box[] = cy.nodes().filter((n) => !placing.has(n.id()) && n.isChildless()).map((n) => boxAt(n as cytoscape.NodeSingular, (n as cytoscape.NodeSingular).position()));
  const bb = cy.nodes().filter((n) => !placing.has(n.id())).boundingBox({});
  let outside = { x: (Number.isFinite(bb.x2) ? bb.x2 : 0) + 120, y: Number.isFinite(bb.y1) ? bb.y1 : 0 };
  /** Boxes of the groups other than `own` that already hold a placed node, grown by a group's frame and label
   *  (a new node's own group draws its frame around it). */
  const FRAME = 40;
  const otherGroups = (own: string): Box[] => cy.nodes().filter((g) => g.isParent() && g.id() !== own
    && (g as cytoscape.NodeSingular).children().some((k) => !placing.has((k as cytoscape.NodeSingular).id()))).map((g) => {
    const b = (g as cytoscape.NodeSingular).children().filter((k) => !placing.has(k.id())).boundingBox({});
    return { x1: b.x1 - 2 * FRAME, y1: b.y1 - 2 * FRAME, x2: b.x2 + 2 * FRAME, y2: b.y2 + 2 * FRAME };
  });
  for (const n of added.toArray() as cytoscape.NodeSingular[]) {
    const own = n.parent().nonempty() ? (n.parent().first() as cytoscape.NodeSingular).id() : '';
    const anchor = (n.siblings().filter((m) => !placing.has(m.id()))[0]
      ?? n.neighborhood('node').filter((m) => !placing.has(m.id()) && (m as cytoscape.NodeSingular).isChildless())[0]) as cytoscape.NodeSingular | undefined;
    const others = otherGroups(own);
    // The node's own group grows to hold it: the grown box (its placed members' box and the node's) must stay clear of
    // the other groups too, not only the node (an L of members has a corner the node alone does not).
    const members = own ? cy.getElementById(own).children().filter((k) => !placing.has(k.id())) : cy.collection();
    const ownBox = members.nonempty() ? members.boundingBox({}) : undefined;
    const fits = (b: Box) => !ownBox || !others.some((o) => overlaps(o, { x1: Math.min(ownBox.x1, b.x1), y1: Math.min(ownBox.y1, b.y1), x2: Math.max(ownBox.x2, b.x2), y2: Math.max(ownBox.y2, b.y2) }));
    const p = freeSpot(n, anchor ? anchor.position() : outside, [...taken, ...others], fits);
    n.position(p);
    taken.push(boxAt(n, p));
    placing.delete(n.id());
    if (!anchor) outside = { x: outside.x, y: outside.y + n.outerHeight() + GAP };
  }
}

/** The top-level items' boxes as drawn (labels included), but for those in `skip`. */
const topBoxes = (cy: cytoscape.Core, skip: (id: string) => boolean): Box[] => cy.nodes().orphans().filter((n) => !skip(n.id())).map((n) => {
  const b = n.boundingBox({ includeLabels: true });
  return { x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 };
});
const boxOf = (p: Pos, size: { w: number; h: number }): Box => ({ x1: p.x - size.w / 2, y1: p.y - size.h / 2, x2: p.x + size.w / 2, y2: p.y + size.h / 2 });
/** The folded size (elements.ts: its label's box) of each group in `ids`, from `els`. */
const foldedSizes = (els: ReadonlyArray<UnfoldElement>, ids: ReadonlyMap<string, unknown>): Map<string, { w: number; h: number }> =>
  new Map(els.filter((e) => e.group === 'nodes' && ids.has(e.data.id)).map((e) => [e.data.id, { w: e.data.w as number, h: e.data.h as number }]));

/**
 * For each group drawn folded (`drawnFolded`) that `els` unfolds: its workloads' positions (into `known`), laid out
 * on their own around the group's centre unless they have their places from before it was folded, then moved with
 * the group to the nearest place where it overlaps nothing (unfold-layout.ts freeSpotFor): nothing else moves. All
 * on plain data read before anything changes. `foldedAt`: groups being folded now, at the place they go to. A group
 * that moves leaves its folded place in `homes` (foldHome). Returns the opened groups' boxes, by id. A group whose
 * workloads are only partly placed is left to placeNew.
 */
export function placeUnfolded(cy: cytoscape.Core, els: ReadonlyArray<UnfoldElement>, drawnFolded: (id: string) => boolean, known: Map<string, Pos>, foldedAt: ReadonlyMap<string, Pos>, homes: Map<string, Pos>): Map<string, Box> {
  const opened = new Map<string, Box>();
  const opening = new Set(els.filter((e) => e.group === 'nodes' && e.data.kind === 'group' && !/\bcollapsed\b/.test(e.classes ?? '')
    && drawnFolded(e.data.id)).map((e) => e.data.id));
  if (opening.size === 0) return opened;
  const members = new Map<string, ForceNode[]>();
  for (const e of els) {
    const g = e.data.parent as string | undefined;
    if (e.group === 'nodes' && g && opening.has(g)) (members.get(g) ?? members.set(g, []).get(g)!).push({ id: e.data.id, w: e.data.w as number, h: e.data.h as number });
  }
  const edges = els.filter((e) => e.group === 'edges').map((e) => ({ source: e.data.source as string, target: e.data.target as string }));
  // What stays: every other top-level item as drawn, a group being folded now as it will be drawn (its folded box
  // where it goes).
  const sizes = foldedSizes(els, foldedAt);
  const taken = [...topBoxes(cy, (id) => opening.has(id) || foldedAt.has(id)), ...[...foldedAt].map(([id, p]) => boxOf(p, sizes.get(id)!))];
  for (const gid of [...opening].sort()) {
    const ms = members.get(gid) ?? [];
    const placed = ms.filter((m) => known.has(m.id)).length;
    if (ms.length === 0 || (placed > 0 && placed < ms.length)) continue;
    const at = cy.getElementById(gid).position();
    if (placed === 0) for (const [id, p] of unfoldPositions(ms, edges, at)) known.set(id, p);
    const grown = groupBox(ms, known);
    const free = freeSpotFor(grown, taken), d = { x: Math.round(free.x), y: Math.round(free.y) };
    if (d.x || d.y) {
      for (const m of ms) { const p = known.get(m.id)!; known.set(m.id, { x: Math.round(p.x + d.x), y: Math.round(p.y + d.y) }); }
      homes.set(gid, { ...at });
    }
    const box = { x1: grown.x1 + d.x, y1: grown.y1 + d.y, x2: grown.x2 + d.x, y2: grown.y2 + d.y };
    taken.push(box);
    opened.set(gid, box);
  }
  return opened;
}

/**
 * Groups being folded now (`foldedAt`: where their workloads' centre is) go back to where they were unfolded from
 * (`homes`, placeUnfolded) when nothing has taken that place since: folding what was unfolded gives back the picture
 * from before. `foldedAt` is updated in place; the homes used are forgotten.
 */
export function foldHome(cy: cytoscape.Core, els: ReadonlyArray<UnfoldElement>, foldedAt: Map<string, Pos>, homes: Map<string, Pos>): void {
  const back = [...foldedAt.keys()].filter((id) => homes.has(id)).sort();
  if (back.length === 0) return;
  const sizes = foldedSizes(els, foldedAt);
  const taken = [...topBoxes(cy, (id) => foldedAt.has(id)), ...[...foldedAt].filter(([id]) => !homes.has(id)).map(([id, p]) => boxOf(p, sizes.get(id)!))];
  for (const id of back) {
    const home = homes.get(id)!;
    homes.delete(id);
    // Overlap proper, not the gap: the drawn boxes (border included) of neighbours it sat beside were a little closer.
    if (!taken.some((t) => boxesOverlap(t, boxOf(home, sizes.get(id)!), 0))) foldedAt.set(id, home);
    taken.push(boxOf(foldedAt.get(id)!, sizes.get(id)!));
  }
}

function shift(n: cytoscape.NodeSingular, dx: number, dy: number): void {
  const move = n.isParent() ? n.descendants().filter((d) => d.isChildless()) : n;
  move.forEach((m) => { const p = (m as cytoscape.NodeSingular).position(); (m as cytoscape.NodeSingular).position({ x: p.x + dx, y: p.y + dy }); });
}

/**
 * Pushes overlapping `items` apart (a group moves with its workloads), each pair along the axis where they overlap
 * least, until none overlap. Force-directed layouts place big boxes — folded namespaces — on top of each other.
 */
export function removeOverlaps(items: cytoscape.NodeCollection, fixed: ReadonlySet<string> = new Set(), maxRounds = 80): void {
  const arr = items.toArray() as cytoscape.NodeSingular[];
  if (arr.length < 2 || arr.length > 400) return;
  const boxes = arr.map((n) => { const b = n.boundingBox({ includeLabels: true }); return { x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 }; });
  const fixedAt = new Set(arr.flatMap((n, i) => (fixed.has(n.id()) ? [i] : [])));
  const d = separateBoxes(boxes, fixedAt, maxRounds, GAP);
  arr.forEach((n, k) => { if (d[k].x || d[k].y) shift(n, d[k].x, d[k].y); });
}
