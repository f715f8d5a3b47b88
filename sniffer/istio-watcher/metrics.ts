// The Istio watcher's metrics, one place for every name, on the roles' shared registry type.

import { createMetrics, type Metrics } from '../../controller/common/metrics.ts';

export function createWatcherMetrics(m: Metrics = createMetrics()) {
  return {
    registry: m,
    rounds: m.counter('netmapper_istio_rounds_total', 'Scrape rounds run.'),
    sidecars: m.gauge('netmapper_istio_sidecars', 'Sidecars found by the last round (Running pods with an istio-proxy container).'),
    scrapes: m.counter('netmapper_istio_sidecars_scraped_total', 'Sidecar metrics endpoints (or mesh Prometheus queries) read successfully.'),
    scrapeFailures: m.counter('netmapper_istio_scrape_failures_total', 'Sidecar (or mesh Prometheus) reads that failed, by reason.'),
    scrapeBytes: m.counter('netmapper_istio_scrape_bytes_total', 'Bytes read from sidecar metrics endpoints.'),
    linesSkipped: m.counter('netmapper_istio_lines_skipped_total', 'Malformed Prometheus text lines skipped, by reason.'),
    scrapesTruncated: m.counter('netmapper_istio_scrapes_truncated_total', 'Scrapes cut at --max-samples.'),
    seriesSkipped: m.counter('netmapper_istio_series_skipped_total', 'istio_requests_total series not reported, by reason (no-request-path, unknown-workload, unknown-path, path-cap, ...).'),
    baselines: m.counter('netmapper_istio_baselines_total', 'Pods seen for the first time whose counters were taken as a baseline (history not reported).'),
    proxyRestarts: m.counter('netmapper_istio_proxy_restarts_total', 'Proxy restarts detected (restartCount or envoy_server_uptime going down).'),
    counterResets: m.counter('netmapper_istio_counter_resets_total', 'Series whose counter went down between scrapes.'),
    recordsReported: m.counter('netmapper_istio_records_reported_total', 'HTTP records queued for the controller.'),
    trackedPods: m.gauge('netmapper_istio_tracked_pods', 'Pods whose counters are remembered for deltas.'),
  };
}

export type WatcherMetrics = ReturnType<typeof createWatcherMetrics>;
