// dist/export-worker.js: the export routes (list, ClientIntents, graph DOT/SVG/PNG/JPG) run here, in
// a worker thread with its own heap cap, on a copy of the store taken at one store revision — so a
// large export or a Graphviz layout never holds the event loop that serves reports and /healthz.
// Protocol (export-pool.ts is the other side): `load-begin`, `load-part`…, `load-end` replace the copy
// (one chunk of the frozen store per message, so neither side holds the whole JSON) or, when not `full`,
// bring it up to date (the intents changed since the last load, and the keys removed); `request` answers
// one GET as `head`, then `chunk`s (transferred, never copied) and `end` — or `fail` when producing the
// body broke. At most STREAM_WINDOW chunks are sent ahead of the `credit`s the pool returns as its
// reader takes them: a slow client holds the producer here instead of filling the controller's memory.

import { parentPort } from 'node:worker_threads';
import { createExportRoutes } from './routes.ts';
import { API_PATHS } from '../../contract/schema.ts';
import { QueryParamError } from '../../common/errors.ts';
import { parseIntentQuery } from '../intent-query.ts';
import { createIntentStore } from '../store/intent-store.ts';
import { SNAPSHOT_VERSION } from '../store/snapshot-codec.ts';
import { STREAM_WINDOW, textResponse } from './stream-body.ts';
import type { Intent } from '../model.ts';


export type ToWorker =
  | { type: 'load-begin'; revision: number; full: boolean }
  | { type: 'load-part'; part: string }
  | { type: 'load-end'; removed: string[] }
  | { type: 'request'; id: number; url: string; headers: Array<[string, string]> }
  | { type: 'credit'; id: number; n: number }
  | { type: 'cancel'; id: number };
export type FromWorker =
  | { type: 'loaded'; revision: number; intents: number }
  | { type: 'head'; id: number; status: number; headers: Array<[string, string]> }
  | { type: 'chunk'; id: number; data: ArrayBuffer }
  | { type: 'end'; id: number }
  | { type: 'fail'; id: number; message: string };

/** `{"intents":[...]}` exactly as JSON.stringify writes it, one intent at a time. */
function* intentsJson(list: readonly Intent[]): Generator<string> {
  yield '{"intents":[';
  for (let i = 0; i < list.length; i++) yield i ? `,${JSON.stringify(list[i])}` : JSON.stringify(list[i]);
  yield ']}';
}

const port = parentPort;
if (port) {
  // The copy is read-only here: no size bound beyond what the controller stored.
  const store = createIntentStore({ maxIntents: Number.MAX_SAFE_INTEGER, excludeNamespaces: [] });
  const routes = createExportRoutes({ intents: store });
  // GET /api/v1/intents as app.ts answers it, on the copy (a 169k-intent answer took 14-20 s of the event loop).
  routes.get(API_PATHS.intents, (c) => {
    try {
      const list = store.query(parseIntentQuery(new URL(c.req.url).searchParams, new Date()));
      return textResponse(intentsJson(list), { 'content-type': 'application/json' });
    } catch (err) {
      if (err instanceof QueryParamError) return c.json({ error: { code: err.code, message: err.message, field: err.field } }, 400);
      throw err;
    }
  });

  let loading: { revision: number; full: boolean; intents: unknown[] } | undefined;
  const streams = new Map<number, { reader: ReadableStreamDefaultReader<Uint8Array>; credits: number; pumping: boolean }>();

  const pump = async (id: number) => {
    const s = streams.get(id);
    if (!s || s.pumping) return;
    s.pumping = true;
    try {
      while (s.credits > 0 && streams.has(id)) {
        const { done, value } = await s.reader.read();
        if (!streams.has(id)) return;   // cancelled meanwhile
        if (done) { streams.delete(id); port.postMessage({ type: 'end', id } satisfies FromWorker); return; }
        const data = value.byteOffset === 0 && value.byteLength === value.buffer.byteLength ? value.buffer as ArrayBuffer : value.slice().buffer;
        s.credits--;
        port.postMessage({ type: 'chunk', id, data } satisfies FromWorker, [data]);
      }
    } catch (err) {
      streams.delete(id);
      s.reader.cancel().catch(() => {});
      port.postMessage({ type: 'fail', id, message: (err as Error)?.message ?? String(err) } satisfies FromWorker);
    } finally {
      s.pumping = false;
    }
  };

  port.on('message', async (m: ToWorker) => {
    switch (m.type) {
      case 'load-begin': loading = { revision: m.revision, full: m.full, intents: [] }; return;
      case 'load-part': {
        if (!loading || !m.part) return;
        const list = JSON.parse(`[${m.part}]`) as unknown[];
        for (let i = 0; i < list.length; i++) loading.intents.push(list[i]);
        return;
      }
      case 'load-end': {
        const l = loading!;
        loading = undefined;
        // The pool serialised these from its own store a moment ago: not checked again, intent by intent.
        if (l.full) store.load({ version: SNAPSHOT_VERSION, savedAt: new Date().toISOString(), intents: l.intents }, { trusted: true });
        else store.applyDelta(l.intents as Intent[], m.removed);
        port.postMessage({ type: 'loaded', revision: l.revision, intents: store.size() } satisfies FromWorker);
        return;
      }
      case 'credit': { const s = streams.get(m.id); if (s) { s.credits += m.n; void pump(m.id); } return; }
      case 'cancel': { const s = streams.get(m.id); streams.delete(m.id); s?.reader.cancel().catch(() => {}); return; }
      case 'request': {
        const res = await routes.fetch(new Request(m.url, { headers: m.headers }));
        port.postMessage({ type: 'head', id: m.id, status: res.status, headers: [...res.headers] } satisfies FromWorker);
        if (!res.body) { port.postMessage({ type: 'end', id: m.id } satisfies FromWorker); return; }
        streams.set(m.id, { reader: res.body.getReader(), credits: STREAM_WINDOW, pumping: false });
        void pump(m.id);
      }
    }
  });
}
else {
  // Not a role: the controller starts this file as a worker thread. Run by hand, it says so (and `--help`
  // answers like every other entry of dist/, so image checks can ask every entry for its usage).
  const usage = 'Usage: node dist/controller.js — dist/export-worker.js is the controller\'s export worker thread, not run by hand\n';
  const help = process.argv.includes('--help') || process.argv.includes('-h');
  (help ? process.stdout : process.stderr).write(usage);
  process.exitCode = help ? 0 : 2;
}
