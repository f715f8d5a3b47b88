// Serves a map that is already in a store — the web map at `/`, graph.json and its events, the exports — on
// loopback only. `netmapper replay serve` uses it to explore a replayed capture in the browser; `netmapper serve
// --replay` can call it the same way.

import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { createExportRoutes } from '../export/routes.ts';
import type { IntentReader } from '../model.ts';

/** Addresses the map may be served on: it has no authentication, so it never leaves the machine. */
export const LOOPBACK = ['127.0.0.1', '::1', 'localhost'];

export interface ServedMap { url: string; port: number; close(): Promise<void> }

/** Starts serving `intents` read-only on `host:port` (port 0: a free one). */
export async function serveMap(intents: IntentReader, opts: { port?: number; host?: string } = {}): Promise<ServedMap> {
  const host = opts.host ?? '127.0.0.1';
  if (!LOOPBACK.includes(host)) throw new Error(`--bind-address ${host}: the replayed map has no authentication and is served on loopback only (127.0.0.1 or ::1)`);
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.route('/', createExportRoutes({ intents }));
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: host, port: opts.port ?? 0 }, () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    port,
    close: () => new Promise((resolve) => {
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}
