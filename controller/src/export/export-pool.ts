// Runs the heavy export routes in a worker thread (export-worker.ts) with a heap cap and a time cap,
// and caches each answer per store revision. The main thread only freezes the store (pointer copies),
// serialises it in chunks (yielding between them) when the worker's copy is stale, and pipes bytes.
// A render that runs past its time is ended by terminating the worker (a stuck Graphviz layout
// cannot be interrupted otherwise); one that runs out of heap kills only the worker. Both answer 503
// with a message that says so; the next request starts a fresh worker.

import { Worker } from 'node:worker_threads';
import { Hono, type Context } from 'hono';
import { frozenJsonChunks, type IntentStore } from '../store/intent-store.ts';
import type { FromWorker, ToWorker } from './export-worker.ts';

/** Set by the build (esbuild `define`): the code runs from dist/, where the worker is export-worker.js. */
declare const NETMAPPER_DIST: boolean | undefined;

/** The paths answered by the worker; everything else stays with the in-process routes. */
export const WORKER_PATHS = ['/api/v1/intents', '/api/v1/list', '/api/v1/clientintents', '/api/v1/graph.dot', '/api/v1/graph.svg', '/api/v1/graph.png', '/api/v1/graph.jpg'];

export interface ExportPoolOptions {
  store: Pick<IntentStore, 'frozen' | 'revision'>;
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
  stats(): { renders: number; cacheHits: number; timeouts: number; crashes: number };
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

export function createExportPool(opts: ExportPoolOptions): ExportPool {
  const cacheEntries = opts.cacheEntries ?? 16;
  const cacheBytes = opts.cacheBytes ?? 64 * 1024 * 1024;
  const cache = new Map<string, { status: number; headers: Array<[string, string]>; body: ArrayBuffer }>();
  let cachedBytes = 0;
  const stats = { renders: 0, cacheHits: 0, timeouts: 0, crashes: 0 };
  let worker: Worker | undefined;
  let workerRevision = -1;
  let nextId = 1;
  const waiting = new Map<number, { resolve: (m: FromWorker) => void; reject: (e: Error) => void }>();
  let loadWaiter: { resolve: (m: FromWorker) => void; reject: (e: Error) => void } | undefined;
  let chain: Promise<unknown> = Promise.resolve();   // one export at a time: one worker, one heap

  function failAll(err: Error) {
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
    loadWaiter?.reject(err);
    loadWaiter = undefined;
  }

  function spawn(): Worker {
    const w = newWorker({ maxOldGenerationSizeMb: opts.maxHeapMb });
    w.unref();
    w.on('message', (m: FromWorker) => {
      if (m.type === 'loaded') { const l = loadWaiter; loadWaiter = undefined; l?.resolve(m); return; }
      const p = waiting.get(m.id);
      waiting.delete(m.id);
      p?.resolve(m);
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

  async function serialise(): Promise<{ revision: number; parts: string[] }> {
    const revision = opts.store.revision();
    const snap = opts.store.frozen();
    const parts: string[] = [];
    for (const part of frozenJsonChunks(snap)) {
      parts.push(part);
      await tick();   // the event loop gets a turn between chunks
    }
    return { revision, parts };
  }

  async function run(url: string, headers: Array<[string, string]>): Promise<FromWorker & { type: 'response' }> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        stats.timeouts++;
        const w = worker;
        const err = new ExportUnavailableError('export-timeout', `the export ran past its ${opts.timeoutMs / 1000} s cap (--export-timeout) and was stopped; narrow it with namespaces= or server=`);
        failAll(err);
        worker = undefined;
        workerRevision = -1;
        void w?.terminate();
        reject(err);
      }, opts.timeoutMs);
    });
    const work = (async () => {
      worker ??= spawn();
      const w = worker;
      if (workerRevision !== opts.store.revision()) {
        const { revision, parts } = await serialise();
        const loaded = new Promise<FromWorker>((resolve, reject) => { loadWaiter = { resolve, reject }; });
        w.postMessage({ type: 'load', revision, parts } satisfies ToWorker);
        await loaded;
        workerRevision = revision;
      }
      const id = nextId++;
      const answer = new Promise<FromWorker>((resolve, reject) => waiting.set(id, { resolve, reject }));
      w.postMessage({ type: 'request', id, url, headers } satisfies ToWorker);
      return await answer as FromWorker & { type: 'response' };
    })();
    try {
      return await Promise.race([work, deadline]);
    } finally {
      clearTimeout(timer);
      work.catch(() => {});
    }
  }

  async function answer(url: string, reqHeaders?: Headers): Promise<Response> {
    const headers: Array<[string, string]> = reqHeaders ? [...reqHeaders].filter(([k]) => k === 'accept') : [];
    const key = `${opts.store.revision()}\u0000${url}`;
    const hit = cache.get(key);
    if (hit) {
      stats.cacheHits++;
      cache.delete(key); cache.set(key, hit);   // LRU order
      return new Response(hit.body.slice(0), { status: hit.status, headers: hit.headers });
    }
    const result = await (chain = chain.catch(() => {}).then(() => run(url, headers))) as FromWorker & { type: 'response' };
    stats.renders++;
    if (cacheEntries > 0 && result.status === 200 && result.body.byteLength <= cacheBytes / 4) {
      cache.set(key, { status: result.status, headers: result.headers, body: result.body.slice(0) });
      cachedBytes += result.body.byteLength;
      for (const [k, v] of cache) {
        if (cache.size <= cacheEntries && cachedBytes <= cacheBytes) break;
        cache.delete(k); cachedBytes -= v.body.byteLength;
      }
    }
    return new Response(result.body, { status: result.status, headers: result.headers });
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
      failAll(new ExportUnavailableError('export-failed', 'the controller is stopping'));
      await w?.terminate();
    },
  };
}
