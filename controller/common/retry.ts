// The one backoff: exponential from a first delay to a cap, with optional jitter so a fleet of
// sniffers does not stampede a restarted controller. Used by the sniffer's reporter and the
// controller's informer restarts (client-node's ListWatch backs off 1 s → 30 s the same way).

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** ±fraction of randomness around each delay, 0 (default) to < 1; e.g. 0.2 → delay × [0.8, 1.2). */
  jitter?: number;
  random?: () => number;
}

export interface Backoff {
  /** The delay to wait now; the following one doubles, up to the cap. */
  next(): number;
  /** The delay `next()` would give, before jitter. */
  peek(): number;
  /** Back to the first delay (after a success, or a long quiet run). */
  reset(): void;
}

export function createBackoff(opts: BackoffOptions): Backoff {
  const jitter = opts.jitter ?? 0;
  if (!(opts.initialMs > 0) || !(opts.maxMs >= opts.initialMs)) throw new RangeError(`backoff needs 0 < initialMs <= maxMs, got ${opts.initialMs} and ${opts.maxMs}`);
  if (!(jitter >= 0 && jitter < 1)) throw new RangeError(`backoff jitter must be in [0, 1), got ${jitter}`);
  const random = opts.random ?? Math.random;
  let delay = opts.initialMs;
  return {
    next() {
      const base = delay;
      delay = Math.min(delay * 2, opts.maxMs);
      return jitter ? base * (1 - jitter + 2 * jitter * random()) : base;
    },
    peek: () => delay,
    reset() { delay = opts.initialMs; },
  };
}

/** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() { clearTimeout(t); signal?.removeEventListener('abort', done); resolve(); }
    signal?.addEventListener('abort', done, { once: true });
  });
}
