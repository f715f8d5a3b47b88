// dist/export-worker.js: the export routes (list, ClientIntents, graph DOT/SVG/PNG/JPG) run here, in
// a worker thread with its own heap cap, on a copy of the store taken at one store revision — so a
// large export or a Graphviz layout never holds the event loop that serves reports and /healthz.
// Protocol (export-pool.ts is the other side): `load` replaces the copy; `request` answers one GET.

import { parentPort } from 'node:worker_threads';
import { createExportRoutes } from './routes.ts';
import { API_PATHS } from '../../contract/schema.ts';
import { QueryParamError } from '../../common/errors.ts';
import { parseIntentQuery } from '../intent-query.ts';
import { createIntentStore } from '../store/intent-store.ts';
import { SNAPSHOT_VERSION } from '../store/snapshot-codec.ts';

export type ToWorker =
  | { type: 'load'; revision: number; parts: string[] }
  | { type: 'request'; id: number; url: string; headers: Array<[string, string]> };
export type FromWorker =
  | { type: 'loaded'; revision: number; intents: number }
  | { type: 'response'; id: number; status: number; headers: Array<[string, string]>; body: ArrayBuffer };

const port = parentPort;
if (port) {
  // The copy is read-only here: no size bound beyond what the controller stored.
  const store = createIntentStore({ maxIntents: Number.MAX_SAFE_INTEGER, excludeNamespaces: [] });
  const routes = createExportRoutes({ intents: store });
  // GET /api/v1/intents as app.ts answers it, on the copy (a 169k-intent answer took 14-20 s of the event loop).
  routes.get(API_PATHS.intents, (c) => {
    try {
      return c.json({ intents: store.query(parseIntentQuery(new URL(c.req.url).searchParams, new Date())) });
    } catch (err) {
      if (err instanceof QueryParamError) return c.json({ error: { code: err.code, message: err.message, field: err.field } }, 400);
      throw err;
    }
  });
  port.on('message', async (m: ToWorker) => {
    if (m.type === 'load') {
      const intents = m.parts.flatMap((p) => (p ? JSON.parse(`[${p}]`) as unknown[] : []));
      store.load({ version: SNAPSHOT_VERSION, savedAt: new Date().toISOString(), intents });
      port.postMessage({ type: 'loaded', revision: m.revision, intents: store.size() } satisfies FromWorker);
      return;
    }
    const res = await routes.fetch(new Request(m.url, { headers: m.headers }));
    const body = await res.arrayBuffer();
    port.postMessage({ type: 'response', id: m.id, status: res.status, headers: [...res.headers], body } satisfies FromWorker, [body]);
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
