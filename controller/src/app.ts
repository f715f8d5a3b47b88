// The controller's HTTP API as a Web-standard fetch handler (Hono). Routes only: every dependency
// (resolution, store, cluster, auth, metrics, clock) is passed in, so tests call `app.request()`.

import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { Authenticator } from './auth/types.ts';
import { API_PATHS, type ReportAccepted } from '../contract/schema.ts';
import { QueryParamError, ReportValidationError, StoreWriteError } from '../common/errors.ts';
import type { Ingest } from './ingest.ts';
import type { Metrics } from '../common/metrics.ts';
import type { IntentStore } from './store/intent-store.ts';
import { parseIntentQuery } from './intent-query.ts';

export const DEFAULT_BODY_LIMIT = 8 * 1024 * 1024;

export interface AppDeps {
  ingest: Ingest;
  store: IntentStore;
  cluster: { isSynced(): boolean };
  auth: Authenticator;
  metrics: Metrics;
  now?: () => Date;
  /** `createExportRoutes(...)` from export/routes.ts: /api/v1/list, /clientintents, /graph.*, `/`. */
  exportRoutes?: Hono;
  /** Report body limit in bytes (`--body-limit`). */
  bodyLimit?: number;
  /** Logs one line per rejected report (main.ts: stderr). */
  log?: (msg: string) => void;
  /** Resolves once the store's changes are durable (a reset is answered after it). */
  commit?: () => Promise<void>;
  /** Answers GET /api/v1/intents off the event loop (export-pool.ts), once its parameters are checked here. */
  intentsAnswer?: (req: Request) => Promise<Response>;
}

/** Every error response: `{ error: { code, message, field? } }`. */
function fail(status: 400 | 401 | 403 | 404 | 413 | 415 | 500 | 503, code: string, message: string, field?: string): never {
  throw new HTTPException(status, { message, cause: { code, field } });
}

export function createApp(deps: AppDeps): Hono {
  const { metrics, store } = deps;
  const now = deps.now ?? (() => new Date());
  const received = metrics.counter('netmapper_reports_received_total', 'Report bodies received on POST /api/v1/reports.');
  const rejected = metrics.counter('netmapper_reports_rejected_total', 'Reports rejected whole, by reason (a bad envelope, auth, size); bad records alone are skipped and counted.');
  metrics.gauge('netmapper_intents_stored', 'Intents in the store.', () => store.size());
  metrics.gauge('netmapper_intents_refused_total', 'New intents refused because the store was full.', () => store.stats().refused, 'counter');
  const app = new Hono();

  app.onError((err, c) => {
    if (err instanceof HTTPException) {
      const { code, field } = (err.cause ?? {}) as { code?: string; field?: string };
      return c.json({ error: { code: code ?? 'http-error', message: err.message || String(err.status), ...(field ? { field } : {}) } }, err.status);
    }
    deps.log?.(`internal error on ${c.req.method} ${c.req.path}: ${(err as Error).stack ?? err}`);
    return c.json({ error: { code: 'internal', message: 'internal error' } }, 500);
  });
  app.notFound((c) => c.json({ error: { code: 'not-found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404));

  const reject = (reason: string, status: Parameters<typeof fail>[0], message: string, field?: string): never => {
    rejected.inc({ reason });
    deps.log?.(`report rejected (${reason}): ${message}`);
    return fail(status, reason, message, field);
  };

  app.post(API_PATHS.reports,
    async (c, next) => {
      received.inc();
      const header = c.req.header('authorization');
      const token = header?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
      let res;
      try {
        res = await deps.auth.verify(token);
      } catch (err) {
        return reject('auth-unavailable', 503, (err as Error).message);
      }
      if (!res.ok) {
        c.header('WWW-Authenticate', 'Bearer realm="netmapper"');   // RFC 6750 §3
        return reject('unauthorized', 401, res.reason);
      }
      await next();
    },
    bodyLimit({ maxSize: deps.bodyLimit ?? DEFAULT_BODY_LIMIT, onError: () => reject('too-large', 413, `body larger than ${deps.bodyLimit ?? DEFAULT_BODY_LIMIT} bytes`) }),
    async (c) => {
      // A missing content type is read as JSON; a different one is a client bug worth naming.
      const type = c.req.header('content-type');
      if (type !== undefined && !/^application\/json\b/i.test(type)) reject('unsupported-media-type', 415, `content-type must be application/json, got ${JSON.stringify(type)}`);
      let body: unknown;
      try {
        body = JSON.parse(await c.req.text());
      } catch (err) {
        return reject('bad-json', 400, `body is not valid JSON: ${(err as Error).message}`);
      }
      let result: ReportAccepted;
      try {
        result = await deps.ingest(body);   // the contract's normalisation first: a bad envelope throws, bad records are skipped
      } catch (err) {
        if (err instanceof ReportValidationError) return reject('invalid-report', 400, err.message, err.field);
        if (err instanceof StoreWriteError) return reject('store-unavailable', 503, err.message);
        throw err;
      }
      return c.json(result satisfies ReportAccepted);
    });

  app.get(API_PATHS.intents, async (c) => {
    let q;
    try {
      q = parseIntentQuery(new URL(c.req.url).searchParams, now());
    } catch (err) {
      if (err instanceof QueryParamError) fail(400, err.code, err.message, err.field);
      throw err;
    }
    if (deps.intentsAnswer) return deps.intentsAnswer(c.req.raw);
    return c.json({ intents: store.query(q) });
  });

  app.post(API_PATHS.reset, async (c) => {
    const removed = store.size();
    store.reset();
    if (deps.commit) await deps.commit();
    return c.json({ reset: true, removed });
  });

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', (c) => (deps.cluster.isSynced()
    ? c.json({ status: 'ready' })
    : c.json({ error: { code: 'not-ready', message: 'the cluster view has not finished its initial lists' } }, 503)));
  app.get('/metrics', async (c) => c.body(await metrics.render(), 200, { 'content-type': metrics.contentType }));

  if (deps.exportRoutes) app.route('/', deps.exportRoutes);
  return app;
}

