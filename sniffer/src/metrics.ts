// A minimal Prometheus registry: counters and gauges with labels, rendered in the text exposition
// format (version 0.0.4). Collectors run just before rendering to copy in numbers owned elsewhere
// (the decoder's counters, the backlog's size).

type Labels = Record<string, string>;

export interface Metric {
  /** Counters: add `n` (default 1). */
  inc(labels?: Labels, n?: number): void;
  /** Gauges, and counters mirrored from a running total owned elsewhere. */
  set(value: number, labels?: Labels): void;
  get(labels?: Labels): number;
}

export interface Metrics {
  counter(name: string, help: string): Metric;
  gauge(name: string, help: string): Metric;
  onCollect(fn: () => void): void;
  render(): string;
}

function escape(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelText(labels: Labels | undefined): string {
  if (!labels) return '';
  const parts = Object.keys(labels).sort().map((k) => `${k}="${escape(labels[k]!)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

export function createMetrics(): Metrics {
  const families: Array<{ name: string; help: string; type: 'counter' | 'gauge'; values: Map<string, number> }> = [];
  const collectors: Array<() => void> = [];

  function family(name: string, help: string, type: 'counter' | 'gauge'): Metric {
    const f = { name, help, type, values: new Map<string, number>() };
    families.push(f);
    return {
      inc(labels, n = 1) {
        const k = labelText(labels);
        f.values.set(k, (f.values.get(k) ?? 0) + n);
      },
      set(value, labels) {
        f.values.set(labelText(labels), value);
      },
      get(labels) {
        return f.values.get(labelText(labels)) ?? 0;
      },
    };
  }

  return {
    counter: (name, help) => family(name, help, 'counter'),
    gauge: (name, help) => family(name, help, 'gauge'),
    onCollect(fn) {
      collectors.push(fn);
    },
    render() {
      for (const c of collectors) c();
      const out: string[] = [];
      for (const f of families) {
        out.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`);
        if (f.values.size === 0 && f.type === 'gauge') out.push(`${f.name} 0`);
        if (f.values.size === 0 && f.type === 'counter') out.push(`${f.name} 0`);
        for (const [k, v] of f.values) out.push(`${f.name}${k} ${v}`);
      }
      return out.join('\n') + '\n';
    },
  };
}

/** The sniffer's metrics, one place for every name. */
export function createSnifferMetrics(m: Metrics = createMetrics()) {
  return {
    registry: m,
    frames: m.counter('netmapper_sniffer_frames_total', 'Frames captured by libpcap and handed to the decoder.'),
    framesTruncated: m.counter('netmapper_sniffer_frames_truncated_total', 'Frames longer than the capture buffer, decoded truncated.'),
    decoded: m.counter('netmapper_sniffer_decoded_records_total', 'Records decoded from frames, by kind (dns, syn, synack).'),
    decodeSkipped: m.counter('netmapper_sniffer_decode_skipped_total', 'Frames the decoder skipped, by reason.'),
    observations: m.counter('netmapper_sniffer_observations_total', 'Connections observed before aggregation, by source (dns, tcp, socket).'),
    records: m.counter('netmapper_sniffer_records_total', 'Aggregated connection records queued for the controller, by source.'),
    reportsSent: m.counter('netmapper_sniffer_reports_sent_total', 'Reports the controller accepted.'),
    reportsFailed: m.counter('netmapper_sniffer_reports_failed_total', 'Report attempts that failed (network error or HTTP error), including retries.'),
    reportsRejected: m.counter('netmapper_sniffer_reports_rejected_total', 'Reports dropped because the controller rejected them as invalid (HTTP 4xx other than 401/403/408/429).'),
    recordsSent: m.counter('netmapper_sniffer_records_sent_total', 'Connection records delivered to the controller.'),
    backlog: m.gauge('netmapper_sniffer_backlog_records', 'Records waiting to be delivered.'),
    backlogDropped: m.counter('netmapper_sniffer_backlog_dropped_records_total', 'Records dropped (oldest first) because the backlog was full.'),
    socketScans: m.counter('netmapper_sniffer_socket_scans_total', 'Socket scans run.'),
    socketScanNamespaces: m.gauge('netmapper_sniffer_socket_scan_namespaces', 'Network namespaces read by the last socket scan.'),
    socketScanErrors: m.counter('netmapper_sniffer_socket_scan_errors_total', 'Socket scans that failed, and unparsable tcp/tcp6 lines.'),
  };
}

export type SnifferMetrics = ReturnType<typeof createSnifferMetrics>;
