// Counter deltas per proxy: a series is reported only when its counter moved since the previous scrape
// of the same pod, so neither a watcher restart nor a long-lived sidecar replays its whole history.
//
// - First sight of a pod that existed before the watcher started: its counters are a baseline, nothing
//   is reported (unless `reportHistory`: Otterize's behaviour, everything since the sidecar started).
// - First sight of a pod created after the watcher started: every count happened while we watched.
// - A counter that went down was reset: what it holds now is new (Prometheus' `increase()` rule).
// - The proxy restarted (istio-proxy restartCount changed, or envoy_server_uptime went down): every
//   series starts again from zero, so each one's value is new — even one that climbed back past its
//   old value, which a per-series comparison would miss.
// - A new series in a known pod is new.

import type { RequestSeries } from './requests.ts';

export interface PodIdentity {
  uid: string;
  /** metadata.creationTimestamp, epoch ms. */
  createdAt: number;
  /** restartCount of the istio-proxy container, when known. */
  proxyRestarts?: number;
}

export interface DeltaOptions {
  /** Epoch ms the watcher started; pods created before it get a baseline on first sight. */
  startedAt: number;
  /** Report everything a pod's counters hold on first sight (default false). */
  reportHistory?: boolean;
  /** Pods whose state is kept (default 50 000); past it the least recently scraped are forgotten. */
  maxPods?: number;
}

export type FirstSight = 'baseline' | 'from-zero';

export interface Observed {
  /** Series whose counter moved, with `value` replaced by the increase. */
  moved: RequestSeries[];
  /** Set on a pod's first scrape. */
  firstSight?: FirstSight;
  /** True when a proxy restart was detected. */
  restarted: boolean;
  /** Series that went down (counted resets). */
  resets: number;
}

interface PodState {
  counters: Map<string, number>;
  proxyRestarts?: number;
  uptime?: number;
}

export interface DeltaTracker {
  observe(pod: PodIdentity, series: readonly RequestSeries[], uptimeSeconds?: number): Observed;
  /** Drops state of pods not in `alive` (uids). Returns how many were dropped. */
  retain(alive: ReadonlySet<string>): number;
  readonly pods: number;
}

export function createDeltaTracker(opts: DeltaOptions): DeltaTracker {
  const maxPods = opts.maxPods ?? 50_000;
  const state = new Map<string, PodState>();   // insertion order = least recently scraped first

  return {
    observe(pod, series, uptimeSeconds) {
      const prev = state.get(pod.uid);
      const counters = new Map<string, number>();
      for (const s of series) counters.set(s.key, (counters.get(s.key) ?? 0) + s.value);   // duplicate lines: summed
      const result: Observed = { moved: [], restarted: false, resets: 0 };
      let fromZero: boolean;
      if (!prev) {
        fromZero = opts.reportHistory === true || pod.createdAt >= opts.startedAt;
        result.firstSight = fromZero ? 'from-zero' : 'baseline';
      } else {
        result.restarted = (pod.proxyRestarts !== undefined && prev.proxyRestarts !== undefined && pod.proxyRestarts !== prev.proxyRestarts)
          || (uptimeSeconds !== undefined && prev.uptime !== undefined && uptimeSeconds < prev.uptime);
        fromZero = result.restarted;
      }
      const seen = new Set<string>();
      for (const s of series) {
        if (seen.has(s.key)) continue;
        seen.add(s.key);
        const now = counters.get(s.key)!;
        let delta: number;
        if (fromZero) delta = now;
        else if (!prev) delta = 0;
        else {
          const before = prev.counters.get(s.key);
          if (before === undefined) delta = now;
          else if (now < before) { delta = now; result.resets++; }
          else delta = now - before;
        }
        if (delta > 0) result.moved.push({ ...s, value: delta });
      }
      state.delete(pod.uid);
      state.set(pod.uid, { counters, proxyRestarts: pod.proxyRestarts, uptime: uptimeSeconds });
      while (state.size > maxPods) state.delete(state.keys().next().value as string);
      return result;
    },
    retain(alive) {
      let dropped = 0;
      for (const uid of [...state.keys()]) if (!alive.has(uid)) { state.delete(uid); dropped++; }
      return dropped;
    },
    get pods() { return state.size; },
  };
}
