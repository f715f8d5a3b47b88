// The mesh Prometheus instead of the sidecars: one instant query per round, `increase()` over a window,
// summed by the labels the map needs. Prometheus already handles counter resets and first sight (an
// increase only covers the window), so no per-pod state is kept and no pod access is needed.
// API: https://prometheus.io/docs/prometheus/latest/querying/api/#instant-queries

import { CONTROL, unnamed, type RequestSeries } from './requests.ts';
import { scrape, type ScrapeFailure } from './scrape.ts';

export const GROUP_LABELS = ['source_workload', 'source_workload_namespace', 'destination_workload', 'destination_workload_namespace',
  'destination_service_name', 'request_method', 'request_path'] as const;

/** `sum by (…) (increase(istio_requests_total{request_path!=""}[2m]))`. */
export function requestsQuery(windowSeconds: number): string {
  return `sum by (${GROUP_LABELS.join(', ')}) (increase(istio_requests_total{request_path!=""}[${Math.max(1, Math.round(windowSeconds))}s]))`;
}

export type QueryResult =
  | { series: RequestSeries[]; skipped: Record<string, number> }
  | { failure: ScrapeFailure | 'bad-response' | 'query-error'; detail: string };


/** Reads a Prometheus `vector` answer into series whose `value` is the increase. */
export function seriesFromQueryResponse(body: string): QueryResult {
  let doc: any;
  try { doc = JSON.parse(body); } catch { return { failure: 'bad-response', detail: 'not JSON' }; }
  if (doc?.status !== 'success') return { failure: 'query-error', detail: `${doc?.errorType ?? 'error'}: ${String(doc?.error ?? '').slice(0, 200)}` };
  if (doc.data?.resultType !== 'vector' || !Array.isArray(doc.data.result)) return { failure: 'bad-response', detail: 'expected a vector result' };
  const series: RequestSeries[] = [];
  const skipped: Record<string, number> = {};
  const skip = (r: string) => { skipped[r] = (skipped[r] ?? 0) + 1; };
  for (const item of doc.data.result as unknown[]) {
    const m = (item as { metric?: Record<string, unknown> })?.metric;
    const v = (item as { value?: unknown[] })?.value;
    const value = Array.isArray(v) && typeof v[1] === 'string' ? Number(v[1]) : NaN;
    if (!m || typeof m !== 'object' || !Number.isFinite(value) || value < 0) { skip('bad-sample'); continue; }
    if (unnamed(m.request_path)) { skip('unknown-path'); continue; }
    if (unnamed(m.source_workload) || unnamed(m.source_workload_namespace) || unnamed(m.destination_workload) || unnamed(m.destination_workload_namespace)) {
      skip('unknown-workload');
      continue;
    }
    const [sw, sn, dw, dn, path] = [m.source_workload, m.source_workload_namespace, m.destination_workload, m.destination_workload_namespace, m.request_path] as string[];
    if (CONTROL.test(sw! + sn! + dw! + dn! + path!)) { skip('control-characters'); continue; }
    if (value === 0) continue;   // no traffic in the window
    const s: RequestSeries = {
      key: JSON.stringify(GROUP_LABELS.map((l) => m[l] ?? '')), srcWorkload: sw!, srcNamespace: sn!, dstWorkload: dw!, dstNamespace: dn!,
      method: typeof m.request_method === 'string' ? m.request_method : '', path: path!, value,
    };
    if (!unnamed(m.destination_service_name)) s.dstService = m.destination_service_name as string;
    series.push(s);
  }
  return { series, skipped };
}

export interface MeshQueryOptions {
  /** Prometheus base URL, e.g. http://prometheus.istio-system:9090. */
  url: string;
  windowSeconds: number;
  timeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal;
}

/** Runs the query; every failure is a value with a reason. */
export async function queryMeshPrometheus(opts: MeshQueryOptions): Promise<QueryResult> {
  const u = new URL('api/v1/query', opts.url.endsWith('/') ? opts.url : `${opts.url}/`);
  u.searchParams.set('query', requestsQuery(opts.windowSeconds));
  const r = await scrape(u.toString(), { timeoutMs: opts.timeoutMs, maxBytes: opts.maxBytes, ...(opts.signal ? { signal: opts.signal } : {}) });
  if ('failure' in r) return r;
  return seriesFromQueryResponse(r.body);
}
