// Opt-in per-edge series for a Grafana node-graph panel: netmapper_edge_last_seen_seconds{client, client_namespace,
// server, server_namespace, kind} = when the pair was last seen (Unix seconds). At most `max` series, the most
// recently seen first; the rest are counted in netmapper_edge_series_left_out, so a full map cannot blow up Prometheus.
// Internet destinations are left out (one series per outside name would be unbounded).

import type { Metrics, Sample } from '../common/metrics.ts';
import type { IntentStore } from './store/intent-store.ts';

export const EDGE_SERIES = 'netmapper_edge_last_seen_seconds';
export const EDGE_LEFT_OUT = 'netmapper_edge_series_left_out';

/** Registers the two families, computed from the store at each scrape. */
export function registerEdgeMetrics(metrics: Metrics, store: Pick<IntentStore, 'query'>, max: number): void {
  let leftOut = 0;
  metrics.gauge(EDGE_SERIES, 'When each client/server pair was last seen, Unix seconds (opt-in, capped; for a node graph).', () => {
    const edges = new Map<string, Sample>();
    for (const i of store.query({ excludeInternet: true })) {
      if (!i.server) continue;
      const labels = { client: i.client.name, client_namespace: i.client.namespace, server: i.server.name, server_namespace: i.server.namespace, kind: i.type };
      const key = JSON.stringify(labels);
      const value = Date.parse(i.lastSeen) / 1000;
      const cur = edges.get(key);
      if (!cur || cur.value < value) edges.set(key, { labels, value });
    }
    const all = [...edges.values()];
    leftOut = Math.max(0, all.length - max);
    if (leftOut === 0) return all;
    return all.sort((a, b) => b.value - a.value).slice(0, max);
  });
  // Registered after the edges, so a scrape computes the edges first and this reads the same round's count.
  metrics.gauge(EDGE_LEFT_OUT, `Client/server pairs left out of ${EDGE_SERIES} at the last scrape because of the cap.`, () => leftOut);
}
