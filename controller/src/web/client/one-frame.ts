// New elements drawn in one frame, not two. A renderer internal of cytoscape 3.x (BRp.notify, requestedFrame, the
// eleCalcs step of beforeRender, rstyle.clean, drawCachedElement's boundingBox()). Two things asked for a second
// frame after a search or an unfold had been drawn, where both canvases were drawn again (and, for the second, every
// new line's geometry computed again: 131 of a search's 140 new lines at 1,000 workloads, bench:web):
// - styling the new elements within the frame's own calculations, which runs just before that frame is drawn, marks
//   their bounds stale, and each such mark asks for a frame;
// - the draw reads each element's bounds, and a line whose bounds are not cached yet (styling cleared them after its
//   geometry was worked out) is marked stale as they are computed, which queues it for its geometry again.
// Nothing changed in between in either case: the frame being drawn has it all.

import type cytoscape from 'cytoscape';

interface Renderer {
  render(...a: unknown[]): unknown;
  notify(event: string, eles?: unknown): void;
  requestedFrame: boolean;
  beforeRenderCallbacks: Array<{ fn: (...a: unknown[]) => unknown; priority: number }>;
  beforeRenderPriorities: { eleCalcs: number };
}

/** Bounds marked stale while a frame works out its elements or draws them ask for no other frame, and a line's
 *  bounds computed while drawing do not queue it again. */
export function drawInOneFrame(cy: cytoscape.Core): void {
  const r = (cy as unknown as { renderer(): Renderer }).renderer();
  let step: 'calculating' | 'drawing' | '' = '';
  /** What the draw marked stale (a listener on 'bounds' instead would make every such event, hundreds a search, cost
   *  a selector match). */
  const marked: cytoscape.Collection[] = [];
  const notify = r.notify;
  r.notify = function (this: Renderer, event: string, eles?: unknown) {
    if (step === 'drawing' && event === 'bounds') { if (eles) marked.push(eles as cytoscape.Collection); return; }
    if (step === 'calculating' && event === 'bounds') { const asked = this.requestedFrame; notify.call(this, event, eles); this.requestedFrame = asked; return; }
    notify.call(this, event, eles);
  };
  const calcs = r.beforeRenderCallbacks.find((c) => c.priority === r.beforeRenderPriorities.eleCalcs);
  if (calcs) {
    const fn = calcs.fn;
    calcs.fn = function (this: unknown, ...a: unknown[]) {
      // Only when a frame is drawn right after (willDraw): else what it marks stale is still to be drawn.
      step = a[0] ? 'calculating' : '';
      try { return fn.apply(this, a); } finally { step = ''; }
    };
  }
  const render = r.render;
  r.render = function (this: Renderer, ...a: unknown[]) {
    step = 'drawing';
    try { return render.apply(this, a); } finally {
      step = '';
      // Computed just now, from the geometry just used: clean, as the renderer's own recalculation leaves them.
      for (const eles of marked.splice(0)) for (const e of eles) if (e.isEdge()) (e as unknown as { _private: { rstyle: { clean: boolean } } })._private.rstyle.clean = true;
    }
  };
}
