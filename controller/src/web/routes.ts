// The web map's routes: the page at `/`, its bundle at `/web/app.{js,css}`, the graph as JSON at
// `/api/v1/graph.json` (the `GET /api/v1/intents` filters) and a Server-Sent Events stream at
// `/api/v1/graph/events` announcing each new store revision, so an open page redraws without polling.

import { Hono, type Context } from 'hono';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { IntentReader } from '../model.ts';
import { ParamError, parseExportFilters } from '../export/query-params.ts';
import { buildGraphModel, mapChoices, type MapChoices } from './graph-model.ts';
import { GRAPH_EVENTS_PATH, GRAPH_JSON_PATH } from './graph-types.ts';
import { renderWebPage } from './page.ts';
import { WEB_ASSET_FILES, type WebAssets } from './assets.ts';

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
/** graph.json is made per request: a fast gzip level (1 MB of JSON in ~5 ms, ~7x smaller), synchronously — zlib's
 *  asynchronous form waited 80–450 ms for its turns of a busy event loop (measured under load). */
const GRAPH_GZIP = { level: 1 };
const acceptsGzip = (c: Context) => /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');

/** One prebuilt asset as served: its text, gzipped once (best level) and an ETag, so a request costs no CPU. */
interface ServedAsset { text: string; gz: Uint8Array<ArrayBuffer>; etag: string }
const served = new WeakMap<WebAssets, Map<string, ServedAsset>>();
function servedAsset(assets: WebAssets, key: keyof WebAssets): ServedAsset | undefined {
  const text = assets[key];
  if (text === undefined) return undefined;
  let m = served.get(assets);
  if (!m) served.set(assets, m = new Map());
  let a = m.get(key);
  if (!a) m.set(key, a = { text, gz: new Uint8Array(gzipSync(text, { level: 9 })), etag: `"${createHash('sha256').update(text).digest('base64url').slice(0, 22)}"` });
  return a;
}
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
  let choices: { rev: number; of: MapChoices } | undefined;

  app.onError((err, c) => {
    if (err instanceof ParamError) return c.json({ error: { code: err.code, message: err.message, field: err.field } }, 400);
    console.error('web route failed:', err);
    return c.json({ error: { code: 'internal', message: err instanceof Error ? err.message : String(err) } }, 500);
  });

  // The bundle and the graph are big and compress 4-7x: it matters through kubectl port-forward. The bundle is
  // compressed once and revalidated by ETag; graph.json per request. Not the event stream.
  const asset = (key: keyof WebAssets, type: string) => async (c: Context) => {
    const a = servedAsset(await assets(), key);
    if (!a) return c.json({ error: { code: 'not_found', message: `no ${c.req.path}` } }, 404);
    const h = { 'content-type': type, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff', etag: a.etag, vary: 'accept-encoding' };
    if (c.req.header('if-none-match') === a.etag) return c.body(null, 304, h);
    return acceptsGzip(c) ? c.body(a.gz, 200, { ...h, 'content-encoding': 'gzip' }) : c.body(a.text, 200, h);
  };
  // The page names the graph.json it will ask for, so the browser fetches it while the bundle loads.
  app.get('/', async (c) => c.html(renderWebPage(new URL(c.req.url).search, (await assets().catch(() => undefined))?.css), 200, { ...NO_STORE, 'content-security-policy': CSP, 'x-content-type-options': 'nosniff' }));
  app.get(`/web/${WEB_ASSET_FILES.js}`, asset('js', 'text/javascript; charset=utf-8'));
  app.get(`/web/${WEB_ASSET_FILES.css}`, asset('css', 'text/css; charset=utf-8'));
  app.get(`/web/${WEB_ASSET_FILES.fcose}`, asset('fcose', 'text/javascript; charset=utf-8'));

  app.get(`/${GRAPH_JSON_PATH}`, async (c) => {
    // The page asks for its bundle and this at once: let the (precompressed, cheap) bundle go out first.
    await new Promise((r) => setImmediate(r));
    const t0 = performance.now();
    const rev = revision();
    const params = new URL(c.req.url).searchParams;
    const f = parseExportFilters(params, now);
    const excluded = new Set(f.excludeServices);
    const hidden = (w?: { name: string; namespace: string }) => w !== undefined && (excluded.has(w.name) || excluded.has(`${w.name}.${w.namespace}`));
    const intents = deps.intents.query({ ...f.query, includeAllLabels: true })
      .filter((i) => !hidden(i.client) && !hidden(i.server) && !(i.internet?.domain && excluded.has(i.internet.domain)));
    // The namespace and label choices come from the whole map (unfiltered, that is the same list), once per revision:
    // a filtered request need not read the whole store again for them.
    if (choices?.rev !== rev) choices = { rev, of: mapChoices(params.size === 0 ? intents : deps.intents.query({ includeAllLabels: true })) };
    const t1 = performance.now();
    const json = JSON.stringify(buildGraphModel(intents, choices.of, rev, now()));
    const t2 = performance.now();
    const h: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', ...NO_STORE, vary: 'accept-encoding' };
    const timing = (gz?: number) => `query;dur=${(t1 - t0).toFixed(1)}, model;dur=${(t2 - t1).toFixed(1)}${gz === undefined ? '' : `, gzip;dur=${gz.toFixed(1)}`}`;
    if (json.length > 1024 && acceptsGzip(c)) {
      const body = gzipSync(json, GRAPH_GZIP) as Uint8Array<ArrayBuffer>;
      return c.body(body, 200, { ...h, 'content-encoding': 'gzip', 'server-timing': timing(performance.now() - t2) });
    }
    return c.body(json, 200, { ...h, 'server-timing': timing() });
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
