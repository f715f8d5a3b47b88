// How the CLI reaches the controller: `--mapper-url`, or, as the Otterize CLI does, through the
// kubeconfig: find the controller Service by its labels, pick a ready pod behind it, and
// port-forward a random local port to the pod's API port. Either way the kubeconfig user's bearer
// token goes along (the controller checks it with TokenReview + SubjectAccessReview when the caller is
// not on its loopback); `--token` / NETMAPPER_TOKEN gives one explicitly, for scripts.

import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { AddressInfo, Server, Socket } from 'node:net';
import type { FlagSpec, ParsedFlags } from './options.ts';
import { str, UsageError } from './options.ts';

export const CONTROLLER_LABELS = 'app.kubernetes.io/name=network-mapper,app.kubernetes.io/component=controller';
export const DEFAULT_MAPPER_NAMESPACE = 'netmapper-system';
export const DEFAULT_MAPPER_PORT = 8080;

export const CONNECTION_FLAGS: FlagSpec[] = [
  { name: 'mapper-url', type: 'string', valueName: 'URL', help: 'controller API base URL, e.g. http://127.0.0.1:8080; skips the kubeconfig (env NETMAPPER_MAPPER_URL)' },
  { name: 'mapper-namespace', aliases: ['--namespace'], type: 'string', valueName: 'NS', default: DEFAULT_MAPPER_NAMESPACE, help: "the controller's namespace, when reached through the kubeconfig" },
  { name: 'mapper-service-name', type: 'string', valueName: 'NAME', help: "the controller's Service by name (as the Otterize CLI; default: found by its labels)" },
  // The Otterize CLI forwards its --mapper-service-port straight to the pod: the same thing as our --mapper-port.
  { name: 'mapper-port', aliases: ['--mapper-service-port'], type: 'string', valueName: 'PORT', default: String(DEFAULT_MAPPER_PORT), help: "the controller pod's API port to port-forward to" },
  { name: 'kubeconfig', type: 'string', valueName: 'FILE', help: 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)' },
  { name: 'context', type: 'string', valueName: 'NAME', help: 'kubeconfig context (default: the current context)' },
  { name: 'timeout', type: 'string', valueName: 'SECONDS', default: '10', help: 'how long to wait for each controller call' },
  { name: 'token', type: 'string', valueName: 'TOKEN', help: "bearer token for the controller (env NETMAPPER_TOKEN); default: the kubeconfig user's token, when there is one" },
];

export interface MapperConnection {
  /** Base URL without a trailing slash. */
  baseUrl: string;
  /** How it was reached, for messages: the URL, or `pod ns/name via port-forward`. */
  via: string;
  /** `Bearer <token>` for the controller's reads and reset, when we have one. */
  authorization?: string;
  close(): Promise<void>;
}

export interface ConnectOptions {
  mapperUrl?: string;
  namespace: string;
  /** Find the Service by this name instead of by the controller's labels. */
  serviceName?: string;
  port: number;
  kubeconfig?: string;
  context?: string;
  /** Per controller call. */
  timeoutMs: number;
  /** `--token` / NETMAPPER_TOKEN. */
  token?: string;
}

/** Reads the connection flags (with `NETMAPPER_MAPPER_URL` as the URL's fallback). */
export function connectOptions(flags: ParsedFlags, env: Record<string, string | undefined>): ConnectOptions {
  const mapperUrl = str(flags, 'mapper-url') ?? (env.NETMAPPER_MAPPER_URL || undefined);
  if (mapperUrl !== undefined) {
    let url: URL;
    try { url = new URL(mapperUrl); } catch { throw new UsageError(`--mapper-url ${JSON.stringify(mapperUrl)} is not a URL`); }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--mapper-url must be http:// or https://, not ${url.protocol}`);
  }
  const portText = str(flags, 'mapper-port') ?? String(DEFAULT_MAPPER_PORT);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) throw new UsageError(`--mapper-port ${JSON.stringify(portText)} is not a port number (1-65535)`);
  const timeoutText = str(flags, 'timeout') ?? '10';
  const timeout = Number(timeoutText);
  if (!/^\d+(\.\d+)?$/.test(timeoutText) || timeout <= 0 || timeout > 3600) throw new UsageError(`--timeout ${JSON.stringify(timeoutText)} is not a number of seconds (0-3600)`);
  const token = str(flags, 'token') ?? (env.NETMAPPER_TOKEN || undefined);
  if (token !== undefined && !/^[\x21-\x7e]+$/.test(token)) throw new UsageError('--token must be printable ASCII without spaces');
  return { mapperUrl, namespace: str(flags, 'mapper-namespace') ?? DEFAULT_MAPPER_NAMESPACE, serviceName: str(flags, 'mapper-service-name'), port, kubeconfig: str(flags, 'kubeconfig'), context: str(flags, 'context'), timeoutMs: timeout * 1000, ...(token ? { token } : {}) };
}

async function loadKubeConfig(opts: ConnectOptions) {
  // Loaded only when needed: client-node is heavy.
  const k8s = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig);
  else kc.loadFromDefault();
  if (opts.context) {
    if (!kc.getContexts().some((c) => c.name === opts.context)) throw new Error(`kubeconfig has no context ${JSON.stringify(opts.context)}`);
    kc.setCurrentContext(opts.context);
  }
  return { k8s, kc };
}

/** Whether a kubeconfig could be loaded, checked without loading client-node (costly at start-up). */
function hasKubeconfig(opts: ConnectOptions): boolean {
  if (opts.kubeconfig) return true;
  const files = process.env.KUBECONFIG ? process.env.KUBECONFIG.split(delimiter) : [join(homedir(), '.kube', 'config')];
  return files.some((f) => f && existsSync(f)) || Boolean(process.env.KUBERNETES_SERVICE_HOST);
}

/** The kubeconfig user's `Authorization` header (static token, token file, exec or auth-provider plugin), if it has a bearer one. */
export async function kubeconfigAuthorization(kc: { applyToHTTPSOptions(o: { headers?: Record<string, unknown> }): Promise<void> }): Promise<string | undefined> {
  const o: { headers?: Record<string, unknown> } = { headers: {} };
  await kc.applyToHTTPSOptions(o);
  const h = o.headers?.Authorization ?? o.headers?.authorization;
  return typeof h === 'string' && /^Bearer\s+\S+$/i.test(h) ? h : undefined;
}

export async function connectToMapper(opts: ConnectOptions): Promise<MapperConnection> {
  const explicit = opts.token ? `Bearer ${opts.token}` : undefined;
  if (opts.mapperUrl !== undefined) {
    const baseUrl = opts.mapperUrl.replace(/\/+$/, '');
    let authorization = explicit;
    if (!authorization && hasKubeconfig(opts)) {
      // A kubeconfig without a token, or one that does not load, is not an error here: loopback needs none.
      try { authorization = await kubeconfigAuthorization((await loadKubeConfig(opts)).kc); } catch { authorization = undefined; }
    }
    return { baseUrl, via: baseUrl, ...(authorization ? { authorization } : {}), close: async () => {} };
  }
  const { k8s, kc } = await loadKubeConfig(opts);
  if (!kc.getCurrentCluster()) throw new Error('no Kubernetes cluster in the kubeconfig: set --kubeconfig/--context, or use --mapper-url');
  const pod = await findControllerPod(kc.makeApiClient(k8s.CoreV1Api), opts.namespace, opts.serviceName);
  const forward = new k8s.PortForward(kc);
  const conn = await portForward(pod, opts.namespace, opts.port, (socket) => forward.portForward(opts.namespace, pod, [opts.port], socket, null, socket));
  // Through port-forward the controller sees loopback (trusted by default); the token matters when it is not.
  const authorization = explicit ?? await kubeconfigAuthorization(kc).catch(() => undefined);
  return authorization ? { ...conn, authorization } : conn;
}

/** The part of CoreV1Api the lookup uses. */
export interface ControllerLookupApi {
  listNamespacedService(req: { namespace: string; labelSelector?: string; fieldSelector?: string }): Promise<{ items: ServiceLike[] }>;
  listNamespacedPod(req: { namespace: string; labelSelector?: string }): Promise<{ items: PodLike[] }>;
}
interface ServiceLike { metadata?: { name?: string }; spec?: { selector?: Record<string, string> } }
interface PodLike {
  metadata?: { name?: string; deletionTimestamp?: unknown };
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}

/** Finds the controller Service (by name when given, else by its labels) and returns the name of a ready pod behind it. */
export async function findControllerPod(api: ControllerLookupApi, namespace: string, serviceName?: string): Promise<string> {
  const query = serviceName !== undefined ? { namespace, fieldSelector: `metadata.name=${serviceName}` } : { namespace, labelSelector: CONTROLLER_LABELS };
  const services = (await kubeCall(() => api.listNamespacedService(query), `list Services in namespace ${namespace}`)).items;
  if (services.length === 0) {
    throw new Error(serviceName !== undefined
      ? `no Service ${JSON.stringify(serviceName)} in namespace ${namespace}; check --mapper-service-name and --mapper-namespace, or use --mapper-url`
      : `no network-mapper controller Service (labels ${CONTROLLER_LABELS}) in namespace ${namespace}; is it installed there? Use --mapper-namespace or --mapper-url`);
  }
  const service = [...services].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))[0];
  const selector = service.spec?.selector ?? {};
  const selectorText = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
  if (!selectorText) throw new Error(`Service ${namespace}/${service.metadata?.name} has no pod selector`);
  const pods = (await kubeCall(() => api.listNamespacedPod({ namespace, labelSelector: selectorText }), `list pods in namespace ${namespace}`)).items;
  const ready = pods
    .filter((p) => !p.metadata?.deletionTimestamp && p.status?.phase === 'Running'
      && (p.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'))
    .map((p) => p.metadata?.name ?? '').filter((n) => n !== '').sort();
  if (ready.length === 0) {
    throw new Error(`no ready pod behind Service ${namespace}/${service.metadata?.name} (selector ${selectorText}; ${pods.length} pod(s) found)`);
  }
  return ready[0];
}

async function kubeCall<T>(call: () => Promise<T>, what: string): Promise<T> {
  try {
    return await call();
  } catch (err: any) {
    const code = err?.code ?? err?.statusCode;
    const detail = typeof err?.body === 'string' ? err.body : err?.body?.message ?? err?.message ?? String(err);
    throw new Error(`could not ${what}${code ? ` (HTTP ${code})` : ''}: ${String(detail).slice(0, 300)}`);
  }
}

/** A WebSocket as client-node returns it: enough to close it and hear it close. */
interface ForwardSocket { close(): void; addEventListener?(type: 'close', fn: () => void): void; on?(type: 'close', fn: () => void): void }

/**
 * Listens on 127.0.0.1 on a random port; each accepted connection gets its own port-forward
 * stream (what `kubectl port-forward` does), torn down when either side closes.
 */
export async function portForward(pod: string, namespace: string, port: number,
  open: (socket: Socket) => Promise<ForwardSocket | unknown>): Promise<MapperConnection> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    open(socket).then((ws) => {
      const w = ws as ForwardSocket;
      const onClose = () => socket.destroy();
      if (w?.addEventListener) w.addEventListener('close', onClose);
      else w?.on?.('close', onClose);
      socket.on('close', () => { try { w?.close?.(); } catch { /* already closed */ } });
    }, (err: unknown) => {
      socket.destroy(err instanceof Error ? err : new Error(String(err)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const local = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${local}`,
    via: `pod ${namespace}/${pod} port ${port} (port-forward from 127.0.0.1:${local})`,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
