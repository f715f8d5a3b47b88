// What Cytoscape does each time it sets one style property on an element, cut down to what the property can change.
// Styling the ~50 workloads and ~140 lines a search or an unfold adds is most of what those cost (CPU profiles,
// bench:web), and on a map with namespace boxes most of that was these triggers (a style internal of cytoscape 3.x:
// styfn.checkTriggers, checkBoundsTrigger).

import type cytoscape from 'cytoscape';

/** The style properties Cytoscape's cached derived state (visible, interactive, takes up space, bundled bezier:
 *  cytoscape 3.x cacheStyleFunction) reads; padding sizes a namespace box. */
const DERIVED_FROM = new Set(['display', 'visibility', 'opacity', 'events', 'width', 'height', 'curve-style', 'padding']);

type Trigger = (ele: unknown, name: string, from: unknown, to: unknown) => void;
/** What an element keeps of itself (cytoscape 3.x element._private). */
interface Own { styleCache: unknown; edges: Array<{ _private: Own }>; children: Array<{ _private: Own }>; parent: { _private: Own } | null }
type Style = {
  checkTriggers: Trigger;
  applyContextStyle(meta: unknown, cxt: unknown, ele: unknown): unknown;
  properties: Record<string, { triggersBounds?: (from: unknown, to: unknown, ele: unknown) => boolean }>;
} & Record<'checkZOrderTrigger' | 'checkBoundsTrigger' | 'checkConnectedEdgesBoundsTrigger' | 'checkParallelEdgesBoundsTrigger', Trigger>;

/** What Cytoscape's dirtyStyleCache forgets on a map with compound nodes — the derived state of the element, its
 *  descendants, its parents and all their lines — by following their links instead of building four collections. */
function forgetFamily(own: Own): void {
  const forget = (p: Own) => { p.styleCache = null; for (const e of p.edges) e._private.styleCache = null; };
  const down = [own];
  for (let p = down.pop(); p; p = down.pop()) { forget(p); for (const c of p.children) down.push(c._private); }
  for (let p = own.parent?._private; p; p = p.parent?._private) forget(p);
}

/** An element whose bounds are marked stale once, when all its properties are set. */
type Bounds = { ele: { removed(): boolean; dirtyCompoundBoundsCache(): void; dirtyBoundingBoxCache(): void }; stale: boolean };

/**
 * For every property, Cytoscape forgets the derived state of the element, its descendants, its parents and all their
 * lines, building four new collections each time. Here only a property that state is read from does that (without
 * the collections); any other forgets the element's own cache. And where Cytoscape marks the element's bounds (and
 * its namespace's) stale for each property that sizes it, each mark an event, here that is done once, when the
 * stylesheet has given the element all its properties: nothing reads the bounds in between. The z-order and the
 * lines' bounds triggers stay Cytoscape's.
 */
export function narrowStyleTriggers(cy: cytoscape.Core): void {
  const style = cy.style() as unknown as Style;
  let styling: Bounds | undefined;
  const applyContextStyle = style.applyContextStyle;
  style.applyContextStyle = function (this: Style, meta, cxt, ele) {
    const outer = styling;
    const mine = styling = { ele: ele as Bounds['ele'], stale: false };
    try { return applyContextStyle.call(this, meta, cxt, ele); } finally {
      styling = outer;
      if (mine.stale && !mine.ele.removed()) { mine.ele.dirtyCompoundBoundsCache(); mine.ele.dirtyBoundingBoxCache(); }
    }
  };
  style.checkTriggers = function (this: Style, ele, name, from, to) {
    const own = (ele as { _private: Own })._private;
    if (DERIVED_FROM.has(name)) forgetFamily(own); else own.styleCache = null;
    this.checkZOrderTrigger(ele, name, from, to);
    const mine = styling?.ele === ele ? styling : undefined;
    if (!mine) this.checkBoundsTrigger(ele, name, from, to);
    else if (!mine.stale) mine.stale = this.properties[name]?.triggersBounds?.(from, to, ele) ?? false;
    this.checkConnectedEdgesBoundsTrigger(ele, name, from, to);
    this.checkParallelEdgesBoundsTrigger(ele, name, from, to);
  };
}
