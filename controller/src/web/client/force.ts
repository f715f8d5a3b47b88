// A small deterministic force-directed layout for flat graphs of boxes: the folded overview (one box per
// namespace, a few hundred lines at most) and the workloads of one unfolded namespace. It needs no Cytoscape style
// (sizes come from the elements' data), no random numbers and no layout extension, so the first picture of a big
// map costs milliseconds; fCoSE (lazy, layout.ts) stays for maps drawn with their namespaces open.

export type Pos = { x: number; y: number };
export interface ForceNode { id: string; w: number; h: number }
export interface ForceEdge { source: string; target: string }

/** Free space kept between boxes (model units). */
export const FORCE_GAP = 24;
/** A namespace box's frame around its workloads (cy-style.ts: padding 14px) and its title above them. */
export const GROUP_PAD = 14;
export const GROUP_LABEL = 22;
/** The pairwise work budget: iterations shrink as nodes² grows, so a 300-node namespace still takes a few ms. */
const PAIR_BUDGET = 4e6;

/**
 * Positions for `nodes` (centres), the same for the same input: Fruchterman–Reingold from a golden-angle spiral in
 * id order, springs along `edges` (parallel lines pull harder), a weak pull to the centre so that separate parts stay
 * near, then overlapping boxes pushed apart. Edges to unknown ids are ignored.
 */
export function forceLayout(input: readonly ForceNode[], edges: readonly ForceEdge[], o: { iterations?: number } = {}): Map<string, Pos> {
  // Everything below runs in id order, so that the order of the input never changes the picture.
  const nodes = [...input].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const n = nodes.length;
  const out = new Map<string, Pos>();
  if (n === 0) return out;
  const order = nodes.map((_, i) => i);
  const size = nodes.map((m) => Math.max(m.w, m.h));
  const mean = size.reduce((a, b) => a + b, 0) / n;
  // The ideal distance between connected centres: about a box and a gap.
  const k = mean + 2 * FORCE_GAP;
  const x = new Float64Array(n), y = new Float64Array(n);
  order.forEach((i, r) => {
    const radius = k * 0.6 * Math.sqrt(r + 0.5);
    x[i] = radius * Math.cos(r * 2.399963);
    y[i] = radius * Math.sin(r * 2.399963);
  });
  const index = new Map(nodes.map((m, i) => [m.id, i]));
  if (!edges.some((e) => e.source !== e.target && index.has(e.source) && index.has(e.target))) return gridLayout(nodes, order);
  const weight = new Map<number, number>();
  for (const e of edges) {
    const a = index.get(e.source), b = index.get(e.target);
    if (a === undefined || b === undefined || a === b) continue;
    const key = a < b ? a * n + b : b * n + a;
    weight.set(key, (weight.get(key) ?? 0) + 1);
  }
  const springs = [...weight].sort(([a], [b]) => a - b).map(([key, w]) => [Math.floor(key / n), key % n, Math.min(3, 1 + Math.log2(w))] as const);
  // Gravity: separate parts stay near. A node with no line at all would float far off on repulsion alone (the
  // balance of k²/d and g·d is at d = k/√g): pull it harder.
  const degree = new Uint32Array(n);
  for (const [a, b] of springs) { degree[a]++; degree[b]++; }
  const gravity = Float64Array.from(degree, (d) => (d === 0 ? 0.5 : 0.1));
  const iterations = o.iterations ?? Math.max(40, Math.min(200, Math.floor(PAIR_BUDGET / (n * n))));
  const dx = new Float64Array(n), dy = new Float64Array(n);
  let temp = k * Math.sqrt(n) * 0.5;
  const cool = Math.pow(0.02, 1 / iterations);
  for (let it = 0; it < iterations; it++) {
    dx.fill(0); dy.fill(0);
    for (let i = 0; i < n; i++) repel(i, x, y, size, dx, dy);
    for (const [a, b, w] of springs) {
      const ux = x[a] - x[b], uy = y[a] - y[b];
      const d = Math.sqrt(ux * ux + uy * uy) || 0.01;
      const f = (d * w) / k;
      dx[a] -= ux * f; dy[a] -= uy * f;
      dx[b] += ux * f; dy[b] += uy * f;
    }
    for (let i = 0; i < n; i++) {
      dx[i] -= x[i] * gravity[i]; dy[i] -= y[i] * gravity[i];
      const len = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]);
      if (len > 0) { const step = Math.min(len, temp) / len; x[i] += dx[i] * step; y[i] += dy[i] * step; }
    }
    temp *= cool;
  }
  // Dense maps pull into a tight ball: when most boxes overlap their nearest neighbour, spread the picture evenly
  // (up to 1.5x, by the median need) so that the overlap removal below only nudges instead of stacking the boxes
  // into a column. A sparse picture is left as it is.
  const need: number[] = [];
  for (let i = 0; i < n; i++) {
    let best = Infinity, scale = 1;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const d = Math.hypot(x[i] - x[j], y[i] - y[j]);
      if (d >= best) continue;
      best = d;
      const sx = ((nodes[i].w + nodes[j].w) / 2 + FORCE_GAP) / Math.max(1e-6, Math.abs(x[i] - x[j]));
      const sy = ((nodes[i].h + nodes[j].h) / 2 + FORCE_GAP) / Math.max(1e-6, Math.abs(y[i] - y[j]));
      scale = Math.max(1, Math.min(1.5, sx, sy));
    }
    need.push(scale);
  }
  need.sort((a, b) => a - b);
  const spread = n > 1 ? need[n >> 1] : 1;
  for (let i = 0; i < n; i++) { x[i] *= spread; y[i] *= spread; }
  const boxes = nodes.map((m, i) => ({ x1: x[i] - m.w / 2, y1: y[i] - m.h / 2, x2: x[i] + m.w / 2, y2: y[i] + m.h / 2 }));
  separateBoxes(boxes);
  nodes.forEach((m, i) => out.set(m.id, { x: Math.round((boxes[i].x1 + boxes[i].x2) / 2), y: Math.round((boxes[i].y1 + boxes[i].y2) / 2) }));
  return out;
}

/**
 * The repulsion between node `i` and every later node, added to both (forceLayout). A function of its own, as is
 * separateBoxes' pass per box: V8 then optimises it whole, where the inner loop of a nested pair had been compiled on
 * the stack (OSR) and thrown away at every exit, 164 deoptimisations in one search (Chromium --trace-deopt).
 */
function repel(i: number, x: Float64Array, y: Float64Array, size: ArrayLike<number>, dx: Float64Array, dy: Float64Array): void {
  for (let j = i + 1; j < x.length; j++) {
    let ux = x[i] - x[j], uy = y[i] - y[j];
    let d2 = ux * ux + uy * uy;
    if (d2 < 1e-6) { ux = (i - j) * 0.01; uy = 0.01; d2 = ux * ux + uy * uy; }
    // Bigger boxes push harder: the ideal distance grows with the pair's size.
    const kk = (size[i] + size[j]) / 2 + FORCE_GAP;
    const f = (kk * kk) / d2;
    dx[i] += ux * f; dy[i] += uy * f;
    dx[j] -= ux * f; dy[j] -= uy * f;
  }
}

/** No lines at all (Internet destinations, say): rows in id order, about as wide as tall. */
function gridLayout(nodes: readonly ForceNode[], order: number[]): Map<string, Pos> {
  const cols = Math.ceil(Math.sqrt(nodes.length));
  const cw = Math.max(...nodes.map((m) => m.w)) + FORCE_GAP, ch = Math.max(...nodes.map((m) => m.h)) + FORCE_GAP;
  const out = new Map<string, Pos>();
  order.forEach((i, r) => out.set(nodes[i].id, { x: (r % cols) * cw, y: Math.floor(r / cols) * ch }));
  return out;
}

export type Box = { x1: number; y1: number; x2: number; y2: number };
export const boxesOverlap = (a: Box, b: Box, gap = FORCE_GAP) => a.x1 < b.x2 + gap && b.x1 < a.x2 + gap && a.y1 < b.y2 + gap && b.y1 < a.y2 + gap;

/**
 * Moves `boxes` (in place) until no two overlap (with `gap` between them): each overlapping pair moves apart along
 * the axis where they overlap least, half each; a box in `fixed` does not move and the other goes the whole way.
 * Returns each box's total move.
 */
export function separateBoxes(boxes: Box[], fixed: ReadonlySet<number> = new Set(), maxRounds = 80, gap = FORCE_GAP): Pos[] {
  const d = boxes.map(() => ({ x: 0, y: 0 }));
  for (let round = 0; round < maxRounds; round++) {
    let moved = false;
    for (let i = 0; i < boxes.length; i++) if (separateFrom(i, boxes, d, fixed, gap)) moved = true;
    if (!moved) break;
  }
  return d;
}

/** One pass of separateBoxes for box `i` against every later box (a function of its own: see repel); whether any
 *  box moved. */
function separateFrom(i: number, boxes: Box[], d: Pos[], fixed: ReadonlySet<number>, gap: number): boolean {
  let moved = false;
  for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (!boxesOverlap(a, b, gap)) continue;
    const fi = fixed.has(i), fj = fixed.has(j);
    if (fi && fj) continue;
    const ox = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) + gap;
    const oy = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) + gap;
    const share = fi || fj ? 1 : 0.5;
    let mx = 0, my = 0;
    if (ox < oy) mx = (a.x1 + a.x2 <= b.x1 + b.x2 ? -1 : 1) * ox * share;
    else my = (a.y1 + a.y2 <= b.y1 + b.y2 ? -1 : 1) * oy * share;
    if (!fi) shiftBox(a, d[i], mx, my);
    if (!fj) shiftBox(b, d[j], -mx, -my);
    moved = true;
  }
  return moved;
}

const shiftBox = (b: Box, total: Pos, mx: number, my: number): void => {
  b.x1 += mx; b.x2 += mx; b.y1 += my; b.y2 += my;
  total.x += mx; total.y += my;
};

/** The box a group draws around `members` at `pos`: their boxes, its frame, and its title above. */
export function groupBox(members: readonly ForceNode[], pos: ReadonlyMap<string, Pos>): Box {
  const b = membersBox(members, pos);
  return { x1: b.x1 - GROUP_PAD, y1: b.y1 - GROUP_PAD - GROUP_LABEL, x2: b.x2 + GROUP_PAD, y2: b.y2 + GROUP_PAD };
}

/** The box around `members` at `pos` (those without a position are left out). */
export function membersBox(members: readonly ForceNode[], pos: ReadonlyMap<string, Pos>): Box {
  let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
  for (const m of members) {
    const p = pos.get(m.id);
    if (!p) continue;
    x1 = Math.min(x1, p.x - m.w / 2); x2 = Math.max(x2, p.x + m.w / 2);
    y1 = Math.min(y1, p.y - m.h / 2); y2 = Math.max(y2, p.y + m.h / 2);
  }
  return { x1, y1, x2, y2 };
}

export interface GroupedNode extends ForceNode { parent?: string }

/**
 * Positions for a map drawn with namespaces open, the same for the same input: each group's members are laid out on
 * their own (forceLayout), each group becomes one box the size of its members plus `pad` around and `label` above,
 * and the boxes and the loose nodes are laid out together, pulled by the lines between them. Returns member and
 * loose node centres. Nodes whose `parent` is not in `nodes`' parents are loose.
 */
export function groupedLayout(nodes: readonly GroupedNode[], edges: readonly ForceEdge[], o: { pad?: number; label?: number } = {}): Map<string, Pos> {
  const pad = o.pad ?? GROUP_PAD, label = o.label ?? GROUP_LABEL;
  const members = new Map<string, GroupedNode[]>();
  for (const n of nodes) if (n.parent !== undefined) (members.get(n.parent) ?? members.set(n.parent, []).get(n.parent)!).push(n);
  const topOf = new Map<string, string>();
  for (const n of nodes) topOf.set(n.id, n.parent ?? n.id);
  const rel = new Map<string, Pos>();
  const top: ForceNode[] = [];
  for (const [g, ms] of [...members].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const inner = new Set(ms.map((m) => m.id));
    const local = forceLayout(ms, edges.filter((e) => inner.has(e.source) && inner.has(e.target)));
    const { x1, y1, x2, y2 } = membersBox(ms, local);
    const cx = (x1 + x2) / 2, cy = (y1 + y2) / 2;
    // The group's label sits above its members: the box's centre is half a label above theirs.
    for (const m of ms) { const p = local.get(m.id)!; rel.set(m.id, { x: p.x - cx, y: p.y - cy + label / 2 }); }
    top.push({ id: g, w: x2 - x1 + 2 * pad, h: y2 - y1 + 2 * pad + label });
  }
  for (const n of nodes) if (n.parent === undefined) top.push(n);
  const topEdges = edges.map((e) => ({ source: topOf.get(e.source) ?? e.source, target: topOf.get(e.target) ?? e.target })).filter((e) => e.source !== e.target);
  const centres = forceLayout(top, topEdges);
  const out = new Map<string, Pos>();
  for (const n of nodes) {
    const c = centres.get(n.parent ?? n.id)!;
    const r = n.parent === undefined ? { x: 0, y: 0 } : rel.get(n.id)!;
    out.set(n.id, { x: Math.round(c.x + r.x), y: Math.round(c.y + r.y) });
  }
  return out;
}
