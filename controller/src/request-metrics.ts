// Request latency of the API, as one Prometheus histogram: reports, intents and every export format. The route
// label is the matched pattern (`/api/v1/clientintents/:name`), never the raw path, so its values are bounded.

import type { Context, MiddlewareHandler } from 'hono';
import type { Metrics } from '../common/metrics.ts';

export const REQUEST_DURATION = 'netmapper_http_request_duration_seconds';

/** The handler's route pattern; `unmatched` when only middleware ran (404s). */
function routeOf(c: Context): string {
  const handlers = c.req.matchedRoutes.filter((r) => r.method !== 'ALL');
  return handlers.at(-1)?.path ?? 'unmatched';
}

/** Times every request from arrival to the response head (a streamed body, such as SSE, is not waited for). */
export function requestMetrics(metrics: Metrics, now: () => number = () => performance.now()): MiddlewareHandler {
  const histogram = metrics.histogram(REQUEST_DURATION, 'Time to answer API requests (reports, intents, exports), by route pattern, method and status code.', ['route', 'method', 'code']);
  return async (c, next) => {
    const start = now();
    await next();
    histogram.observe({ route: routeOf(c), method: c.req.method, code: String(c.res.status) }, (now() - start) / 1000);
  };
}
