// New elements drawn in one frame, not two. Cytoscape's draw reads each element's bounds; an element whose bounds
// are not cached yet (every new line: styling it cleared them after its geometry was worked out) is marked stale as
// they are computed ('bounds'), which queues the element for its geometry again and asks for another frame — where
// every new line's geometry is computed a second time and both canvases are drawn again (a search at 1,000
// workloads: 131 of its 140 new lines, bench:web). Nothing changed in between: the geometry the draw has just used is
// current. A renderer internal of cytoscape 3.x (BRp.notify, rstyle.clean, drawCachedElement's boundingBox()).

import type cytoscape from 'cytoscape';

interface Renderer {
  render(...a: unknown[]): unknown;
  notify(event: string, eles?: unknown): void;
}

/** A line's bounds computed while drawing neither queue it again nor ask for another frame. */
export function drawInOneFrame(cy: cytoscape.Core): void {
  const r = (cy as unknown as { renderer(): Renderer }).renderer();
  let drawing = false;
  /** What the draw marked stale (a listener on 'bounds' instead would make every such event, hundreds a search, cost
   *  a selector match). */
  const marked: cytoscape.Collection[] = [];
  const notify = r.notify;
  r.notify = function (this: Renderer, event: string, eles?: unknown) {
    if (drawing && event === 'bounds') { if (eles) marked.push(eles as cytoscape.Collection); return; }
    notify.call(this, event, eles);
  };
  const render = r.render;
  r.render = function (this: Renderer, ...a: unknown[]) {
    drawing = true;
    try { return render.apply(this, a); } finally {
      drawing = false;
      // Computed just now, from the geometry just used: clean, as the renderer's own recalculation leaves them.
      for (const eles of marked.splice(0)) for (const e of eles) if (e.isEdge()) (e as unknown as { _private: { rstyle: { clean: boolean } } })._private.rstyle.clean = true;
    }
  };
}
