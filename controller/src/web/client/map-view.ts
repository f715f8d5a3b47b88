// The map itself: a Cytoscape.js instance kept in step with the latest graph model. It adds and removes only what
// changed (positions survive updates), folds and unfolds groups, marks what is new since the page opened, and
// highlights a selection's callers and callees.

import cytoscape from 'cytoscape';
import type { GraphEdge, GraphModel, GraphNode } from '../graph-types.ts';
import { CY_STYLE } from './cy-style.ts';
import { CHUNK_ELEMENTS, createChunkedAdd } from './chunked-add.ts';
import { buildElements, defaultCollapsed, groupId, groupOf, workloadSize, type Element } from './elements.ts';
import { fcoseLoaded, loadFcose } from './fcose-loader.ts';
import { whenIdle } from './idle.ts';
import type { Box } from './force.ts';
import { foldHome, placeNew, placeUnfolded, quickPositions, runLayout, type Pos } from './layout.ts';
import { INTERNET_GROUP } from './state.ts';
import { drawInOneFrame } from './one-frame.ts';
import { narrowStyleTriggers } from './style-triggers.ts';
import { nearestFirst } from './nearest-first.ts';
import { inBatch } from './in-batch.ts';
import { prepareUnfold } from './unfold-layout.ts';

/** Redo the whole layout when more than this share of the drawn nodes would be new. */
const RELAYOUT_SHARE = 0.5;
/** Zoom a search match is shown at (at least). */
const FOCUS_ZOOM = 1.1;
/** Fitting a tiny map stops at this zoom rather than blowing two boxes up to the whole screen. */
const FIT_MAX_ZOOM = 1.5;
/** After a clear, what was lit is drawn on Cytoscape's lower canvas again this much later (map-view applyHighlight). */
const HANDOVER_MS = 120;

export interface ModelIndex {
  nodes: Map<string, GraphNode>;
  edges: Map<string, GraphEdge>;
  out: Map<string, GraphEdge[]>;
  in: Map<string, GraphEdge[]>;
}

function indexModel(m: GraphModel): ModelIndex {
  const idx: ModelIndex = { nodes: new Map(m.nodes.map((n) => [n.id, n])), edges: new Map(m.edges.map((e) => [e.id, e])), out: new Map(), in: new Map() };
  for (const e of m.edges) {
    (idx.out.get(e.source) ?? idx.out.set(e.source, []).get(e.source)!).push(e);
    (idx.in.get(e.target) ?? idx.in.set(e.target, []).get(e.target)!).push(e);
  }
  return idx;
}

export interface MapViewOptions {
  container: HTMLElement;
  /** Groups collapsed from the URL; undefined: defaultCollapsed(first model). */
  collapsed?: string[];
  onSelect?: (id: string) => void;
  onViewport?: () => void;
  onCollapse?: () => void;
}

export type MapView = ReturnType<typeof createMapView>;

export function createMapView(opts: MapViewOptions) {
  const cy = cytoscape({
    container: opts.container, style: CY_STYLE, minZoom: 0.02, maxZoom: 4,
    boxSelectionEnabled: false, selectionType: 'single', textureOnViewport: true, hideEdgesOnViewport: false,
  });
  narrowStyleTriggers(cy);
  drawInOneFrame(cy);
  let model: GraphModel | undefined;
  let index: ModelIndex = indexModel({ revision: 0, generatedAt: '', namespaces: [], labels: [], nodes: [], edges: [] });
  let collapsed: Set<string> | undefined = opts.collapsed ? new Set(opts.collapsed) : undefined;
  let openedAt: number | undefined;
  let fresh = new Set<string>();
  let selected = '';
  /** Where each group's workloads sat, relative to the group's centre, when it was folded. */
  const folded = new Map<string, Map<string, Pos>>();
  /** Where each group that moved away to be unfolded was drawn folded (layout.ts placeUnfolded, foldHome). */
  const homes = new Map<string, Pos>();
  let lastMatches: { q: string; ids: string[]; i: number } | undefined;
  /** Milliseconds spent in the last update's steps (bench). */
  const timings: Record<string, number> = {};

  function computeFresh(): void {
    fresh = new Set();
    if (openedAt === undefined || !model) return;
    const first = new Map<string, number>();
    for (const e of model.edges) {
      const t = Date.parse(e.firstSeen);
      if (t > openedAt) fresh.add(e.id);
      for (const n of [e.source, e.target]) first.set(n, Math.min(first.get(n) ?? Infinity, t));
    }
    for (const [n, t] of first) if (t > openedAt) fresh.add(n);
  }

  /** The line each connection is drawn as when it is not drawn itself (to or from a folded group): connection id →
   *  line id (elements.ts). */
  let lineOf = new Map<string, string>();

  /** Where the `dimmed` class goes: the element Cytoscape draws its canvases in, not its container, whose every
   *  attribute change Cytoscape takes for a resize (a MutationObserver), redrawing everything 100 ms later. */
  const dimHost = (cy.container()?.firstElementChild as HTMLElement | null) ?? opts.container;
  /** What the last highlight marked: element id → its classes among `lit`, `caller`, `callee`. */
  let marked = new Map<string, Set<string>>();
  /**
   * Marks the selection's callers and callees and dims everything else, touching only elements whose marks change:
   * every element style change makes Cytoscape restyle the element, and fading a big map's hundreds of elements one
   * by one took longer than the 100 ms an interaction may take (bench:web). The neighbourhood (class `lit`) is drawn
   * on Cytoscape's upper canvas (the one it drags nodes on); the lower canvas, with the rest, is dimmed by CSS
   * (`#map .dimmed`). `quiet`: do not redraw the lower canvas (see select()).
   */
  function applyHighlight(quiet = false): void {
    const want = new Map<string, Set<string>>();
    const mark = (c: cytoscape.Collection | cytoscape.NodeCollection, cls: string) => (c as cytoscape.Collection).forEach((e) => { (want.get(e.id()) ?? want.set(e.id(), new Set(['lit'])).get(e.id())!).add(cls); });
    const ele = selected ? cy.getElementById(selected) : undefined;
    const active = Boolean(ele?.nonempty());
    if (ele && active) {
      let keep: cytoscape.Collection;
      if (ele.isNode()) {
        const node = ele as cytoscape.NodeSingular;
        const scope: cytoscape.NodeCollection = node.isParent() ? node.descendants().union(node) : node;
        const outE = scope.connectedEdges().filter((e) => scope.has(e.source()) && !scope.has(e.target()));
        const inE = scope.connectedEdges().filter((e) => scope.has(e.target()) && !scope.has(e.source()));
        mark(outE, 'callee'); mark(outE.targets(), 'callee');
        mark(inE, 'caller'); mark(inE.sources(), 'caller');
        // A folded line with calls both ways: its far end is caller and callee.
        const outBoth = outE.filter('.both'), inBoth = inE.filter('.both');
        mark(outBoth, 'caller'); mark(outBoth.targets(), 'caller');
        mark(inBoth, 'callee'); mark(inBoth.sources(), 'callee');
        keep = scope.union(outE).union(inE).union(outE.targets()).union(inE.sources());
        // A workload's connections with folded groups are drawn as its namespace's lines: those lines and their far
        // ends, marked as each of its own connections goes (not the namespace itself).
        const box = node.data('parent') as string | undefined;
        const through = (conns: GraphEdge[] | undefined, cls: string) => {
          for (const c of conns ?? []) {
            const line = cy.getElementById(lineOf.get(c.id) ?? '');
            if (line.empty()) continue;
            const far = (line as unknown as cytoscape.EdgeSingular).connectedNodes().filter((n) => n.id() !== box);
            mark(line, cls); mark(far, cls);
            keep = keep.union(line).union(far);
          }
        };
        if (!node.isParent()) { through(index.out.get(node.id()), 'callee'); through(index.in.get(node.id()), 'caller'); }
      } else {
        const edge = ele as unknown as cytoscape.EdgeSingular;
        keep = edge.union(edge.connectedNodes());
      }
      // Not the namespaces around them: a class on a namespace has Cytoscape restyle every workload in it (and
      // measure their labels again), most of what selecting in an open namespace of 50 cost. Their frames stay on
      // the dimmed lower canvas.
      mark(keep, 'lit');
    }
    const none = new Set<string>();
    const changes: Array<[cytoscape.CollectionReturnValue, string, boolean]> = [];
    for (const id of new Set([...marked.keys(), ...want.keys()])) {
      const e = cy.getElementById(id);
      if (e.empty()) continue;
      const was = marked.get(id) ?? none, now = want.get(id) ?? none;
      for (const c of ['lit', 'caller', 'callee']) if (was.has(c) !== now.has(c) || e.hasClass(c) !== now.has(c)) changes.push([e, c, now.has(c)]);
    }
    const before = upper;
    marked = want;
    upper = new Set(want.keys());
    // Faded while waiting on the upper canvas (below): back to normal once the lower canvas has them again.
    if (!quiet) for (const e of waiting.splice(0)) changes.push([e, 'faded', false]);
    if (quiet && !lowerClean) {
      // The lower canvas was drawn without what was lit: that stays on the upper canvas, unlit now (and faded like the
      // dimmed rest when something else is lit), until the lower canvas is next drawn (soon: see the renderer hooks
      // and endHandover). Drawing the whole lower canvas again was most of what selecting a second node cost.
      for (const id of before) {
        if (want.has(id)) continue;
        upper.add(id);
        const e = cy.getElementById(id);
        if (active && e.nonempty()) { changes.push([e, 'faded', true]); waiting.push(e); }
      }
      handover = true;
      setTimeout(endHandover, HANDOVER_MS);
    }
    if (changes.length === 0 && dimHost.classList.contains('dimmed') === active && upper.size === before.size && [...upper].every((id) => before.has(id))) return;
    const r = renderer();
    // The new styles are computed now (pstyle), not in the next frame: inside quietly(), so that what they change
    // (bounds) does not have the lower canvas redrawn either.
    const change = () => { cy.batch(() => { for (const [e, c, on] of changes) { if (on) e.addClass(c); else e.removeClass(c); } }); for (const [e] of changes) pstyle(e); };
    if (quiet) quietly(change); else change();
    dimHost.classList.toggle('dimmed', active);
    r.updateCachedGrabbedEles();
    r.redrawHint('drag', true);
    if (!quiet) r.redrawHint('eles', true);
    r.redraw();
  }

  /** What was lit, waits faded on the upper canvas until the lower one is drawn again (applyHighlight). */
  const waiting: cytoscape.CollectionReturnValue[] = [];
  /** Has the lower canvas drawn again, with what waited on the upper one (the renderer hooks move it back). */
  function endHandover(): void {
    const back = waiting.splice(0);
    if (back.length) cy.batch(() => { for (const e of back) e.removeClass('faded'); });
    const r = renderer();
    r.redrawHint('eles', true);
    r.redraw();
  }

  /**
   * Runs `f` without letting Cytoscape redraw its lower canvas for it. Redrawing it draws every element: most of
   * what a click cost on a big map.
   */
  /** Has Cytoscape compute `e`'s style and bounds (and its groups' bounds) now, as reading them does, instead of
   *  while drawing the next frame. */
  const pstyle = (e: cytoscape.SingularElementReturnValue | cytoscape.CollectionReturnValue) => {
    (e as unknown as { pstyle(p: string): unknown }).pstyle('opacity');
    if (e.isNode()) (e as cytoscape.NodeSingular).ancestors().forEach((a) => { a.position(); a.boundingBox({}); });
    e.boundingBox({});
  };
  function quietly(f: () => void): void {
    const r = renderer();
    const hint = r.redrawHint;
    r.redrawHint = function (this: Renderer, what: string, on: boolean) { if (what !== 'eles') hint.call(this, what, on); };
    try { f(); } finally { r.redrawHint = hint; }
  }

  /**
   * Cytoscape's renderer, with its split of elements between the lower canvas and the upper ("drag") one extended:
   * the elements in `upper` are drawn on the upper canvas, in z order (parents before children), and not on the
   * lower one. Renderer internals (cytoscape 3.x: BRp.updateCachedGrabbedEles, cachedZSortedEles,
   * CRp.drawLayeredElements / drawCachedNodes); page.int.test.ts checks what each canvas holds.
   */
  interface Renderer {
    cachedZSortedEles?: (cytoscape.SingularElementReturnValue[] & { drag: unknown[]; nondrag: unknown[] }) | null;
    updateCachedGrabbedEles(): void;
    redrawHint(what: string, on: boolean): void;
    redraw(): void;
  }
  const renderer = (): Renderer => (cy as unknown as { renderer(): Renderer }).renderer();
  /** Elements drawn on the upper canvas instead of the lower one: what is lit (and, for a moment after a clear,
   *  what was). */
  let upper = new Set<string>();
  /** `upper` holds what was lit until the lower canvas is drawn again. */
  let handover = false;
  /** Whether the lower canvas was last drawn with every element on it (nothing on the upper canvas), each as it
   *  looks unlit: then a selection can leave it as it is, and so can clearing that selection. */
  let lowerClean = true;
  {
    const r = renderer() as Renderer & Record<'drawLayeredElements' | 'drawCachedNodes', (...a: unknown[]) => void>;
    for (const k of ['drawLayeredElements', 'drawCachedNodes'] as const) {
      const draw = r[k];
      r[k] = function (this: unknown, ...a: unknown[]) {
        const zs = r.cachedZSortedEles;
        if (zs && a[1] === zs.nondrag) {
          // The lower canvas: what waited on the upper one comes back to it (once no longer faded: endHandover).
          if (handover && waiting.length === 0) { handover = false; upper = new Set([...marked].filter(([, c]) => c.has('lit')).map(([id]) => id)); r.updateCachedGrabbedEles(); a[1] = zs.nondrag; r.redrawHint('drag', true); }
          lowerClean = upper.size === 0;
        }
        return draw.apply(this, a);
      };
    }
    r.updateCachedGrabbedEles = function (this: Renderer): void {
      const eles = this.cachedZSortedEles;
      if (!eles) return;
      const drag: unknown[] = [], nondrag: unknown[] = [], grabbed: unknown[] = [];
      for (const e of eles) {
        const p = (e as unknown as { _private: { rscratch: { inDragLayer?: boolean } } })._private;
        if (e.grabbed() && !(e as cytoscape.NodeSingular).isParent?.()) grabbed.push(e);
        else if (p.rscratch.inDragLayer || upper.has(e.id())) drag.push(e);
        else nondrag.push(e);
      }
      eles.drag = drag.concat(grabbed);
      eles.nondrag = nondrag;
    };
  }

  /** What sync last gave each drawn element (its own classes; its label, size and count), so that an update compares
   *  with this instead of reading Cytoscape: a data read on a map with open namespaces recomputes group bounds. */
  const drawnAs = new Map<string, { cls: string; sig: string }>();
  const signature = (e: Element) => `${e.data.label as string}|${e.data.w as number}|${(e.data.edges as string[] | undefined)?.length}`;

  /** Elements per chunk when an unfold is drawn progressively; 0: all at once (the browser test compares the two). */
  let chunkElements = CHUNK_ELEMENTS;
  const later = createChunkedAdd(cy, () => chunkElements);

  /**
   * The new elements in the order they go in: with a `focus` (a node being searched for or selected), first the
   * focus, every line to or from it and their new ends, then the rest in `els` order. That is all its highlight
   * (applyHighlight): its namespace's lines to folded groups are there already, as the folded namespace's lines
   * (the same ids). Returns the two parts.
   */
  type Split = (add: cytoscape.ElementDefinition[]) => [cytoscape.ElementDefinition[], cytoscape.ElementDefinition[]];
  function focusFirst(add: cytoscape.ElementDefinition[], focus: string | undefined): [cytoscape.ElementDefinition[], cytoscape.ElementDefinition[]] {
    if (!focus || !add.some((d) => d.data.id === focus)) return [add, []];
    const near = new Set([focus]);
    for (const d of add) if (d.group === 'edges' && (d.data.source === focus || d.data.target === focus)) near.add(d.data.source as string).add(d.data.target as string).add(d.data.id!);
    return [add.filter((d) => near.has(d.data.id!)), add.filter((d) => !near.has(d.data.id!))];
  }

  /**
   * Adds, updates and removes elements to match `els`; returns the new leaf nodes that have no position yet. With a
   * `first` (focusFirst, nearestFirst) and new elements that all have their places, only the first part goes in now
   * and the rest is queued (`later`), added over the next frames.
   */
  function sync(els: Element[], known: Map<string, Pos>, first?: Split): cytoscape.NodeCollection {
    const want = new Set(els.map((e) => e.data.id));
    const parents = new Set(els.map((e) => e.data.parent as string | undefined).filter(Boolean));
    const unplaced = new Set<string>();
    inBatch(cy, () => {
      const gone = cy.elements().filter((e) => !want.has(e.id()));
      gone.forEach((e) => { drawnAs.delete(e.id()); });
      gone.remove();
      const add: cytoscape.ElementDefinition[] = [];
      for (const e of els) {
        const id = e.data.id, cls = e.classes ?? '', sig = signature(e);
        const was = drawnAs.get(id);
        drawnAs.set(id, { cls, sig });
        if (was) {
          // Touch only what changed: every data or class write makes Cytoscape restyle the element.
          if (was.cls === cls && was.sig === sig) continue;
          const ex = cy.getElementById(id);
          if (was.cls !== cls) ex.classes(cls);
          if (was.sig !== sig) ex.data(e.data);
          continue;
        }
        const def: cytoscape.ElementDefinition = { group: e.group, data: e.data, classes: cls };
        const p = known.get(id);
        if (p) def.position = { ...p };
        else if (e.group === 'nodes' && !parents.has(id)) unplaced.add(id);
        add.push(def);
      }
      // Two adds either way: one add puts its nodes before its lines in Cytoscape's order (what it draws in, and
      // reshuffles on removal), and a chunk of `rest` never holds a line before a node, so the order is the same.
      const [now, rest] = first ? first(add) : [add, []];
      cy.add(now);
      if (rest.length && unplaced.size === 0 && chunkElements > 0) later.queue(rest); else if (rest.length) cy.add(rest);
    });
    return cy.nodes().filter((n) => unplaced.has(n.id()));
  }

  /** Matches the drawing to the model; `relayout`: lay everything out again (with fCoSE when `engine` says so). */
  function render(relayout: boolean, unfolding = false, engine: 'quick' | 'fcose' = 'quick', focus?: string): Map<string, Box> {
    later.finish();
    if (!model) return new Map();
    collapsed ??= new Set(defaultCollapsed(model));
    const els = buildElements(model, collapsed, fresh);
    lineOf = new Map();
    for (const e of els) for (const c of (e.data.edges as string[] | undefined) ?? []) lineOf.set(c, e.data.id);
    const known = new Map<string, Pos>();
    /** Groups being folded now keep their place: the group node goes where its workloads' centre was. */
    const foldedAt = new Map<string, Pos>();
    for (const g of collapsed) {
      const node = cy.getElementById(groupId(g));
      if (node.nonempty() && node.isParent()) {
        const c = node.position();
        const rel = new Map<string, Pos>();
        node.children().forEach((k) => { const p = k.position(); rel.set(k.id(), { x: p.x - c.x, y: p.y - c.y }); });
        folded.set(g, rel);
        known.set(node.id(), { ...c });
        foldedAt.set(node.id(), { ...c });
      }
    }
    // Groups being unfolded put their workloads back where they were, around where the group is now.
    for (const [g, rel] of folded) {
      if (collapsed.has(g)) continue;
      const node = cy.getElementById(groupId(g));
      if (node.empty()) continue;
      const c = node.position();
      for (const [id, p] of rel) known.set(id, { x: c.x + p.x, y: c.y + p.y });
      folded.delete(g);
    }
    const hadNodes = cy.nodes().length > 0;
    // The first picture: laid out before it is drawn, its positions added with the elements.
    const preplaced = !hadNodes && !(relayout && engine === 'fcose');
    if (preplaced) {
      const t1 = performance.now();
      for (const [id, p] of quickPositions(els)) known.set(id, p);
      timings.layout = performance.now() - t1;
    }
    let opened = new Map<string, Box>();
    if (hadNodes && !relayout) {
      const t1 = performance.now();
      foldHome(cy, els, foldedAt, homes);
      opened = placeUnfolded(cy, els, (id) => /\bcollapsed\b/.test(drawnAs.get(id)?.cls ?? ''), known, foldedAt, homes);
      timings.unfoldLayout = performance.now() - t1;
    }
    const t0 = performance.now();
    const unplaced = sync(els, known, unfolding && hadNodes && !relayout ? firstPart(focus, opened) : undefined);
    // A group a filter took away forgets where it was folded: it comes back placed anew.
    for (const id of [...homes.keys()]) if (!drawnAs.has(id)) homes.delete(id);
    if (foldedAt.size) {
      cy.batch(() => { for (const [id, p] of foldedAt) { const n = cy.getElementById(id); if (n.nonempty() && n.isChildless()) n.position(p); } });
    }
    timings.sync = performance.now() - t0;
    if (preplaced) {
      if (unplaced.length) placeNew(cy, unplaced);
    } else if (relayout || !hadNodes || (!unfolding && unplaced.length > Math.max(5, cy.nodes().filter((n) => n.isChildless()).length * RELAYOUT_SHARE))) {
      const t1 = performance.now();
      runLayout(cy, cy.elements(), { engine: relayout ? engine : 'quick' });
      homes.clear();
      timings.layout = performance.now() - t1;
    } else if (unplaced.length) {
      cy.batch(() => placeNew(cy, unplaced));
    }
    const t4 = performance.now();
    applyHighlight();
    timings.highlight = performance.now() - t4;
    return opened;
  }

  /** Pans the least that brings `b` (model coordinates) into view, or centres it when it is bigger than the view:
   *  an unfolded namespace may have gone beside the map (layout.ts placeUnfolded). */
  function reveal(b: Box): void {
    const { dx, dy } = revealShift(b), z = cy.zoom();
    if (dx || dy) cy.panBy({ x: -dx * z, y: -dy * z });
  }
  /** How far (model coordinates) reveal(b) moves the view. */
  function revealShift(b: Box): { dx: number; dy: number } {
    const ext = cy.extent(), z = cy.zoom(), margin = 20 / z;
    const axis = (lo: number, hi: number, vlo: number, vhi: number): number => {
      if (hi - lo + 2 * margin > vhi - vlo) return (lo + hi) / 2 - (vlo + vhi) / 2;
      if (lo - margin < vlo) return lo - margin - vlo;
      if (hi + margin > vhi) return hi + margin - vhi;
      return 0;
    };
    return { dx: axis(b.x1, b.x2, ext.x1, ext.x2), dy: axis(b.y1, b.y2, ext.y1, ext.y2) };
  }

  /**
   * What an unfold draws first: a search's (or a select's) `focus` and its neighbourhood (focusFirst); a plain unfold
   * of one group (`opened`) with nothing selected, the workloads nearest the middle of the view as toggleGroup's
   * reveal leaves it (nearestFirst). With a selection a plain unfold goes in whole: the highlight, worked out once,
   * needs every element there.
   */
  function firstPart(focus: string | undefined, opened: Map<string, Box>): Split | undefined {
    if (focus) return (add) => focusFirst(add, focus);
    if (selected || opened.size !== 1) return undefined;
    const [box] = opened.values(), ext = cy.extent(), { dx, dy } = revealShift(box);
    const centre = { x: (ext.x1 + ext.x2) / 2 + dx, y: (ext.y1 + ext.y2) / 2 + dy };
    return (add) => nearestFirst(add, centre, Math.max(1, Math.floor(chunkElements / 4)));
  }

  /** The model whose folded groups' unfold layouts are being worked out ahead (prepareAhead). */
  let aheadFor: GraphModel | undefined;
  /** Works out, when the page is idle, how each folded group's workloads will lie once it is unfolded
   *  (unfold-layout.ts prepareUnfold), one group per idle moment; a newer model starts over. */
  function prepareAhead(): void {
    const m = model;
    if (!m || aheadFor === m) return;
    aheadFor = m;
    const groups = new Map<string, GraphNode[]>();
    for (const n of m.nodes) (groups.get(groupOf(n)) ?? groups.set(groupOf(n), []).get(groupOf(n))!).push(n);
    const todo = [...groups.keys()].sort();
    const next = (): void => {
      if (aheadFor !== m) return;
      const g = todo.shift();
      if (g === undefined) return;
      if (collapsed?.has(g)) {
        const nodes = groups.get(g)!;
        const ids = new Set(nodes.map((n) => n.id));
        prepareUnfold(nodes.map((n) => ({ id: n.id, ...workloadSize(n) })), m.edges.filter((e) => ids.has(e.source) && ids.has(e.target)));
      }
      whenIdle(next, 2000);
    };
    whenIdle(next, 2000);
  }

  return {
    cy,
    timings,
    /** Resolves once every element of the last unfold is added (drawn progressively: see select). */
    complete: (): Promise<void> => later.done(),
    /** Elements per chunk of a progressive unfold; 0 adds everything at once (tests compare the two). */
    setChunkElements(n: number): void { chunkElements = n; },
    /** Shows `m`; the first model sets the "new since you opened" baseline. */
    setModel(m: GraphModel, o: { relayout?: boolean } = {}): void {
      model = m;
      index = indexModel(m);
      openedAt ??= Date.parse(m.generatedAt);
      computeFresh();
      render(Boolean(o.relayout));
      if (selected && cy.getElementById(selected).empty()) selected = '';
      prepareAhead();
    },
    model: () => model,
    index: () => index,
    /** Lays the whole map out again with fCoSE (loaded now if it was not yet). */
    async relayout(): Promise<void> {
      if (!fcoseLoaded()) await loadFcose();
      render(true, false, 'fcose');
      this.fit();
    },
    fit(): void {
      later.finish();
      // The nodes' box holds the lines between them; measuring the lines too would lay out every label first.
      cy.fit(cy.nodes(), 30);
      if (cy.zoom() > FIT_MAX_ZOOM) { cy.zoom(FIT_MAX_ZOOM); cy.center(); }
    },
    zoomBy(f: number): void { cy.zoom({ level: cy.zoom() * f, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } }); },
    collapsed: (): string[] => [...(collapsed ?? [])].sort(),
    isCollapsed: (g: string): boolean => collapsed?.has(g) ?? false,
    /** Folds or unfolds a namespace (or `(internet)`). */
    toggleGroup(g: string, fold = !(collapsed?.has(g) ?? false)): void {
      collapsed ??= new Set();
      if (fold === collapsed.has(g)) return;
      if (fold) collapsed.add(g); else collapsed.delete(g);
      const moveSelection = fold && index.nodes.has(selected) && groupOf(index.nodes.get(selected)!) === g;
      const opened = render(false, !fold).get(groupId(g));
      if (opened) reveal(opened);
      opts.onCollapse?.();
      if (moveSelection) this.select(groupId(g));
    },
    /** Runs `f` (an export) with everything outside the highlight faded by the `faded` class, as exports draw
     *  without the page's CSS dimming. */
    withFaded<T>(f: () => T): T {
      later.finish();
      if (!selected || marked.size === 0) return f();
      // A namespace's opacity would fade its workloads too: the namespaces of what is lit are not faded.
      const around = cy.collection(cy.elements().filter((e) => marked.has(e.id())).nodes().ancestors());
      const rest = cy.elements().filter((e) => !marked.has(e.id()) && !around.has(e));
      cy.batch(() => rest.addClass('faded'));
      try { return f(); } finally { cy.batch(() => rest.removeClass('faded')); }
    },
    freshNodes: (): number => [...fresh].filter((id) => index.nodes.has(id)).length,
    freshEdges: (): number => [...fresh].filter((id) => index.edges.has(id)).length,
    /** Forgets what is new: from now on only later arrivals are marked. */
    clearFresh(): void { if (model) { openedAt = Date.parse(model.generatedAt); computeFresh(); render(false); } },
    selected: () => selected,
    /** Selects a node, group or edge by id (unfolding its group if a workload is folded away); '' clears. */
    select(id: string, o: { centre?: boolean } = {}): boolean {
      const node = index.nodes.get(id);
      later.finish();
      // Unfolding its namespace: the node and its neighbourhood are drawn first, the rest over the next frames.
      if (node && collapsed?.has(groupOf(node))) { collapsed.delete(groupOf(node)); render(false, true, 'quick', id); opts.onCollapse?.(); }
      const ele = id ? cy.getElementById(id) : cy.collection();
      selected = ele.nonempty() ? id : '';
      // Selecting or clearing leaves Cytoscape's lower canvas as it is when it can (applyHighlight): only the
      // neighbourhood (and for a moment what was lit before), on the upper canvas, is drawn.
      const wasLit = [...marked.values()].some((c) => c.has('lit'));
      const quiet = ele.nonempty() ? !handover : wasLit;
      const change = () => { const was = cy.elements(':selected'); cy.batch(() => { was.unselect(); if (ele.nonempty()) ele.select(); }); was.union(ele).forEach((e) => { pstyle(e); }); };
      if (quiet) quietly(change); else change();
      applyHighlight(quiet);
      if (o.centre && ele.nonempty()) {
        cy.zoom(Math.max(cy.zoom(), FOCUS_ZOOM));
        cy.center(ele);
      }
      opts.onSelect?.(selected);
      return ele.nonempty();
    },
    /** Workload and destination names containing `q` (case-insensitive): exact, then prefix, then the rest. */
    matches(q: string): GraphNode[] {
      const s = q.trim().toLowerCase();
      if (!s) return [];
      const rank = (n: GraphNode) => { const name = n.name.toLowerCase(); return name === s ? 0 : name.startsWith(s) ? 1 : 2; };
      return [...index.nodes.values()].filter((n) => n.name.toLowerCase().includes(s) || `${n.name}.${n.namespace}`.toLowerCase() === s)
        .sort((a, b) => rank(a) - rank(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : (a.namespace ?? '') < (b.namespace ?? '') ? -1 : 1));
    },
    /** Selects and centres the next match of `q` (the first on a new query); returns [position, total]. */
    find(q: string): [number, number] {
      const ids = this.matches(q).map((n) => n.id);
      if (ids.length === 0) { lastMatches = undefined; return [0, 0]; }
      const again = lastMatches && lastMatches.q === q && lastMatches.ids.join() === ids.join();
      const i = again ? (lastMatches!.i + 1) % ids.length : 0;
      lastMatches = { q, ids, i };
      this.select(ids[i], { centre: true });
      return [i + 1, ids.length];
    },
    groupOf: (id: string): string | undefined => { const n = index.nodes.get(id); return n ? groupOf(n) : id.startsWith('g:') ? (id === 'g:internet' ? INTERNET_GROUP : id.slice(2)) : undefined; },
  };
}
