// One scrape round, and the loop around it: sidecars (or the mesh Prometheus) → parsed counters →
// deltas per pod → folded, capped paths → `istio` records handed to the reporter. Runtime pieces
// (discovery, HTTP, clock, reporter) come in as dependencies, so tests drive rounds directly.

import type { HttpRecord } from '../../controller/contract/schema.ts';
import { createDeltaTracker, type DeltaTracker } from './deltas.ts';
import type { Sidecar } from './discovery.ts';
import type { WatcherMetrics } from './metrics.ts';
import { createPathFolder, type PathFolder, type PathFolderOptions } from './paths.ts';
import { queryMeshPrometheus, type QueryResult } from './prometheus-query.ts';
import { parsePrometheusText } from './prom-text.ts';
import { toHttpRecords } from './records.ts';
import { extractRequests, SCRAPED_METRICS, type RequestSeries } from './requests.ts';
import { mapPooled, scrape, sidecarUrl, type ScrapeResult } from './scrape.ts';

export interface WatcherOptions {
  /** Sidecar metrics port (15020 merged, or 15090 Envoy's own) and path. */
  port: number;
  path: string;
  concurrency: number;
  timeoutMs: number;
  maxScrapeBytes: number;
  maxSamples: number;
  maxLineLength: number;
  reportHistory: boolean;
  paths: PathFolderOptions;
  /** When set: one query to this Prometheus per round instead of scraping sidecars. */
  prometheusUrl?: string;
  /** The `increase()` window of the Prometheus query, seconds. */
  prometheusWindowSeconds: number;
}

export interface WatcherDeps {
  /** The sidecars to scrape now (unused with prometheusUrl). */
  sidecars: () => Sidecar[];
  deliver: (records: HttpRecord[]) => void;
  metrics: WatcherMetrics;
  now?: () => Date;
  /** Injected in tests; defaults to the bounded HTTP scrape. */
  fetchScrape?: (url: string, signal?: AbortSignal) => Promise<ScrapeResult>;
  queryPrometheus?: (signal?: AbortSignal) => Promise<QueryResult>;
  log?: { warn(msg: string, fields?: Record<string, unknown>): void; debug(msg: string, fields?: Record<string, unknown>): void };
}

export interface RoundResult {
  sidecars: number;
  scraped: number;
  failed: number;
  records: HttpRecord[];
}

export interface IstioWatcher {
  round(signal?: AbortSignal): Promise<RoundResult>;
  /** Runs a round every `intervalMs` until `signal` aborts. */
  runForever(intervalMs: number, signal: AbortSignal): Promise<void>;
  /** Undefined when healthy, else why not (the last round failed everywhere). */
  health(): string | undefined;
}

export function createIstioWatcher(opts: WatcherOptions, deps: WatcherDeps): IstioWatcher {
  const now = deps.now ?? (() => new Date());
  const m = deps.metrics;
  const startedAt = now().getTime();
  const tracker: DeltaTracker = createDeltaTracker({ startedAt, reportHistory: opts.reportHistory });
  const folder: PathFolder = createPathFolder(opts.paths);
  const fetchScrape = deps.fetchScrape ?? ((url, signal) => scrape(url, { timeoutMs: opts.timeoutMs, maxBytes: opts.maxScrapeBytes, ...(signal ? { signal } : {}) }));
  const queryPrometheus = deps.queryPrometheus ?? ((signal) => queryMeshPrometheus({
    url: opts.prometheusUrl!, windowSeconds: opts.prometheusWindowSeconds, timeoutMs: opts.timeoutMs, maxBytes: opts.maxScrapeBytes, ...(signal ? { signal } : {}),
  }));
  let problem: string | undefined;

  const countSkips = (skipped: Partial<Record<string, number>>, metric: WatcherMetrics['seriesSkipped'] | WatcherMetrics['linesSkipped']) => {
    for (const [reason, n] of Object.entries(skipped)) if (n) metric.inc({ reason }, n);
  };

  /** Scrapes one sidecar and returns the series whose counters moved. */
  async function scrapeOne(s: Sidecar, signal?: AbortSignal): Promise<RequestSeries[] | undefined> {
    const r = await fetchScrape(sidecarUrl(s.ip, opts.port, opts.path), signal);
    if ('failure' in r) {
      m.scrapeFailures.inc({ reason: r.failure });
      deps.log?.debug('sidecar scrape failed', { pod: `${s.namespace}/${s.name}`, reason: r.failure, detail: r.detail });
      return undefined;
    }
    m.scrapes.inc();
    m.scrapeBytes.inc(undefined, r.bytes);
    const parsed = parsePrometheusText(r.body, { names: SCRAPED_METRICS, maxSamples: opts.maxSamples, maxLineLength: opts.maxLineLength });
    countSkips(parsed.skipped, m.linesSkipped);
    if (parsed.truncated) m.scrapesTruncated.inc();
    const extracted = extractRequests(parsed.samples);
    countSkips(extracted.skipped, m.seriesSkipped);
    const observed = tracker.observe({ uid: s.uid, createdAt: s.createdAt, ...(s.proxyRestarts !== undefined ? { proxyRestarts: s.proxyRestarts } : {}) },
      extracted.series, extracted.uptimeSeconds);
    if (observed.firstSight === 'baseline') m.baselines.inc();
    if (observed.restarted) m.proxyRestarts.inc();
    if (observed.resets) m.counterResets.inc(undefined, observed.resets);
    return observed.moved;
  }

  async function round(signal?: AbortSignal): Promise<RoundResult> {
    m.rounds.inc();
    let moved: RequestSeries[] = [];
    let sidecars = 0, scraped = 0, failed = 0;
    if (opts.prometheusUrl) {
      const r = await queryPrometheus(signal);
      if ('failure' in r) {
        failed = 1;
        m.scrapeFailures.inc({ reason: r.failure });
        deps.log?.warn('mesh Prometheus query failed', { reason: r.failure, detail: r.detail });
      } else {
        scraped = 1;
        m.scrapes.inc();
        countSkips(r.skipped, m.seriesSkipped);
        moved = r.series;
      }
      problem = failed ? `mesh Prometheus query failed` : undefined;
    } else {
      const list = deps.sidecars();
      sidecars = list.length;
      m.sidecars.set(list.length);
      const results = await mapPooled(list, opts.concurrency, (s) => scrapeOne(s, signal));
      for (const r of results) {
        if (r === undefined) failed++;
        else { scraped++; moved.push(...r); }
      }
      // Forget pods that are gone; a pod whose scrape failed keeps its baseline for the next round.
      tracker.retain(new Set(list.map((s) => s.uid)));
      m.trackedPods.set(tracker.pods);
      problem = sidecars > 0 && scraped === 0 ? `all ${sidecars} sidecar scrapes failed` : undefined;
    }
    const grouped = toHttpRecords(moved, folder, now());
    if (grouped.pathCapped) m.seriesSkipped.inc({ reason: 'path-cap' }, grouped.pathCapped);
    if (grouped.records.length > 0) {
      m.recordsReported.inc(undefined, grouped.records.length);
      deps.deliver(grouped.records);
    }
    return { sidecars, scraped, failed, records: grouped.records };
  }

  return {
    round,
    async runForever(intervalMs, signal) {
      while (!signal.aborted) {
        const began = Date.now();
        try {
          await round(signal);
        } catch (err) {
          deps.log?.warn('scrape round failed', { error: (err as Error).message });
        }
        const wait = Math.max(0, intervalMs - (Date.now() - began));
        await new Promise<void>((resolve) => {
          const t = setTimeout(done, wait);
          function done() { clearTimeout(t); signal.removeEventListener('abort', done); resolve(); }
          signal.addEventListener('abort', done, { once: true });
        });
      }
    },
    health: () => problem,
  };
}
