// Test helper: a real HTTP server on 127.0.0.1 serving the export routes plus the two controller
// endpoints the CLI calls (`GET /api/v1/intents` over a fixed array, `POST /api/v1/reset`).
// The `api` engineer's real app replaces this at integration.
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { createExportRoutes } from '../../export/routes.ts';
import { createArrayReader } from '../../../../fixtures/test-support/array-reader.ts';
import { parseExportFilters, ParamError } from '../../export/query-params.ts';
import type { Intent } from '../../model.ts';

export interface ControllerDouble {
  url: string;
  intents: Intent[];
  /** Method and path+query of every request, in order. */
  requests: string[];
  /** Replaces the answer of GET /api/v1/intents (status, body) while set. */
  override?: { status: number; body: string };
  close(): Promise<void>;
}

export async function startControllerDouble(initial: Intent[]): Promise<ControllerDouble> {
  const double = { intents: [...initial], requests: [] as string[] } as ControllerDouble;
  const reader = createArrayReader(double.intents);
  const app = new Hono();
  app.use(async (c, next) => { const u = new URL(c.req.url); double.requests.push(`${c.req.method} ${u.pathname}${u.search}`); await next(); });
  app.get('/api/v1/intents', (c) => {
    if (double.override) return c.body(double.override.body, double.override.status as 200);
    try {
      // The real app's answer shape (app.ts): { intents: Intent[] }.
      return c.json({ intents: reader.query(parseExportFilters(new URL(c.req.url).searchParams).query) });
    } catch (e) {
      if (e instanceof ParamError) return c.json({ error: { code: e.code, message: e.message, field: e.field } }, 400);
      throw e;
    }
  });
  app.post('/api/v1/reset', (c) => { double.intents.length = 0; return c.body(null, 204); });
  app.route('/', createExportRoutes({ intents: reader }));
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
      double.url = `http://127.0.0.1:${info.port}`;
      resolve(s);
    });
  });
  double.close = () => new Promise<void>((resolve) => { (server as any).closeAllConnections?.(); server.close(() => resolve()); });
  return double;
}

/** Captures a verb's output in memory. */
export function captureIo(env: Record<string, string | undefined> = {}) {
  const io = {
    out: [] as (string | Uint8Array)[],
    err: '',
    stdout: { write(chunk: string | Uint8Array) { io.out.push(chunk); return true; } },
    stderr: { write(chunk: string) { io.err += chunk; return true; } },
    env,
    get text() { return io.out.map((c) => (typeof c === 'string' ? c : Buffer.from(c).toString())).join(''); },
  };
  return io;
}
