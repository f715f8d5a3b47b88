// The one HTTP reporter: POST /api/v1/reports, one report per batch, oldest first. While the
// controller is away, batches wait in a backlog bounded by record count; past the bound the oldest
// records go first and are counted. Retries back off exponentially (with jitter, so a fleet of
// sniffers does not stampede a restarted controller). The bearer token is re-read from its file for
// every attempt, because projected service-account tokens rotate. A 413 splits the report in halves
// (down to one record) instead of dropping it; what is still refused is counted by reason. A busy
// controller's 429 (or a 503) with Retry-After is not a failure to back off from: the same report is
// sent again after the time it asked for (the backlog's bound still holds meanwhile).

import { readFile } from 'node:fs/promises';
import { API_PATHS, type ConnectionRecord } from '../../controller/contract/schema.ts';
import { createBackoff, sleep } from '../../controller/common/retry.ts';
import type { Logger } from '../../controller/common/log.ts';
import type { SnifferMetrics } from './metrics.ts';
import { buildReport, MAX_RECORDS_PER_REPORT, splitRecords } from './reports.ts';

export interface ReporterOptions {
  controllerUrl: string;
  node: string;
  /** Empty: no Authorization header. */
  tokenFile: string;
  backlogMax: number;
  metrics: SnifferMetrics;
  log: Logger;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  timeoutMs?: number;
  /** Larger intervals are split so one POST stays well under the controller's body limit. */
  maxRecordsPerReport?: number;
  /** How a report is sent; default the global fetch (the live sniffer passes node:http's, live-http-post.ts). */
  post?: PostReport;
}

/** The part of fetch the reporter uses. */
export type PostReport = (url: string, init: { method: 'POST'; headers: Record<string, string>; body: string; signal: AbortSignal })
  => Promise<{ ok: boolean; status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>;

export interface Reporter {
  enqueue(records: ConnectionRecord[]): void;
  /** Delivers until `signal` aborts. */
  runForever(signal: AbortSignal): Promise<void>;
  /** Resolves true once the backlog is empty, false after `timeoutMs`. */
  drained(timeoutMs: number): Promise<boolean>;
  readonly backlog: number;
  /** Totals since start (replay --mapper-url exits 0 only when nothing was rejected or dropped). */
  stats(): ReporterStats;
}

export interface ReporterStats { reportsSent: number; recordsSent: number; recordsRejected: number; recordsDropped: number }

type Outcome = 'sent' | 'retry' | { retryAfterMs: number } | 'too-large' | { rejected: string };

const HTTP_PAYLOAD_TOO_LARGE = 413;   // RFC 9110 §15.5.14

/** The controller's error code (`{ error: { code } }`), else `http-<status>`. */
function reasonOf(status: number, body: string): string {
  try {
    const code = (JSON.parse(body) as { error?: { code?: unknown } }).error?.code;
    if (typeof code === 'string' && /^[a-z0-9-]{1,64}$/.test(code)) return code;
  } catch { /* not JSON */ }
  return `http-${status}`;
}

/** Longest Retry-After honoured (a larger one, or a date further away, waits this long). */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;

/**
 * Retry-After (RFC 9110 §10.2.3) in ms from `now`: delay-seconds or an HTTP-date; undefined when absent
 * or not one of those. Capped at MAX_RETRY_AFTER_MS; a date in the past is 0.
 */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  const v = header.trim();
  if (/^\d+$/.test(v)) return Math.min(Number(v) * 1000, MAX_RETRY_AFTER_MS);
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(v)) return undefined;   // IMF-fixdate
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS) : undefined;
}

/** HTTP statuses worth retrying: auth may be fixed by a rotated token, the rest are transient (RFC 9110 §15.5–15.6). */
const RETRYABLE = new Set([401, 403, 408, 425, 429]);

export function createReporter(opts: ReporterOptions): Reporter {
  const { metrics, log } = opts;
  const url = opts.controllerUrl + API_PATHS.reports;
  const backoff = createBackoff({ initialMs: opts.initialBackoffMs ?? 500, maxMs: opts.maxBackoffMs ?? 30_000, jitter: 0.2 });
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const perReport = opts.maxRecordsPerReport ?? MAX_RECORDS_PER_REPORT;
  const post = opts.post ?? fetch;

  const queue: ConnectionRecord[][] = [];
  let held = 0;
  let inFlight: ConnectionRecord[] | undefined;
  let wake: (() => void) | undefined;
  const emptyWaiters = new Set<() => void>();
  const totals: ReporterStats = { reportsSent: 0, recordsSent: 0, recordsRejected: 0, recordsDropped: 0 };

  const setBacklog = () => metrics.backlog.set(held);

  /** Drops oldest records until the bound holds; the batch on the wire is only cut once it has failed. */
  function enforceBound() {
    let excess = held - opts.backlogMax;
    for (let i = 0; excess > 0 && i < queue.length;) {
      const batch = queue[i]!;
      if (batch === inFlight) { i++; continue; }
      const n = Math.min(excess, batch.length);
      batch.splice(0, n);
      held -= n; excess -= n;
      metrics.backlogDropped.inc(undefined, n);
      totals.recordsDropped += n;
      if (batch.length === 0) queue.splice(i, 1);
    }
    setBacklog();
  }

  async function token(): Promise<string | undefined> {
    if (!opts.tokenFile) return undefined;
    return (await readFile(opts.tokenFile, 'utf8')).trim();
  }

  async function send(records: ConnectionRecord[], stop: AbortSignal): Promise<Outcome> {
    const report = buildReport(opts.node, new Date(), records);
    try {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const t = await token();
      if (t) headers.authorization = `Bearer ${t}`;
      const res = await post(url, { method: 'POST', headers, body: JSON.stringify(report), signal: AbortSignal.any([stop, AbortSignal.timeout(timeoutMs)]) });
      const body = await res.text().catch(() => '');
      if (res.ok) return 'sent';
      metrics.reportsFailed.inc();
      if (res.status === HTTP_PAYLOAD_TOO_LARGE && records.length > 1) {
        log.warn('report too large for the controller; splitting it', { records: records.length });
        return 'too-large';
      }
      if (res.status >= 400 && res.status < 500 && !RETRYABLE.has(res.status)) {
        log.error('controller rejected a report; dropping it', { status: res.status, records: records.length, body: body.slice(0, 300) });
        return { rejected: reasonOf(res.status, body) };
      }
      const after = res.status === 429 || res.status === 503 ? retryAfterMs(res.headers.get('retry-after')) : undefined;
      if (after !== undefined) {
        log.debug('controller busy; sending the report again after its Retry-After', { status: res.status, retryAfterMs: after, records: records.length });
        return { retryAfterMs: after };
      }
      log.warn('report failed; will retry', { status: res.status, body: body.slice(0, 300) });
      return 'retry';
    } catch (err) {
      metrics.reportsFailed.inc();
      log.warn('report failed; will retry', { error: err instanceof Error ? `${err.message}${err.cause ? `: ${String((err.cause as Error).message ?? err.cause)}` : ''}` : String(err) });
      return 'retry';
    }
  }

  return {
    enqueue(records) {
      for (const batch of splitRecords(records, perReport)) {
        queue.push(batch);
        held += batch.length;
      }
      enforceBound();
      wake?.();
    },

    async runForever(signal) {
      while (!signal.aborted) {
        if (queue.length === 0) {
          for (const w of emptyWaiters) w();
          await new Promise<void>((resolve) => {
            const done = () => { signal.removeEventListener('abort', done); wake = undefined; resolve(); };
            wake = done;
            signal.addEventListener('abort', done, { once: true });
          });
          continue;
        }
        const batch = (inFlight = queue[0]!);
        const outcome = await send(batch, signal);
        inFlight = undefined;
        if (outcome === 'retry') {
          enforceBound(); // the failed batch is the oldest: now it may be cut too
          await sleep(backoff.next(), signal);
          continue;
        }
        if (typeof outcome === 'object' && 'retryAfterMs' in outcome) {
          // The controller asked for this wait: no exponential step (it answered, it is busy), and up to
          // 20% more so a fleet told the same second does not come back at the same instant.
          enforceBound();
          await sleep(outcome.retryAfterMs * (1 + 0.2 * Math.random()), signal);
          continue;
        }
        backoff.reset();
        const at = queue.indexOf(batch);
        if (outcome === 'too-large') {
          // Same records, same place in the queue, two smaller reports: sent next, no backoff.
          const half = Math.ceil(batch.length / 2);
          if (at >= 0) queue.splice(at, 1, batch.slice(0, half), batch.slice(half));
          continue;
        }
        if (at >= 0) { queue.splice(at, 1); held -= batch.length; }
        setBacklog();
        if (outcome === 'sent') {
          log.debug('report delivered', { records: batch.length, backlog: held });
          metrics.reportsSent.inc();
          metrics.recordsSent.inc(undefined, batch.length);
          totals.reportsSent++;
          totals.recordsSent += batch.length;
        } else {
          metrics.reportsRejected.inc();
          metrics.recordsRejected.inc({ reason: outcome.rejected }, batch.length);
          totals.recordsRejected += batch.length;
        }
      }
    },

    drained(timeoutMs) {
      if (queue.length === 0) return Promise.resolve(true);
      return new Promise((resolve) => {
        const done = (v: boolean) => { clearTimeout(t); emptyWaiters.delete(ok); resolve(v); };
        const ok = () => done(true);
        const t = setTimeout(() => done(false), timeoutMs);
        emptyWaiters.add(ok);
      });
    },

    get backlog() {
      return held;
    },

    stats: () => ({ ...totals }),
  };
}
