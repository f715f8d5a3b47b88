// Runs the heavy export routes in a worker thread (export-worker.ts) with a heap cap and a time cap,
// and caches each answer per store revision. The main thread only freezes the store (pointer copies),
// sends it in chunks (yielding between them) when the worker's copy is stale, and streams the answer
// through: chunks move from the worker as the client reads them, a few ahead at most (backpressure),
// so neither thread holds a large answer whole. A failure after the status was sent breaks the
// connection off (the client sees an error, not a short answer). The time cap covers the whole answer.
// A render that runs past its time is ended by terminating the worker (a stuck Graphviz layout
// cannot be interrupted otherwise); one that runs out of heap kills only the worker. Both answer 503
// with a message that says so; the next request starts a fresh worker.

import { Worker } from 'node:worker_threads';
import { Hono, type Context } from 'hono';
import { frozenJsonChunks, intentJsonChunks, type IntentStore } from '../store/intent-store.ts';
import type { FromWorker, ToWorker } from './export-worker.ts';

/** Set by the build (esbuild `define`): the code runs from dist/, where the worker is export-worker.js. */
declare const NETMAPPER_DIST: boolean | undefined;

/** The paths answered by the worker; everything else stays with the in-process routes. */
export const WORKER_PATHS = ['/api/v1/intents', '/api/v1/list', '/api/v1/clientintents', '/api/v1/graph.dot', '/api/v1/graph.svg', '/api/v1/graph.png', '/api/v1/graph.jpg'];

export interface ExportPoolOptions {
  store: Pick<IntentStore, 'frozen' | 'revision' | 'drainChanges'>;
  /** Worker heap cap (V8 old generation), MiB. */
  maxHeapMb: number;
  /** Longest a single export may run, ms (including loading the store copy). */
  timeoutMs: number;
  /** Answers kept (per revision and URL); 0 disables caching. */
  cacheEntries?: number;
  /** Bytes of cached answers kept at most. */
  cacheBytes?: number;
  log?: (msg: string) => void;
}

export interface ExportPool {
  /** Mount before the in-process export routes: `new Hono().route('/', pool.routes).route('/', createExportRoutes(...))`. */
  routes: Hono;
  /** Answers one of WORKER_PATHS (tests and the bench call it directly); throws ExportUnavailableError. */
  answer(url: string, headers?: Headers): Promise<Response>;
  /** `answer` for a Request, with the 503 rendered (app.ts's GET /api/v1/intents, after its own checks). */
  respond(req: Request): Promise<Response>;
  close(): Promise<void>;
  /** maxBufferedBytes: the most bytes of streamed answers held here at once, waiting for slow readers. */
  stats(): { renders: number; cacheHits: number; timeouts: number; crashes: number; aborted: number; cancelled: number; maxBufferedBytes: number };
}

export class ExportUnavailableError extends Error {
  constructor(readonly code: 'export-timeout' | 'export-out-of-memory' | 'export-failed', message: string) {
    super(message);
  }
}


/** The built worker in dist/; from sources (tests, tsx), export-worker-source.mjs, which registers tsx in the
 *  worker first (a build never takes that path). */
function newWorker(resourceLimits: { maxOldGenerationSizeMb: number }): Worker {
  const file = typeof NETMAPPER_DIST !== 'undefined' ? './export-worker.js' : './export-worker-source.mjs';
  return new Worker(new URL(file, import.meta.url), { resourceLimits });
}

const tick = () => new Promise<void>((r) => setImmediate(r));

/** One answer being streamed from the worker. */
interface Active {
  head(m: FromWorker & { type: 'head' }): void;
  chunk(data: ArrayBuffer): void;
  end(): void;
  fail(err: Error): void;
}

export function createExportPool(opts: ExportPoolOptions): ExportPool {
  const cacheEntries = opts.cacheEntries ?? 16;
  const cacheBytes = opts.cacheBytes ?? 64 * 1024 * 1024;
  const cache = new Map<string, { status: number; headers: Array<[string, string]>; parts: ArrayBuffer[]; bytes: number }>();
  let cachedBytes = 0;
  const stats = { renders: 0, cacheHits: 0, timeouts: 0, crashes: 0, aborted: 0, cancelled: 0, maxBufferedBytes: 0 };
  let buffered = 0;   // bytes received from the worker and not yet taken by a reader
  let worker: Worker | undefined;
  let workerRevision = -1;
  let nextId = 1;
  const active = new Map<number, Active>();
  let loadWaiter: { resolve: (m: FromWorker) => void; reject: (e: Error) => void } | undefined;
  let chain: Promise<void> = Promise.resolve();   // one export at a time: one worker, one heap

  function failAll(err: Error) {
    for (const a of [...active.values()]) a.fail(err);
    active.clear();
    loadWaiter?.reject(err);
    loadWaiter = undefined;
  }

  function spawn(): Worker {
    const w = newWorker({ maxOldGenerationSizeMb: opts.maxHeapMb });
    w.unref();
    w.on('message', (m: FromWorker) => {
      if (m.type === 'loaded') { const l = loadWaiter; loadWaiter = undefined; l?.resolve(m); return; }
      const a = active.get(m.id);
      if (!a) return;   // cancelled by its reader
      if (m.type === 'head') a.head(m);
      else if (m.type === 'chunk') a.chunk(m.data);
      else if (m.type === 'end') a.end();
      else a.fail(new ExportUnavailableError('export-failed', `the export failed while it was being sent: ${m.message}`));
    });
    const gone = (err: Error) => {
      if (worker !== w) return;
      worker = undefined;
      workerRevision = -1;
      failAll(err);
    };
    w.on('error', (err: Error & { code?: string }) => {
      stats.crashes++;
      const oom = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
      opts.log?.(`export worker ${oom ? 'ran out of its heap cap' : 'failed'}: ${err.message}`);
      gone(oom
        ? new ExportUnavailableError('export-out-of-memory', `the export needs more than the export worker's ${opts.maxHeapMb} MiB heap (--export-heap); narrow it with namespaces= or server=`)
        : new ExportUnavailableError('export-failed', `the export worker failed: ${err.message}`));
    });
    w.on('exit', (code) => gone(new ExportUnavailableError('export-failed', `the export worker exited (${code})`)));
    return w;
  }

  /**
   * Brings the worker's copy to the store as of now, one chunk per message (yielding between them), so
   * no side holds the whole JSON: only what changed since its last load when it has a copy (reports keep
   * changing the store, and re-sending 100k intents per export was most of an export's cost under load),
   * else the whole store.
   */
  async function load(w: Worker): Promise<void> {
    const revision = opts.store.revision();
    // Taken in the same turn as the revision: the delta and the revision describe the same store.
    const delta = opts.store.drainChanges();
    const changes = delta.full || workerRevision === -1 ? undefined : delta;
    const parts = changes ? intentJsonChunks(changes.changed) : frozenJsonChunks(opts.store.frozen());
    const loaded = new Promise<FromWorker>((resolve, reject) => { loadWaiter = { resolve, reject }; });
    loaded.catch(() => {});   // awaited below; a worker lost mid-load must not be an unhandled rejection meanwhile
    w.postMessage({ type: 'load-begin', revision, full: !changes } satisfies ToWorker);
    for (const part of parts) {
      if (worker !== w) break;
      w.postMessage({ type: 'load-part', part } satisfies ToWorker);
      await tick();   // the event loop gets a turn between chunks
    }
    w.postMessage({ type: 'load-end', removed: changes?.removed ?? [] } satisfies ToWorker);
    await loaded;
    workerRevision = revision;
  }

  /**
   * Starts one export; resolves with the Response once the worker sent the status and headers. The
   * body is a pulled stream: a chunk is taken from the worker only as the reader asks (STREAM_WINDOW
   * ahead at most); a failure after the head errors the stream, so the client's connection is broken
   * off instead of ending like a whole answer. `done` is called once the export no longer uses the worker.
   */
  function start(url: string, headers: Array<[string, string]>, done: () => void): Promise<Response> {
    return new Promise<Response>((resolve, reject) => {
      let finished = false;
      let id = 0;
      let headSent = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        active.delete(id);
        done();
      };
      const timer = setTimeout(() => {
        stats.timeouts++;
        const w = worker;
        const err = new ExportUnavailableError('export-timeout', `the export ran past its ${opts.timeoutMs / 1000} s cap (--export-timeout) and was stopped; narrow it with namespaces= or server=`);
        worker = undefined;
        workerRevision = -1;
        failAll(err);
        if (!headSent) { finish(); reject(err); }
        void w?.terminate();
      }, opts.timeoutMs);

      void (async () => {
        worker ??= spawn();
        const w = worker;
        if (workerRevision !== opts.store.revision()) await load(w);
        if (finished) return;
        const revision = workerRevision;
        id = nextId++;
        const queue: ArrayBuffer[] = [];
        let ended = false;
        let failed: Error | undefined;
        let wake: (() => void) | undefined;
        let keep: { parts: ArrayBuffer[]; bytes: number } | undefined = cacheEntries > 0 ? { parts: [], bytes: 0 } : undefined;
        let status = 0, resHeaders: Array<[string, string]> = [];
        const poke = () => { const f = wake; wake = undefined; f?.(); };
        const stream = new ReadableStream<Uint8Array>({
          async pull(ctrl) {
            while (!queue.length && !ended && !failed) await new Promise<void>((r) => { wake = r; });
            if (failed) { ctrl.error(failed); return; }
            const data = queue.shift();
            if (data) {
              buffered -= data.byteLength;
              ctrl.enqueue(new Uint8Array(data));
              if (!ended && worker === w) w.postMessage({ type: 'credit', id, n: 1 } satisfies ToWorker);
              return;
            }
            ctrl.close();
          },
          cancel() {
            // The client went away: the worker stops producing, and the next export may start.
            for (const d of queue) buffered -= d.byteLength;
            queue.length = 0;
            if (!ended && !failed) { stats.cancelled++; if (worker === w) w.postMessage({ type: 'cancel', id } satisfies ToWorker); }
            finish();
          },
        }, { highWaterMark: 0 });
        active.set(id, {
          head(m) {
            headSent = true;
            status = m.status;
            resHeaders = m.headers;
            if (status !== 200) keep = undefined;
            resolve(new Response(stream, { status, headers: m.headers }));
          },
          chunk(data) {
            queue.push(data);
            buffered += data.byteLength;
            if (buffered > stats.maxBufferedBytes) stats.maxBufferedBytes = buffered;
            if (keep) {
              keep.parts.push(data);   // the same bytes the reader gets (never written to): no copy
              keep.bytes += data.byteLength;
              if (keep.bytes > cacheBytes / 4) keep = undefined;
            }
            poke();
          },
          end() {
            ended = true;
            poke();
            if (keep) remember(`${revision}\u0000${url}`, { status, headers: resHeaders, parts: keep.parts, bytes: keep.bytes });
            finish();
          },
          fail(err) {
            if (!headSent) { finish(); reject(err); return; }
            stats.aborted++;
            opts.log?.(`export of ${new URL(url).pathname} broke off mid-answer: ${err.message}`);
            failed = err;
            poke();
            finish();
          },
        });
        w.postMessage({ type: 'request', id, url, headers } satisfies ToWorker);
      })().catch((err: unknown) => { if (!finished) { finish(); reject(err); } });
    });
  }

  function remember(key: string, entry: { status: number; headers: Array<[string, string]>; parts: ArrayBuffer[]; bytes: number }) {
    cache.set(key, entry);
    cachedBytes += entry.bytes;
    for (const [k, v] of cache) {
      if (cache.size <= cacheEntries && cachedBytes <= cacheBytes) break;
      cache.delete(k); cachedBytes -= v.bytes;
    }
  }

  async function answer(url: string, reqHeaders?: Headers): Promise<Response> {
    const headers: Array<[string, string]> = reqHeaders ? [...reqHeaders].filter(([k]) => k === 'accept') : [];
    const key = `${opts.store.revision()}\u0000${url}`;
    const hit = cache.get(key);
    if (hit) {
      stats.cacheHits++;
      cache.delete(key); cache.set(key, hit);   // LRU order
      return new Response(new Blob(hit.parts), { status: hit.status, headers: hit.headers });
    }
    // The next export starts once this one no longer uses the worker (its stream ended, failed or was cancelled).
    const prev = chain;
    let release!: () => void;
    chain = new Promise<void>((r) => { release = r; });
    await prev;
    stats.renders++;
    return start(url, headers, release);
  }

  async function respond(req: Request): Promise<Response> {
    try {
      return await answer(req.url, req.headers);
    } catch (err) {
      if (err instanceof ExportUnavailableError) return Response.json({ error: { code: err.code, message: err.message } }, { status: 503 });
      throw err;
    }
  }
  const routes = new Hono();
  const handle = (c: Context) => respond(c.req.raw);
  for (const p of WORKER_PATHS) routes.get(p, handle);

  return {
    routes,
    answer,
    respond,
    stats: () => ({ ...stats }),
    async close() {
      const w = worker;
      worker = undefined;
      workerRevision = -1;   // a later export (tests reuse a pool) starts a worker with no copy
      failAll(new ExportUnavailableError('export-failed', 'the controller is stopping'));
      await w?.terminate();
    },
  };
}
