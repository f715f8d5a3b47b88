// The one metrics registry of every role, on prom-client: families created by name as the code needs
// them (labels are free-form, as before), mirrored totals copied in just before a scrape, and the
// default Node process metrics (process_cpu_seconds_total, nodejs_heap_size_used_bytes, ...) when
// asked for. prom-client renders the text exposition format (0.0.4), escaping and all.

import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { buildInfo } from './build-info.ts';

export type Labels = Record<string, string>;
export interface Sample { labels?: Labels; value: number }

export interface Metric {
  /** Counters: add `by` (default 1). */
  inc(labels?: Labels, by?: number): void;
  /** Gauges, and counters mirrored from a running total owned elsewhere. */
  set(value: number, labels?: Labels): void;
  get(labels?: Labels): number;
}
export type Counter = Metric;

export interface HistogramMetric {
  /** Records one observation (seconds for durations). */
  observe(labels: Labels, value: number): void;
}

/** Request latencies: 1 ms to 10 s, the span between a small report and a big image export. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface Metrics {
  readonly registry: Registry;
  /** The same family for the same name: `metrics.counter('netmapper_reports_received_total', '...').inc()`. */
  counter(name: string, help: string): Metric;
  /** A gauge; with `collect`, its samples are read at scrape time (`type: 'counter'` for a total kept elsewhere). */
  gauge(name: string, help: string, collect?: () => number | Sample[], type?: 'gauge' | 'counter'): Metric;
  /** A histogram with fixed label names (one family per name). */
  histogram(name: string, help: string, labelNames: readonly string[], buckets?: readonly number[]): HistogramMetric;
  /** Runs before every scrape, to copy in numbers owned elsewhere. */
  onCollect(fn: () => void): void;
  render(): Promise<string>;
  readonly contentType: string;
}

export interface MetricsOptions {
  /** Node process metrics (CPU, memory, event loop, GC); the processes turn this on, tests leave it off. */
  processMetrics?: boolean;
  /** `netmapper_build_info{version,revision,role,node} 1`; the processes pass their role (and node, if any). */
  buildInfo?: { role: string; node?: string };
}

const UNLINTABLE_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

const keyOf = (l: Labels = {}): string => JSON.stringify(Object.keys(l).sort().map((k) => [k, l[k]]));

export function createMetrics(opts: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const collectors: Array<() => void> = [];
  const families = new Map<string, Metric>();

  function family(name: string, help: string, type: 'counter' | 'gauge', collect?: () => number | Sample[]): Metric {
    const existing = families.get(name);
    if (existing && !collect) return existing;
    if (existing) registry.removeSingleMetric(name);   // a read-at-scrape gauge is replaced by its newest source
    const values = new Map<string, Sample>();
    const metric: Metric = {
      inc(labels = {}, by = 1) {
        const k = keyOf(labels);
        const cur = values.get(k);
        if (cur) cur.value += by; else values.set(k, { labels: { ...labels }, value: by });
      },
      set(value, labels = {}) {
        values.set(keyOf(labels), { labels: { ...labels }, value });
      },
      get: (labels = {}) => values.get(keyOf(labels))?.value ?? 0,
    };
    families.set(name, metric);
    // prom-client's registry takes any object with this shape (its own metric classes have it too).
    registry.registerMetric({
      name, help, type, aggregator: 'sum',
      get: async () => {
        let samples: Sample[];
        if (collect) { const v = collect(); samples = typeof v === 'number' ? [{ value: v }] : v; }
        else samples = values.size ? [...values.values()] : [{ value: 0 }];
        return { name, help, type, aggregator: 'sum', values: samples.map((s) => ({ labels: s.labels ?? {}, value: s.value })) };
      },
      reset: () => values.clear(),
    } as unknown as Parameters<Registry['registerMetric']>[0]);
    return metric;
  }

  if (opts.processMetrics) {
    collectDefaultMetrics({ register: registry });
    // Gauges named *_total break Prometheus' naming rule (promtool check metrics refuses them); the same
    // numbers stay in nodejs_active_handles / _requests / _resources, by type.
    for (const name of UNLINTABLE_DEFAULTS) registry.removeSingleMetric(name);
  }
  if (opts.buildInfo) {
    const b = buildInfo();
    family('netmapper_build_info', 'The running build: version, git revision, role and node (always 1).', 'gauge')
      .set(1, { version: b.version, revision: b.revision, role: opts.buildInfo.role, node: opts.buildInfo.node ?? '' });
  }
  const histograms = new Map<string, Histogram<string>>();
  return {
    registry,
    counter: (name, help) => family(name, help, 'counter'),
    histogram(name, help, labelNames, buckets = LATENCY_BUCKETS) {
      let h = histograms.get(name);
      if (!h) {
        h = new Histogram({ name, help, labelNames: [...labelNames], buckets: [...buckets], registers: [registry] });
        histograms.set(name, h);
      }
      const hist = h;
      return { observe: (labels, value) => hist.observe(labels, value) };
    },
    gauge: (name, help, collect, type = 'gauge') => family(name, help, type, collect),
    onCollect(fn) { collectors.push(fn); },
    async render() {
      for (const c of collectors) c();
      return registry.metrics();
    },
    contentType: registry.contentType,
  };
}
