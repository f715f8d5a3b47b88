// The Istio watcher's metrics, one place for every name (prom-client).

import { Counter, Gauge, Registry } from 'prom-client';

export function createWatcherMetrics(registry: Registry = new Registry()) {
  const counter = (name: string, help: string, labelNames: string[] = []) => new Counter({ name, help, labelNames, registers: [registry] });
  const gauge = (name: string, help: string) => new Gauge({ name, help, registers: [registry] });
  return {
    registry,
    rounds: counter('netmapper_istio_rounds_total', 'Scrape rounds run.'),
    sidecars: gauge('netmapper_istio_sidecars', 'Sidecars found by the last round (Running pods with an istio-proxy container).'),
    scrapes: counter('netmapper_istio_sidecars_scraped_total', 'Sidecar metrics endpoints read successfully.'),
    scrapeFailures: counter('netmapper_istio_scrape_failures_total', 'Sidecar (or mesh Prometheus) reads that failed, by reason.', ['reason']),
    scrapeBytes: counter('netmapper_istio_scrape_bytes_total', 'Bytes read from sidecar metrics endpoints.'),
    linesSkipped: counter('netmapper_istio_lines_skipped_total', 'Malformed Prometheus text lines skipped, by reason.', ['reason']),
    scrapesTruncated: counter('netmapper_istio_scrapes_truncated_total', 'Scrapes cut at --max-samples.'),
    seriesSkipped: counter('netmapper_istio_series_skipped_total', 'istio_requests_total series not reported, by reason (no-request-path, unknown-workload, unknown-path, path-cap, ...).', ['reason']),
    baselines: counter('netmapper_istio_baselines_total', 'Pods seen for the first time whose counters were taken as a baseline (history not reported).'),
    proxyRestarts: counter('netmapper_istio_proxy_restarts_total', 'Proxy restarts detected (restartCount or envoy_server_uptime going down).'),
    counterResets: counter('netmapper_istio_counter_resets_total', 'Series whose counter went down between scrapes.'),
    recordsReported: counter('netmapper_istio_records_reported_total', 'HTTP records queued for the controller.'),
    trackedPods: gauge('netmapper_istio_tracked_pods', 'Pods whose counters are remembered for deltas.'),
  };
}

export type WatcherMetrics = ReturnType<typeof createWatcherMetrics>;
