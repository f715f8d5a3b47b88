// A local HTTP server that speaks the Kubernetes list/watch protocol faithfully enough to drive the real
// @kubernetes/client-node informers in tests and benchmarks: lists with a resourceVersion (and limit/continue
// chunks), NDJSON watch streams with headers flushed at once, ADDED/MODIFIED/DELETED/BOOKMARK/ERROR events,
// 410 Gone (HTTP and ERROR-event forms), dropped connections, injected server errors, and a request log.

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { WATCHED_RESOURCES } from '../src/cluster/permissions.ts';
import { createFakeStore, type FakeResource, type FakeStoreOptions, type ResourceState, type StoredEvent } from './fake-store.ts';

export type { FakeResource } from './fake-store.ts';

const CLUSTER_SCOPED = new Set(['nodes', 'namespaces']);

/** The resources the controller watches, plus legacy Endpoints. */
export const DEFAULT_FAKE_RESOURCES: readonly FakeResource[] = [
  ...WATCHED_RESOURCES.map(({ group, version, resource, kind }) => ({ group, version, resource, kind, namespaced: !CLUSTER_SCOPED.has(resource) })),
  { group: '', version: 'v1', resource: 'endpoints', kind: 'Endpoints', namespaced: true },
];

export type RequestVerb = 'list' | 'watch' | 'get' | 'discovery' | 'unknown';
export interface RequestLogEntry { method: string; path: string; query: string; verb: RequestVerb; resource?: string; status: number; at: number }

export interface FaultSpec {
  /** Plural resource name (`pods`); any when absent. */
  resource?: string;
  verb?: RequestVerb;
  /** HTTP status to answer with (500, 410, 403, ...). */
  status: number;
  /** How many matching requests fail (default 1). */
  count?: number;
}

export interface FakeApiServerOptions extends FakeStoreOptions {
  resources?: readonly FakeResource[];
  /** BOOKMARK events on every open watch at this interval (default 5000 ms; 0 disables). */
  bookmarkIntervalMs?: number;
  /** Send bookmarks even when the client did not ask with allowWatchBookmarks (client-node never asks;
   *  without them a quiet watch is cut by its 30 s inactivity timer). Default true. */
  bookmarksWithoutOptIn?: boolean;
  /** Kept request log entries (default 10 000). */
  maxLogEntries?: number;
}

interface OpenWatch { st: ResourceState; res: ServerResponse; namespace?: string; listener: (ev: StoredEvent) => void }

function status(code: number, reason: string, message: string) {
  return JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}
const REASONS: Record<number, string> = { 400: 'BadRequest', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed', 410: 'Expired', 500: 'InternalError', 503: 'ServiceUnavailable' };

/** Items per write when streaming a list, so a 150k-pod list never builds one giant string. */
const LIST_WRITE_CHUNK = 2000;
const CONTINUE_TTL_MS = 5 * 60_000;

export function createFakeApiServer(opts: FakeApiServerOptions = {}) {
  const store = createFakeStore(opts.resources ?? DEFAULT_FAKE_RESOURCES, opts);
  const bookmarkIntervalMs = opts.bookmarkIntervalMs ?? 5000;
  const bookmarksWithoutOptIn = opts.bookmarksWithoutOptIn ?? true;
  const maxLog = opts.maxLogEntries ?? 10_000;
  const requests: RequestLogEntry[] = [];
  const faults: (FaultSpec & { remaining: number })[] = [];
  const watches = new Set<OpenWatch>();
  const continues = new Map<string, { items: string[]; rv: number; at: number }>();
  let server: Server | undefined;
  let bookmarkTimer: NodeJS.Timeout | undefined;

  function log(e: RequestLogEntry) {
    requests.push(e);
    if (requests.length > maxLog) requests.splice(0, requests.length - maxLog);
  }
  function send(res: ServerResponse, code: number, body: string) {
    res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }
  function takeFault(verb: RequestVerb, resource?: string) {
    const f = faults.find((x) => (!x.verb || x.verb === verb) && (!x.resource || x.resource === resource));
    if (!f) return undefined;
    if (--f.remaining <= 0) faults.splice(faults.indexOf(f), 1);
    return f.status;
  }

  function discovery(group: string, version: string) {
    const resources = store.resources().filter((s) => s.def.group === group && s.def.version === version).map((s) => ({
      name: s.def.resource, singularName: s.def.kind.toLowerCase(), namespaced: s.def.namespaced, kind: s.def.kind, verbs: ['get', 'list', 'watch'],
    }));
    return JSON.stringify({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources });
  }

  function list(res: ServerResponse, st: ResourceState, q: URLSearchParams, namespace?: string): number {
    let items: string[];
    let rv: number;
    let offset = 0;
    const token = q.get('continue');
    if (token) {
      let parsed: { id: string; offset: number } | undefined;
      try { parsed = JSON.parse(Buffer.from(token, 'base64url').toString()); } catch { parsed = undefined; }
      const snap = parsed && continues.get(parsed.id);
      if (!parsed || !snap) { send(res, 410, status(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result.')); return 410; }
      ({ items, rv } = snap);
      offset = parsed.offset;
    } else {
      rv = store.currentRv();
      items = [];
      for (const [k, j] of st.objects) if (!namespace || k.startsWith(`${namespace}/`)) items.push(j);
    }
    const limit = Number(q.get('limit') ?? 0);
    const end = limit > 0 ? Math.min(items.length, offset + limit) : items.length;
    const meta: Record<string, unknown> = { resourceVersion: String(rv) };
    if (end < items.length) {
      const id = token ? JSON.parse(Buffer.from(token, 'base64url').toString()).id : randomUUID();
      if (!token) continues.set(id, { items, rv, at: Date.now() });
      meta.continue = Buffer.from(JSON.stringify({ id, offset: end })).toString('base64url');
      meta.remainingItemCount = items.length - end;
    } else if (token) {
      continues.delete(JSON.parse(Buffer.from(token, 'base64url').toString()).id);   // last page served: forget the snapshot
    }
    for (const [id, c] of continues) if (Date.now() - c.at > CONTINUE_TTL_MS) continues.delete(id);
    const apiVersion = st.def.group ? `${st.def.group}/${st.def.version}` : st.def.version;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write(`{"kind":"${st.def.kind}List","apiVersion":"${apiVersion}","metadata":${JSON.stringify(meta)},"items":[`);
    for (let i = offset; i < end; i += LIST_WRITE_CHUNK) {
      res.write((i > offset ? ',' : '') + items.slice(i, Math.min(end, i + LIST_WRITE_CHUNK)).join(','));
    }
    res.end(']}');
    return 200;
  }

  function watch(req: IncomingMessage, res: ServerResponse, st: ResourceState, q: URLSearchParams, namespace?: string): number {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();   // client-node's fetch resolves only once headers arrive (toolchain §6)
    const line = (ev: StoredEvent) => `{"type":"${ev.type}","object":${ev.json}}\n`;
    const rvParam = q.get('resourceVersion') ?? '';
    if (rvParam === '' || rvParam === '0') {
      // "Any" version: the current state as ADDED events, then changes (Kubernetes API concepts, "watch").
      for (const [k, j] of st.objects) if (!namespace || k.startsWith(`${namespace}/`)) res.write(`{"type":"ADDED","object":${j}}\n`);
    } else {
      const from = Number(rvParam);
      if (!Number.isFinite(from) || from < st.compactedRv) {
        res.end(`{"type":"ERROR","object":${status(410, 'Expired', `too old resource version: ${rvParam} (${st.compactedRv})`)}}\n`);
        return 200;
      }
      for (const ev of st.events) if (ev.rv > from && (!namespace || ev.namespace === namespace)) res.write(line(ev));
    }
    const w: OpenWatch = { st, res, namespace, listener: (ev) => { if (!namespace || ev.namespace === namespace) res.write(line(ev)); } };
    w.st.listeners.add(w.listener);
    watches.add(w);
    const wantsBookmarks = bookmarksWithoutOptIn || q.get('allowWatchBookmarks') === 'true';
    (w as OpenWatch & { bookmarks: boolean }).bookmarks = wantsBookmarks;
    const cleanup = () => { st.listeners.delete(w.listener); watches.delete(w); };
    req.on('close', cleanup);
    res.on('close', cleanup);
    return 200;
  }

  function bookmark(w: OpenWatch) {
    const apiVersion = w.st.def.group ? `${w.st.def.group}/${w.st.def.version}` : w.st.def.version;
    api.bookmarksSent++;
    w.res.write(`{"type":"BOOKMARK","object":{"kind":"${w.st.def.kind}","apiVersion":"${apiVersion}","metadata":{"resourceVersion":"${store.currentRv()}"}}}\n`);
  }

  function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const q = url.searchParams;
    const entry: RequestLogEntry = { method: req.method ?? 'GET', path: url.pathname, query: url.search, verb: 'unknown', status: 0, at: Date.now() };
    const done = (code: number) => { entry.status = code; log(entry); };
    const segs = url.pathname.split('/').filter(Boolean);
    let group: string, version: string, rest: string[];
    if (segs[0] === 'api' && segs.length >= 2) { group = ''; version = segs[1]; rest = segs.slice(2); }
    else if (segs[0] === 'apis' && segs.length >= 3) { group = segs[1]; version = segs[2]; rest = segs.slice(3); }
    else {
      entry.verb = 'discovery';
      if (url.pathname === '/api') { send(res, 200, JSON.stringify({ kind: 'APIVersions', versions: ['v1'] })); return done(200); }
      send(res, 404, status(404, 'NotFound', `the server could not find the requested resource (${url.pathname})`));
      return done(404);
    }
    if (rest.length === 0) {
      entry.verb = 'discovery';
      send(res, 200, discovery(group, version));
      return done(200);
    }
    let namespace: string | undefined, resource: string, name: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) [, namespace, resource, name] = rest;
    else [resource, name] = rest;
    entry.resource = resource;
    entry.verb = name ? 'get' : q.get('watch') === 'true' || q.get('watch') === '1' ? 'watch' : 'list';
    const st = store.resource(group, version, resource);
    if (req.method !== 'GET') { send(res, 405, status(405, 'MethodNotAllowed', `${req.method} is not supported by this test server`)); return done(405); }
    const fault = takeFault(entry.verb, resource);
    if (fault) { send(res, fault, status(fault, REASONS[fault] ?? 'InternalError', `injected fault ${fault}`)); return done(fault); }
    if (!st) { send(res, 404, status(404, 'NotFound', `the server could not find the requested resource (${url.pathname})`)); return done(404); }
    if (entry.verb === 'get') {
      const j = st.objects.get(`${st.def.namespaced ? namespace ?? '' : ''}/${name}`);
      if (!j) { send(res, 404, status(404, 'NotFound', `${resource} "${name}" not found`)); return done(404); }
      send(res, 200, j);
      return done(200);
    }
    return done(entry.verb === 'watch' ? watch(req, res, st, q, namespace) : list(res, st, q, namespace));
  }

  const api = {
    ...store,
    /** Every request served, oldest first (bounded). */
    requests,
    /** The base URL, once started. */
    url: '',
    /** BOOKMARK events written so far. */
    bookmarksSent: 0,
    async start(): Promise<string> {
      server = createServer((req, res) => {
        try { handle(req, res); } catch (err) { if (!res.headersSent) send(res, 500, status(500, 'InternalError', String(err))); else res.destroy(); }
      });
      server.keepAliveTimeout = 60_000;
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      if (bookmarkIntervalMs > 0) {
        bookmarkTimer = setInterval(() => { for (const w of watches) if ((w as OpenWatch & { bookmarks: boolean }).bookmarks) bookmark(w); }, bookmarkIntervalMs);
        bookmarkTimer.unref();
      }
      return api.url;
    },
    async close() {
      clearInterval(bookmarkTimer);
      for (const w of watches) w.res.destroy();
      watches.clear();
      if (!server) return;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
      server = undefined;
    },
    /** A KubeConfig for this server (http needs skipTLSVerify, toolchain §6). */
    kubeConfig(): KubeConfig {
      const kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: [{ name: 'fake', server: api.url, skipTLSVerify: true }],
        users: [{ name: 'fake' }],
        contexts: [{ name: 'fake', cluster: 'fake', user: 'fake' }],
        currentContext: 'fake',
      });
      return kc;
    },
    /** The next `count` requests matching `spec` are answered with `spec.status`. */
    failNext(spec: FaultSpec) { faults.push({ ...spec, remaining: spec.count ?? 1 }); },
    /** Sends an ERROR event (410 Gone by default) on every open watch of `resource`, then ends them. */
    sendWatchError(resource?: string, code = 410) {
      for (const w of [...watches]) if (!resource || w.st.def.resource === resource) {
        w.res.end(`{"type":"ERROR","object":${status(code, REASONS[code] ?? 'InternalError', code === 410 ? 'too old resource version' : 'injected watch error')}}\n`);
        watches.delete(w);
        w.st.listeners.delete(w.listener);
      }
    },
    /** Ends every open watch of `resource` cleanly, as the API server does when a watch times out. */
    endWatches(resource?: string) {
      for (const w of [...watches]) if (!resource || w.st.def.resource === resource) { w.res.end(); watches.delete(w); w.st.listeners.delete(w.listener); }
    },
    /** Drops the TCP connection of every open watch of `resource` mid-stream (client-node reports an error
     *  "terminated" and its informer stops: the cluster view must restart it). */
    dropWatches(resource?: string) {
      for (const w of [...watches]) if (!resource || w.st.def.resource === resource) { w.res.socket?.destroy(); watches.delete(w); w.st.listeners.delete(w.listener); }
    },
    /** Sends a BOOKMARK now on every open watch of `resource`. */
    sendBookmarks(resource?: string) { for (const w of watches) if (!resource || w.st.def.resource === resource) bookmark(w); },
    openWatches(resource?: string) { return [...watches].filter((w) => !resource || w.st.def.resource === resource).length; },
  };
  return api;
}

export type FakeApiServer = ReturnType<typeof createFakeApiServer>;
