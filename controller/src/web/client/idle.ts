// Work nobody waits for (the address bar, the search suggestions, unfold layouts worked out ahead), run when the
// page is next idle: after the map's next frame, not before it.

/** Runs `f` when the page is next idle, at the latest after `timeoutMs`. */
export function whenIdle(f: () => void, timeoutMs: number): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(f, { timeout: timeoutMs }); else setTimeout(f, 0);
}
