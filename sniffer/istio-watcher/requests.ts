// istio_requests_total samples → request series: who called whom, with which method on which path.
// The path and method labels exist only when an Istio Telemetry resource adds `request_path` and
// `request_method` to REQUEST_COUNT (README); series without a path, or with a workload Istio could
// not name (`unknown`), are skipped and counted.

import type { Sample } from './prom-text.ts';

export const REQUESTS_METRIC = 'istio_requests_total';
/** Envoy's uptime gauge (seconds); when it goes down the proxy restarted and every counter began again. */
export const UPTIME_METRIC = 'envoy_server_uptime';

/** One counter series of one proxy, reduced to what the map needs. */
export interface RequestSeries {
  /** Identity of the series within its proxy: every label, canonically ordered. */
  key: string;
  srcWorkload: string;
  srcNamespace: string;
  dstWorkload: string;
  dstNamespace: string;
  /** destination_service_name, when Istio knew it. */
  dstService?: string;
  /** As Envoy saw it; may be empty or `unknown` (then the path is kept with no method). */
  method: string;
  path: string;
  /** The counter's value (requests since the proxy started). */
  value: number;
}

export type RequestSkipReason = 'no-request-path' | 'unknown-workload' | 'unknown-path' | 'bad-counter' | 'control-characters';

export interface Extracted {
  series: RequestSeries[];
  skipped: Partial<Record<RequestSkipReason, number>>;
  /** envoy_server_uptime in the same scrape, when present. */
  uptimeSeconds?: number;
}

/** Istio writes `unknown` for a peer it could not identify (outside the mesh, no metadata exchange). */
export const unnamed = (v: unknown): boolean => typeof v !== 'string' || v === '' || v === 'unknown';
/** The controller refuses names with control characters (C0, DEL); better one series skipped here than a report refused there. */
export const CONTROL = /[\u0000-\u001f\u007f]/;

/** A label set as one string, independent of the order the proxy printed labels in. */
export function seriesKey(labels: ReadonlyMap<string, string>): string {
  return JSON.stringify([...labels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Picks the request series out of a parsed scrape.
 * @example extractRequests(parsePrometheusText(body, { names: SCRAPED_METRICS }).samples)
 */
export function extractRequests(samples: readonly Sample[]): Extracted {
  const out: Extracted = { series: [], skipped: {} };
  const skip = (r: RequestSkipReason) => { out.skipped[r] = (out.skipped[r] ?? 0) + 1; };
  for (const s of samples) {
    if (s.name === UPTIME_METRIC) {
      if (Number.isFinite(s.value) && s.value >= 0) out.uptimeSeconds = s.value;
      continue;
    }
    if (s.name !== REQUESTS_METRIC) continue;
    const l = s.labels;
    if (!Number.isFinite(s.value) || s.value < 0) { skip('bad-counter'); continue; }
    const path = l.get('request_path');
    if (path === undefined) { skip('no-request-path'); continue; }
    if (unnamed(path)) { skip('unknown-path'); continue; }
    const srcWorkload = l.get('source_workload'), srcNamespace = l.get('source_workload_namespace');
    const dstWorkload = l.get('destination_workload'), dstNamespace = l.get('destination_workload_namespace');
    if (unnamed(srcWorkload) || unnamed(srcNamespace) || unnamed(dstWorkload) || unnamed(dstNamespace)) { skip('unknown-workload'); continue; }
    if (CONTROL.test(path!) || CONTROL.test(srcWorkload! + srcNamespace! + dstWorkload! + dstNamespace!)) { skip('control-characters'); continue; }
    const series: RequestSeries = {
      key: seriesKey(l), srcWorkload: srcWorkload!, srcNamespace: srcNamespace!, dstWorkload: dstWorkload!, dstNamespace: dstNamespace!,
      method: l.get('request_method') ?? '', path: path!, value: s.value,
    };
    const svc = l.get('destination_service_name');
    if (!unnamed(svc)) series.dstService = svc;
    out.series.push(series);
  }
  return out;
}

/** The metric names a scrape is parsed for; everything else is passed over. */
export const SCRAPED_METRICS: ReadonlySet<string> = new Set([REQUESTS_METRIC, UPTIME_METRIC]);
