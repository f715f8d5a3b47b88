// The controller process: the only module that imports Node, @hono/node-server and
// @kubernetes/client-node. It parses the settings, builds the parts, serves, and saves the store on exit.

import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { AuthenticationV1Api, AuthorizationV1Api, KubeConfig } from '@kubernetes/client-node';
import { createApp, createMetricsApp } from './app.ts';
import { createExportRoutes } from './export/routes.ts';
import { createNoAuth, createTokenFileAuth, createTokenReviewAuth, createUserAccess, type Authenticator, type SubjectAccessReviewer, type TokenReviewer, type UserAccess } from './auth/index.ts';
import { createExportPool } from './export/export-pool.ts';
import { createInformerView } from './cluster/informer.ts';
import { loadSnapshotView } from './cluster/snapshot.ts';
import type { ClusterView } from './cluster/view.ts';
import { parseConfig, usage, type ControllerConfig, type LogLevel } from './config.ts';
import { ConfigError } from '../common/errors.ts';
import { createCore, keptAnnotations } from './core.ts';
import { createLogger } from '../common/log.ts';
import { createMetrics, type Metrics } from '../common/metrics.ts';
import { clusterDomainFromResolvConf, RESOLV_CONF } from './resolve/cluster-domain.ts';
import { registerEdgeMetrics } from './edge-metrics.ts';
import { createDurableStore } from './store/durable-store.ts';
import { createExpirySweep } from './store/expiry.ts';

export type Log = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => void;

/** The controller's log calls on the one JSON logger (common/log.ts). */
export function createLog(min: LogLevel, write?: (line: string) => void): Log {
  const logger = createLogger(min, write);
  return (level, msg, fields) => logger[level](msg, fields);
}

/** A cluster view the process can stop: informers over the API, or a static snapshot. */
export interface RunningView { view: ClusterView; stop(): Promise<void>; restarts(): number }

/** Default kubeconfig: in-cluster when running in a pod, else $KUBECONFIG or ~/.kube/config. */
export function loadKubeConfig(file: string | undefined, env: NodeJS.ProcessEnv = process.env): KubeConfig {
  const kc = new KubeConfig();
  if (file) kc.loadFromFile(file);
  else if (env.KUBERNETES_SERVICE_HOST) kc.loadFromCluster();
  else kc.loadFromDefault();
  return kc;
}

/** TokenReview through client-node (authentication.k8s.io/v1, verb create); no audiences: the API server's own. */
export function tokenReviewVia(kc: KubeConfig): TokenReviewer {
  const api = kc.makeApiClient(AuthenticationV1Api);
  return async (token, audiences) => {
    const review = await api.createTokenReview({ body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token, ...(audiences.length ? { audiences } : {}) } } });
    return review.status ?? {};
  };
}

/** SubjectAccessReview on a non-resource URL through client-node (authorization.k8s.io/v1, verb create). */
export function subjectAccessReviewVia(kc: KubeConfig): SubjectAccessReviewer {
  const api = kc.makeApiClient(AuthorizationV1Api);
  return async (user, attrs) => {
    const review = await api.createSubjectAccessReview({
      body: {
        apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview',
        spec: { user: user.username, uid: user.uid, groups: user.groups, extra: user.extra, nonResourceAttributes: { path: attrs.path, verb: attrs.verb } },
      },
    });
    return review.status ?? { allowed: false };
  };
}

/** The namespace of the pod's service account, when running in one. */
export function podNamespace(file = '/var/run/secrets/kubernetes.io/serviceaccount/namespace'): string | undefined {
  try { return readFileSync(file, 'utf8').trim() || undefined; } catch { return undefined; }
}

/** Informers over the API; an informer error is logged and the view restarts it with backoff. */
function startInformerView(kc: KubeConfig, cfg: ControllerConfig, log: Log): RunningView {
  const view = createInformerView(kc, {
    keepAnnotations: keptAnnotations(cfg),
    keepImages: cfg.jobNameFromImage,
    onError: (resource, err) => log('warn', `informer ${resource}: ${(err as Error)?.message ?? err}; restarting`),
  });
  void view.start().then(() => log('info', 'cluster view synced'), (err: unknown) => log('error', `cluster view: ${(err as Error).message}`));
  return { view, stop: () => view.stop(), restarts: () => view.metrics().informerRestarts };
}

export interface StartOptions {
  log?: Log;
  /** Use this kubeconfig instead of loading one (tests: the fake API server's). */
  kubeConfig?: KubeConfig;
  /** Use this view instead of building one (tests and benchmarks). */
  cluster?: RunningView;
}

export interface RunningController {
  port: number;
  metricsPort?: number;
  metrics: Metrics;
  /** Stops listening and informers, saves the store. */
  close(): Promise<void>;
}

export interface ServerLimits { headerTimeoutMs: number; requestTimeoutMs: number; maxConnections: number }

/** How often Node checks the header and request timeouts (its default, 30 s, would hold a slow-header connection that much longer). */
const TIMEOUT_CHECK_MS = 500;

function listen(fetch: (req: Request) => Response | Promise<Response>, port: number, hostname: string, limits: ServerLimits): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({
      fetch, port, hostname,
      serverOptions: { headersTimeout: limits.headerTimeoutMs, requestTimeout: limits.requestTimeoutMs, connectionsCheckingInterval: Math.min(TIMEOUT_CHECK_MS, limits.headerTimeoutMs) },
    }, () => resolve(server));
    (server as unknown as { maxConnections: number }).maxConnections = limits.maxConnections;   // net.Server: past it, new sockets are closed at accept
    server.once('error', reject);
  });
}

const portOf = (s: ServerType): number => (s.address() as AddressInfo).port;
const closeServer = (s: ServerType): Promise<void> => new Promise((resolve) => {
  (s as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
  s.close(() => resolve());
});

/** Builds and starts everything for `cfg`; `port: 0` picks a free port (tests). */
export async function startController(cfg: ControllerConfig, opts: StartOptions = {}): Promise<RunningController> {
  const log = opts.log ?? createLog(cfg.logLevel);
  const metrics = createMetrics({ processMetrics: true, buildInfo: { role: 'controller', node: process.env.NODE_NAME } });
  const needsApi = (!opts.cluster && !cfg.clusterSnapshot) || cfg.auth === 'tokenreview' || cfg.readAuth === 'rbac';
  const kc = opts.kubeConfig ?? (needsApi ? loadKubeConfig(cfg.kubeconfig) : undefined);

  let running: RunningView;
  if (opts.cluster) running = opts.cluster;
  else if (cfg.clusterSnapshot) {
    const view = await loadSnapshotView(cfg.clusterSnapshot, { keepAnnotations: keptAnnotations(cfg), keepImages: cfg.jobNameFromImage });
    log('info', `cluster snapshot: ${JSON.stringify(view.stats.kept)} from ${cfg.clusterSnapshot.join(', ')}`);
    if (view.stats.duplicates) log('warn', `cluster snapshot: ${view.stats.duplicates} objects appear more than once (same kind, namespace and name); the later one wins`);
    if (view.stats.badItems) log('warn', `cluster snapshot: ${view.stats.badItems} items skipped (bad JSON, UTF-8 or field); ${view.stats.badItemSamples.slice(0, 5).join('; ')}`, { badItems: view.stats.badItems, samples: view.stats.badItemSamples });
    running = { view, stop: async () => {}, restarts: () => 0 };
  } else running = startInformerView(kc!, cfg, log);
  const cluster = running.view;
  metrics.gauge('netmapper_informer_restarts_total', 'Informers restarted after an error.', () => running.restarts(), 'counter');

  const fsyncs = metrics.counter('netmapper_store_fsyncs_total', 'Write-ahead log group commits (one fdatasync each).');
  const fsyncRecords = metrics.counter('netmapper_store_fsync_records_total', 'Store changes made durable by those commits.');
  const writeErrors = metrics.counter('netmapper_store_write_errors_total', 'Times the store stopped being able to persist (a log write or fsync failed); reports are refused (503) until it can again.');
  const durable = cfg.storeFile ? createDurableStore({
    path: cfg.storeFile,
    compactBytes: cfg.storeCompactBytes,
    log: (level, m) => log(level, m),
    onFsync: (_ms, n) => { fsyncs.inc(); fsyncRecords.inc({}, n); },
    onHealth: (h) => { if (!h.ok) writeErrors.inc(); },
  }) : undefined;
  if (durable) metrics.gauge('netmapper_store_writable', '1 while the store can persist reports, 0 while a write error stops it (/readyz fails then).', () => (durable.health().ok ? 1 : 0));
  const storeHealth = durable ? { storeHealth: () => durable.health() } : {};
  const { store, ingest } = createCore({ cluster, config: cfg, metrics, log: (m) => log('warn', m), gate: { reporterNewIntents: cfg.reporterNewIntents }, ...(durable ? { durable } : {}) });
  log('info', `cluster domain ${cfg.clusterDomain} (${cfg.clusterDomainSource === 'setting' ? '--cluster-domain' : cfg.clusterDomainSource === 'resolv.conf' ? `from ${RESOLV_CONF}` : 'default'})`);
  if (cfg.metricsEdges > 0) registerEdgeMetrics(metrics, store, cfg.metricsEdges);
  const corrupt = metrics.counter('netmapper_store_snapshot_corrupt_total', 'Store snapshots found corrupt at start and set aside.');
  const saves = metrics.counter('netmapper_store_saves_total', 'Store compactions (snapshot written, log segments dropped), by result.');
  const torn = metrics.counter('netmapper_store_wal_torn_bytes_total', 'Bytes cut from torn write-ahead log tails at start (a crash mid-write).');
  if (durable) {
    const res = await durable.open(store);
    if (res.snapshot.status === 'corrupt') { corrupt.inc(); log('error', res.snapshot.error.message); }
    if (res.tornBytes) torn.inc({}, res.tornBytes);
    log('info', `store: ${store.size()} intents from ${cfg.storeFile} (snapshot ${res.snapshot.status}, ${res.replayed} log records in ${res.segments} segments, ${res.tornBytes} torn bytes cut) in ${Math.round(res.ms)} ms`);
  }
  let lastCompacted = -1;
  const save = async (force = false) => {
    if (!durable) return;
    if (!force && store.revision() === lastCompacted) return;
    const rev = store.revision();
    try { await durable.compact(); lastCompacted = rev; saves.inc({ result: 'ok' }); } catch (err) { saves.inc({ result: 'error' }); log('error', `store: cannot compact into ${cfg.storeFile}: ${(err as Error).message}`); }
  };

  let auth: Authenticator;
  if (cfg.auth === 'none') auth = createNoAuth();
  else if (cfg.auth === 'token-file') auth = await createTokenFileAuth({ file: cfg.tokenFile!, read: (f) => readFile(f, 'utf8') });
  else auth = createTokenReviewAuth({ review: tokenReviewVia(kc!), audience: cfg.tokenAudience, identities: cfg.reporterIdentities });
  const access: UserAccess = createUserAccess({
    mode: cfg.readAuth, trustLoopback: cfg.trustLoopback,
    ...(cfg.readAuth === 'rbac' ? { review: tokenReviewVia(kc!), authorize: subjectAccessReviewVia(kc!) } : {}),
  });
  // Opt-ins that open the map are said loudly at every start.
  if (cfg.auth === 'none') log('warn', 'SECURITY: --auth none: ANY client that reaches this port can add intents to the map (and so to the network policy generated from it). Use tokenreview in a cluster.');
  if (cfg.readAuth === 'none') log('warn', 'SECURITY: --read-auth none: ANY client that reaches this port can read the whole map and RESET it.');
  if (cfg.auth === 'tokenreview') log('info', `reporters: ${Object.entries(cfg.reporterIdentities).map(([u, r]) => `${r}=${u}`).join(', ')}`);

  // Renders and large exports run in a worker thread with a heap and a time cap; the rest in process.
  const exportPool = createExportPool({ store, maxHeapMb: Math.floor(cfg.exportHeapBytes / 1048576), timeoutMs: cfg.exportTimeoutMs, log: (m) => log('warn', m) });
  const exportRoutes = new Hono().route('/', exportPool.routes).route('/', createExportRoutes({ intents: store }));
  const app = createApp({
    ingest, store, cluster, auth, access, metrics, exportRoutes, bodyLimit: cfg.bodyLimit, maxConcurrentReports: cfg.maxConcurrentReports,
    remoteAddress: (c) => getConnInfo(c).remote.address,
    log: (m) => log('warn', m), audit: (m) => log('info', m),
    ...(durable ? { commit: durable.commit } : {}), intentsAnswer: exportPool.respond, ...storeHealth,
  });

  const limits: ServerLimits = { headerTimeoutMs: cfg.headerTimeoutMs, requestTimeoutMs: cfg.requestTimeoutMs, maxConnections: cfg.maxConnections };
  const servers: ServerType[] = [await listen(app.fetch, cfg.port, cfg.bindAddress, limits)];
  if (cfg.metricsPort) servers.push(await listen(createMetricsApp({ metrics, cluster, ...storeHealth }).fetch, cfg.metricsPort, cfg.bindAddress, limits));
  log('info', `listening on ${cfg.bindAddress}:${portOf(servers[0])}${servers[1] ? `, metrics on :${portOf(servers[1])}` : ''}; reports: ${auth.mode}; reads and reset: ${access.mode}${access.trustLoopback && access.mode !== 'none' ? ', loopback trusted' : ''}`);

  const timers: NodeJS.Timeout[] = [];
  if (durable) timers.push(setInterval(() => void save(), cfg.storeSaveIntervalMs));
  if (cfg.intentExpiryMs > 0) {
    // Each sweep that removed something is logged and counted (store/expiry.ts); the compaction after it makes the removal durable.
    const sweep = createExpirySweep({ store, maxAgeMs: cfg.intentExpiryMs, metrics, logger: { info: (m, f) => log('info', m, f) }, onExpired: () => void save(true) });
    timers.push(setInterval(sweep, Math.min(60_000, Math.max(1000, cfg.intentExpiryMs / 10))));
  }
  for (const t of timers) t.unref();

  let closing: Promise<void> | undefined;
  return {
    port: portOf(servers[0]),
    metricsPort: servers[1] ? portOf(servers[1]) : undefined,
    metrics,
    close() {
      closing ??= (async () => {
        for (const t of timers) clearInterval(t);
        await Promise.all(servers.map(closeServer));
        await exportPool.close();
        await running.stop();
        if (durable) await durable.close().then(() => saves.inc({ result: 'ok' }), (err: unknown) => { saves.inc({ result: 'error' }); log('error', `store: cannot compact into ${cfg.storeFile}: ${(err as Error).message}`); });
      })();
      return closing;
    },
  };
}

/** The process entry: exit 0 on a clean stop, 1 on a failure, 2 on a bad setting. */
/** The cluster domain from the pod's /etc/resolv.conf search list; undefined when absent or unreadable. */
export async function detectClusterDomain(path = RESOLV_CONF): Promise<string | undefined> {
  try {
    return clusterDomainFromResolvConf(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}

export async function runMain(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) { process.stdout.write(usage()); return 0; }
  let cfg: ControllerConfig;
  try {
    const inCluster = Boolean(env.KUBERNETES_SERVICE_HOST);
    const namespace = inCluster ? podNamespace() : undefined;
    cfg = parseConfig(argv, env, inCluster, { clusterDomain: await detectClusterDomain(), ...(namespace ? { namespace } : {}) });
  } catch (err) {
    if (err instanceof ConfigError) { process.stderr.write(`netmapper-controller: ${err.message}\n`); return 2; }
    throw err;
  }
  const log = createLog(cfg.logLevel);
  let ctl: RunningController;
  try {
    ctl = await startController(cfg, { log });
  } catch (err) {
    log('error', `cannot start: ${(err as Error).message}`);
    return 1;
  }
  // Graceful shutdown: stop serving, stop informers, write the store one last time.
  return new Promise<number>((resolve) => {
    const stop = (sig: string) => {
      log('info', `${sig}: shutting down`);
      ctl.close().then(() => resolve(0), (err: unknown) => { log('error', `shutdown: ${(err as Error).message}`); resolve(1); });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Exit explicitly: keep-alive sockets of the API client must not hold a stopped controller open.
  runMain(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
    process.stderr.write(`netmapper-controller: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  });
}
