// Prometheus counters and gauges for the controller, rendered in the text exposition format 0.0.4.

type Labels = Record<string, string>;

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  values: Map<string, { labels: Labels; value: number }>;
  /** Gauges may be read at scrape time instead of being set. */
  collect?: () => Array<{ labels?: Labels; value: number }>;
}

export interface Counter { inc(labels?: Labels, by?: number): void; get(labels?: Labels): number }
export interface Metrics {
  counter(name: string, help: string): Counter;
  /** A value read when scraped: a gauge, or a counter kept elsewhere (`type: 'counter'`). */
  gauge(name: string, help: string, collect: () => number | Array<{ labels?: Labels; value: number }>, type?: 'gauge' | 'counter'): void;
  render(): string;
}

const labelKey = (l: Labels = {}): string => Object.keys(l).sort().map((k) => `${k}=${l[k]}`).join(',');
/** Exposition format: label values escape backslash, double quote and newline. */
const esc = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const fmtLabels = (l: Labels = {}): string => {
  const ks = Object.keys(l).sort();
  return ks.length ? `{${ks.map((k) => `${k}="${esc(l[k])}"`).join(',')}}` : '';
};

/** A small registry: `metrics.counter('netmapper_reports_received_total', '...').inc()`. */
export function createMetrics(): Metrics {
  const families = new Map<string, Family>();
  return {
    counter(name, help) {
      let f = families.get(name);
      if (!f) { f = { name, help, type: 'counter', values: new Map() }; families.set(name, f); }
      const fam = f;
      return {
        inc(labels = {}, by = 1) {
          const k = labelKey(labels);
          const cur = fam.values.get(k);
          if (cur) cur.value += by; else fam.values.set(k, { labels: { ...labels }, value: by });
        },
        get(labels = {}) { return fam.values.get(labelKey(labels))?.value ?? 0; },
      };
    },
    gauge(name, help, collect, type = 'gauge') {
      families.set(name, {
        name, help, type, values: new Map(),
        collect: () => { const v = collect(); return typeof v === 'number' ? [{ value: v }] : v; },
      });
    },
    render() {
      const out: string[] = [];
      for (const f of families.values()) {
        out.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`);
        const samples = f.collect ? f.collect() : [...f.values.values()];
        if (f.type === 'counter' && samples.length === 0) out.push(`${f.name} 0`);
        for (const s of samples) out.push(`${f.name}${fmtLabels(s.labels)} ${s.value}`);
      }
      return out.join('\n') + '\n';
    },
  };
}
