// The controller's HTTP API as a Web-standard fetch handler (Hono). Routes only: every dependency
// (resolution, store, cluster, auth, metrics, clock, the socket's peer address) is passed in, so tests
// call `app.request()`. Access (auth/policy.ts): reports need a reporter identity; every other route
// but the probes needs an authorized caller (auth/user-access.ts). `/metrics` is not here: main.ts
// serves `createMetricsApp` on its own port.

import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { OPEN_PATHS, nonResourceVerb } from './auth/policy.ts';
import { bearerToken, type Authenticator, type Reporter } from './auth/types.ts';
import { createUserAccess, type UserAccess } from './auth/user-access.ts';
import { API_PATHS, type ReportAccepted } from '../contract/schema.ts';
import { AuthUnavailableError, QueryParamError, ReportValidationError, StoreWriteError } from '../common/errors.ts';
import { createGraphqlRoutes, GRAPHQL_PATH } from './graphql/index.ts';
import { createOperationAccess } from './auth/operation-access.ts';
import type { Ingest } from './ingest.ts';
import type { Metrics } from '../common/metrics.ts';
import type { IntentStore } from './store/intent-store.ts';
import type { StoreHealth } from './store/durable-store.ts';
import { parseIntentQuery } from './intent-query.ts';
import { DEFAULT_BODY_LIMIT, readBodyText, TOO_LARGE } from './report-body.ts';
import { requestMetrics } from './request-metrics.ts';

export { DEFAULT_BODY_LIMIT };
/** Reports parsed and resolved at once; more are answered 429 (a 1000-record report is ~10 ms of CPU, so
 *  four keep a report's answer within tens of ms while the rest wait at their senders, not in the heap). */
export const DEFAULT_MAX_CONCURRENT_REPORTS = 4;
/** Retry-After (seconds, RFC 9110 §10.2.3) on a 429: the reporter waits this long before sending it again. */
export const REPORT_RETRY_AFTER_S = 1;

export interface AppDeps {
  ingest: Ingest;
  store: IntentStore;
  cluster: { isSynced(): boolean };
  /** Reporters: who may POST reports, with which roles. */
  auth: Authenticator;
  /** Readers and resetters. Default: loopback only (tests that pass no `remoteAddress` must pass one). */
  access?: UserAccess;
  /** The TCP peer of the request (main.ts: the socket's remoteAddress); never a forwarding header. */
  remoteAddress?: (c: Context) => string | undefined;
  metrics: Metrics;
  now?: () => Date;
  /** `createExportRoutes(...)` from export/routes.ts: /api/v1/list, /clientintents, /graph.*, `/`. */
  exportRoutes?: Hono;
  /** Report body limit in bytes (`--body-limit`). */
  bodyLimit?: number;
  /** Reports parsed and resolved at the same time; one more is answered 429 with Retry-After (default DEFAULT_MAX_CONCURRENT_REPORTS). */
  maxConcurrentReports?: number;
  /** Logs one line per rejected report (main.ts: stderr). */
  log?: (msg: string) => void;
  /** Audit lines: resets, with who asked and how many intents went (main.ts: info). */
  audit?: (msg: string) => void;
  /** Resolves once the store's changes are durable (a reset is answered after it). */
  commit?: () => Promise<void>;
  /** Answers GET /api/v1/intents off the event loop (export-pool.ts), once its parameters are checked here. */
  intentsAnswer?: (req: Request) => Promise<Response>;
  /** Whether the store can persist (store/durable-store.ts); the probes report it. Absent: no store file. */
  storeHealth?: () => StoreHealth;
}

/**
 * The probes, on the API port and the metrics port alike. /readyz fails (503) while the cluster view
 * is not synced or the store cannot persist: reports would be refused, so the kubelet takes the pod out
 * of the Service and reporters keep their backlog; it passes again by itself once a write succeeds.
 * /healthz (liveness) stays 200 — a restart frees no disk — but says `degraded` and why.
 */
function addProbes(app: Hono<any>, deps: { cluster: { isSynced(): boolean }; storeHealth?: () => StoreHealth }): void {
  app.get('/healthz', (c) => {
    const h = deps.storeHealth?.();
    return c.json(h && !h.ok ? { status: 'degraded', store: h } : { status: 'ok' });
  });
  app.get('/readyz', (c) => {
    const h = deps.storeHealth?.();
    if (h && !h.ok) return c.json({ error: { code: 'store-unavailable', message: h.error, file: h.file, since: h.since } }, 503);
    return deps.cluster.isSynced()
      ? c.json({ status: 'ready' })
      : c.json({ error: { code: 'not-ready', message: 'the cluster view has not finished its initial lists' } }, 503);
  });
}

export type AppEnv = { Variables: { caller: string; reporter: Reporter } };

/** Every error response: `{ error: { code, message, field? } }`. */
function fail(status: 400 | 401 | 403 | 404 | 413 | 415 | 429 | 500 | 503, code: string, message: string, field?: string): never {
  throw new HTTPException(status, { message, cause: { code, field } });
}

export function createApp(deps: AppDeps): Hono {
  const { metrics, store } = deps;
  const now = deps.now ?? (() => new Date());
  const received = metrics.counter('netmapper_reports_received_total', 'Report bodies received on POST /api/v1/reports.');
  const accepted = metrics.counter('netmapper_reports_accepted_total', 'Reports accepted and ingested (their bad records, if any, skipped and counted).');
  const rejected = metrics.counter('netmapper_reports_rejected_total', 'Reports rejected whole, by reason (a bad envelope, auth, size); bad records alone are skipped and counted.');
  const deferred = metrics.counter('netmapper_reports_deferred_total', 'Reports answered 429 (Retry-After) because the controller was already processing its maximum; the sender keeps them and retries.');
  const reportBodyLimit = deps.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const maxReports = Math.max(1, deps.maxConcurrentReports ?? DEFAULT_MAX_CONCURRENT_REPORTS);
  let reportsInProgress = 0;
  // GraphQL report mutations share the bound but wait for a slot instead of a 429, which Otterize's
  // clients do not retry; a waiter is handed the slot of the report that finishes (FIFO). The waiters are
  // bounded by the server's connection cap.
  const slotWaiters: Array<() => void> = [];
  const releaseSlot = () => { const next = slotWaiters.shift(); if (next) next(); else reportsInProgress--; };
  /** The release of a slot just taken: idempotent, since ingest frees it once resolved and `finally` again. */
  const slotHeld = (): (() => void) => { let held = true; return () => { if (held) { held = false; releaseSlot(); } }; };
  const takeSlot = (): Promise<void> => {
    if (reportsInProgress < maxReports) { reportsInProgress++; return Promise.resolve(); }
    return new Promise<void>((resolve) => slotWaiters.push(resolve));
  };
  const ingestInSlot: Ingest = async (body, reporter, opts) => {
    await takeSlot();
    const leave = slotHeld();
    try {
      return await deps.ingest(body, reporter, { ...opts, resolved: () => { leave(); opts?.resolved?.(); } });
    } finally {
      leave();
    }
  };
  metrics.gauge('netmapper_reports_in_progress', 'Reports being parsed and resolved now (at most the concurrency bound).', () => reportsInProgress);
  metrics.gauge('netmapper_intents_stored', 'Intents in the store.', () => store.size());
  metrics.gauge('netmapper_intents_refused_total', 'New intents refused because the store was full.', () => store.stats().refused, 'counter');
  const denied = metrics.counter('netmapper_access_denied_total', 'Read and reset requests refused, by reason (missing-token, invalid-token, forbidden, loopback-only).');
  const resets = metrics.counter('netmapper_resets_total', 'Map resets, by how the caller was admitted (rbac, loopback, none).');
  const access = deps.access ?? createUserAccess({ mode: 'loopback-only', trustLoopback: true });
  const app = new Hono<AppEnv>();
  app.use('*', requestMetrics(metrics));

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

  // Reads and reset: every route but the probes and reports (which have their own check below).
  app.use('*', async (c, next) => {
    // /query carries reports, reads and resets: its routes check each operation (createOperationAccess below).
    if (OPEN_PATHS.includes(c.req.path) || c.req.path === API_PATHS.reports || c.req.path === GRAPHQL_PATH) return next();
    let d;
    try {
      d = await access.check({ token: bearerToken(c.req.header('authorization')), remoteAddress: deps.remoteAddress?.(c), path: c.req.path, verb: nonResourceVerb(c.req.method) });
    } catch (err) {
      if (err instanceof AuthUnavailableError) { denied.inc({ reason: 'auth-unavailable' }); fail(503, 'auth-unavailable', err.message); }
      throw err;
    }
    if (!d.ok) {
      denied.inc({ reason: d.code });
      if (d.status === 401) c.header('WWW-Authenticate', 'Bearer realm="netmapper"');   // RFC 6750 §3
      fail(d.status, d.code, d.reason);
    }
    c.set('caller', d.via === 'rbac' ? `user ${JSON.stringify(d.user)}` : d.user);
    await next();
  });

  app.post(API_PATHS.reports,
    async (c, next) => {
      received.inc();
      let res;
      try {
        res = await deps.auth.verify(bearerToken(c.req.header('authorization')));
      } catch (err) {
        return reject('auth-unavailable', 503, (err as Error).message);
      }
      if (!res.ok) {
        if (res.status === 401) c.header('WWW-Authenticate', 'Bearer realm="netmapper"');   // RFC 6750 §3
        return reject(res.code, res.status, res.reason);
      }
      c.set('caller', res.user);
      c.set('reporter', res);
      await next();
    },
    async (c) => {
      let text = await readBodyText(c.req, reportBodyLimit);
      if (text === TOO_LARGE) return reject('too-large', 413, `body larger than ${reportBodyLimit} bytes`);
      // A missing content type is read as JSON; a different one is a client bug worth naming.
      const type = c.req.header('content-type');
      if (type !== undefined && !/^application\/json\b/i.test(type)) reject('unsupported-media-type', 415, `content-type must be application/json, got ${JSON.stringify(type)}`);
      // A bounded number of reports are parsed and resolved at once; past it the sender is told to come
      // back (429 is not an acknowledgement: the report stays with its sender). Asked once the body is
      // read: a slow upload holds no slot, and answering before the body is read makes the server cut the
      // connection mid-upload (measured: a third of such senders saw a socket error instead of the 429).
      // The slot covers the CPU work only, not the wait for durability, so concurrent reports share one fsync.
      // While the store cannot persist, nothing is taken in: a refused report's records would otherwise
      // sit in memory, be saved at recovery and then counted again when the sender retries it.
      const health = deps.storeHealth?.();
      if (health && !health.ok) {
        c.header('Retry-After', String(REPORT_RETRY_AFTER_S));
        return reject('store-unavailable', 503, `the store ${health.file} cannot persist reports since ${health.since}: ${health.error}; the sender keeps the report and retries`);
      }
      if (reportsInProgress >= maxReports) {
        deferred.inc();
        c.header('Retry-After', String(REPORT_RETRY_AFTER_S));
        return fail(429, 'busy', `${maxReports} reports are being processed; retry after ${REPORT_RETRY_AFTER_S} s`);
      }
      reportsInProgress++;
      const leave = slotHeld();
      try {
        let body: unknown;
        try {
          body = JSON.parse(text);
          text = '';   // not held while the records are resolved (a report's text is about as large as its parsed records)
        } catch (err) {
          return reject('bad-json', 400, `body is not valid JSON: ${(err as Error).message}`);
        }
        let result: ReportAccepted;
        try {
          result = await deps.ingest(body, c.get('reporter'), { resolved: leave });   // the contract's normalisation first: a bad envelope throws, bad records are skipped
        } catch (err) {
          if (err instanceof ReportValidationError) return reject('invalid-report', 400, err.message, err.field);
          if (err instanceof StoreWriteError) return reject('store-unavailable', 503, err.message);
          throw err;
        }
        accepted.inc();
        return c.json(result satisfies ReportAccepted);
      } finally {
        leave();
      }
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
    const caller = c.get('caller');
    resets.inc({ via: caller.startsWith('user ') ? 'rbac' : caller.startsWith('loopback') ? 'loopback' : 'none' });
    deps.audit?.(`reset by ${caller}: removed ${removed} intents`);
    return c.json({ reset: true, removed });
  });

  addProbes(app, deps);

  // Otterize's API (GraphQL at /query): each operation checked as the REST route it stands for
  // (auth/operation-access.ts): report mutations need a reporter, queries read access, resetCapture reset access.
  const authorize = createOperationAccess({
    auth: deps.auth, access,
    ...(deps.remoteAddress ? { remoteAddress: deps.remoteAddress } : {}),
    onDenied: (kind, reason, message) => {
      if (kind === 'report') { rejected.inc({ reason }); deps.log?.(`GraphQL report refused (${reason}): ${message}`); } else denied.inc({ reason });
    },
  });
  const onReset = async (caller: string | undefined, removed: number) => {
    if (deps.commit) await deps.commit();
    resets.inc({ via: caller?.startsWith('user ') ? 'rbac' : caller?.startsWith('loopback') ? 'loopback' : 'none' });
    deps.audit?.(`reset (GraphQL resetCapture) by ${caller ?? 'unknown'}: removed ${removed} intents`);
  };
  app.route('/', createGraphqlRoutes({ ingest: ingestInSlot, store, auth: deps.auth, authorize, onReset, metrics, now, bodyLimit: deps.bodyLimit, log: deps.log }));
  if (deps.exportRoutes) app.route('/', deps.exportRoutes);
  return app as unknown as Hono;   // the per-request variables are this file's business
}

/** The metrics listener's app (main.ts, `--metrics-port`): `/metrics` and the probes, nothing else. */
export function createMetricsApp(deps: { metrics: Metrics; cluster: { isSynced(): boolean }; storeHealth?: () => StoreHealth }): Hono {
  const app = new Hono();
  app.get('/metrics', async (c) => c.body(await deps.metrics.render(), 200, { 'content-type': deps.metrics.contentType }));
  addProbes(app, deps);
  app.notFound((c) => c.json({ error: { code: 'not-found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404));
  return app;
}

