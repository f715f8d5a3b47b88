// The web map's routes: the page at `/`, its bundle at `/web/app.{js,css}`, the graph as JSON at
// `/api/v1/graph.json` (the `GET /api/v1/intents` filters) and a Server-Sent Events stream at
// `/api/v1/graph/events` announcing each new store revision, so an open page redraws without polling.

import { Hono } from 'hono';
import { compress } from 'hono/compress';
import type { IntentReader } from '../model.ts';
import { ParamError, parseExportFilters } from '../export/query-params.ts';
import { buildGraphModel } from './graph-model.ts';
import { GRAPH_EVENTS_PATH, GRAPH_JSON_PATH } from './graph-types.ts';
import { renderWebPage } from './page.ts';
import type { WebAssets } from './assets.ts';

/** How often an open events stream compares the store's revision with the last one it sent. */
export const REVISION_POLL_MS = 500;
/** A comment line this often keeps proxies (kubectl port-forward, ingresses) from closing an idle stream. */
export const HEARTBEAT_MS = 15_000;

export interface WebRouteDeps {
  intents: IntentReader;
  /** The store's revision (IntentStore.revision); absent, a cheap signature of the map stands in. */
  revision?: () => number;
  now?: () => Date;
  /** The bundle; default: assets.ts's loadWebAssets (the prebuilt dist/web). */
  assets?: () => Promise<WebAssets>;
  pollMs?: number;
  heartbeatMs?: number;
}

const NO_STORE = { 'cache-control': 'no-store' };
/** Everything the page loads comes from the controller itself. */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** A stand-in revision for readers without one: changes whenever an intent is added or seen again. */
function signatureOf(intents: IntentReader): () => number {
  return () => {
    let h = 0;
    for (const i of intents.query({})) h = (h * 31 + i.count + Date.parse(i.lastSeen) % 1_000_003) | 0;
    return h;
  };
}

export function createWebRoutes(deps: WebRouteDeps): Hono {
  const now = deps.now ?? (() => new Date());
  const revision = deps.revision ?? signatureOf(deps.intents);
  const assets = deps.assets ?? (async () => (await import('./assets.ts')).loadWebAssets());
  const pollMs = deps.pollMs ?? (deps.revision ? REVISION_POLL_MS : 2000);
  const heartbeatMs = deps.heartbeatMs ?? HEARTBEAT_MS;
  const app = new Hono();

  app.onError((err, c) => {
    if (err instanceof ParamError) return c.json({ error: { code: err.code, message: err.message, field: err.field } }, 400);
    console.error('web route failed:', err);
    return c.json({ error: { code: 'internal', message: err instanceof Error ? err.message : String(err) } }, 500);
  });

  // The bundle and the graph are big and compress ~5x: it matters through kubectl port-forward. Not the event stream.
  app.use('/web/*', compress());
  app.use(`/${GRAPH_JSON_PATH}`, compress());
  app.get('/', (c) => c.html(renderWebPage(), 200, { ...NO_STORE, 'content-security-policy': CSP, 'x-content-type-options': 'nosniff' }));
  app.get('/web/app.js', async (c) => c.body((await assets()).js, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' }));
  app.get('/web/app.css', async (c) => c.body((await assets()).css, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' }));

  app.get(`/${GRAPH_JSON_PATH}`, (c) => {
    const rev = revision();
    const f = parseExportFilters(new URL(c.req.url).searchParams, now);
    const excluded = new Set(f.excludeServices);
    const hidden = (w?: { name: string; namespace: string }) => w !== undefined && (excluded.has(w.name) || excluded.has(`${w.name}.${w.namespace}`));
    const intents = deps.intents.query({ ...f.query, includeAllLabels: true })
      .filter((i) => !hidden(i.client) && !hidden(i.server) && !(i.internet?.domain && excluded.has(i.internet.domain)));
    const all = deps.intents.query({ includeAllLabels: true });
    return c.json(buildGraphModel(intents, all, rev, now()), 200, NO_STORE);
  });

  app.get(`/${GRAPH_EVENTS_PATH}`, (c) => {
    const encoder = new TextEncoder();
    let timers: ReturnType<typeof setInterval>[] = [];
    const stop = () => { for (const t of timers) clearInterval(t); timers = []; };
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        let last = revision();
        const send = (text: string) => {
          try { controller.enqueue(encoder.encode(text)); } catch { stop(); }
        };
        // `retry` tells EventSource how long to wait before reconnecting after the stream drops.
        send(`retry: 2000\nevent: revision\ndata: ${JSON.stringify({ revision: last })}\n\n`);
        timers.push(setInterval(() => {
          const rev = revision();
          if (rev !== last) { last = rev; send(`event: revision\ndata: ${JSON.stringify({ revision: rev })}\n\n`); }
        }, pollMs));
        timers.push(setInterval(() => send(': keep-alive\n\n'), heartbeatMs));
        c.req.raw.signal?.addEventListener('abort', () => { stop(); try { controller.close(); } catch { /* already closed */ } });
      },
      cancel: stop,
    });
    return new Response(body, { headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' } });
  });

  return app;
}
