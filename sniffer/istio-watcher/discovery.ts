// Which sidecars to scrape: an informer over pods labelled `security.istio.io/tlsMode` (the label the
// injector sets), keeping those Running with an `istio-proxy` container (a regular container, or a native
// sidecar init container) and a pod IP. Needs pods get/list/watch only — never pods/exec.

import { CoreV1Api, makeInformer, type KubeConfig, type V1Pod } from '@kubernetes/client-node';

export const TLS_MODE_LABEL = 'security.istio.io/tlsMode';
export const PROXY_CONTAINER = 'istio-proxy';

export interface Sidecar {
  uid: string;
  name: string;
  namespace: string;
  ip: string;
  createdAt: number;
  /** restartCount of the istio-proxy container. */
  proxyRestarts?: number;
}

/** The pod as a sidecar to scrape, or undefined when it is not one (yet). */
export function sidecarOf(pod: V1Pod): Sidecar | undefined {
  const m = pod.metadata;
  if (!m?.uid || !m.name || !m.namespace) return undefined;
  if (!m.labels || !(TLS_MODE_LABEL in m.labels)) return undefined;
  if (pod.status?.phase !== 'Running' || m.deletionTimestamp) return undefined;
  const ip = pod.status.podIP ?? pod.status.podIPs?.[0]?.ip;
  if (!ip || pod.spec?.hostNetwork) return undefined;   // a host-network pod's IP is the node's: not a sidecar's port
  const inSpec = (pod.spec?.containers ?? []).some((c) => c.name === PROXY_CONTAINER)
    || (pod.spec?.initContainers ?? []).some((c) => c.name === PROXY_CONTAINER && c.restartPolicy === 'Always');
  if (!inSpec) return undefined;
  const status = [...(pod.status.containerStatuses ?? []), ...(pod.status.initContainerStatuses ?? [])].find((c) => c.name === PROXY_CONTAINER);
  const created = m.creationTimestamp ? new Date(m.creationTimestamp as unknown as string).getTime() : NaN;
  const out: Sidecar = { uid: m.uid, name: m.name, namespace: m.namespace, ip, createdAt: Number.isFinite(created) ? created : 0 };
  if (status) out.proxyRestarts = status.restartCount;
  return out;
}

export interface SidecarDiscovery {
  /** Resolves once the first list arrived (or `signal` aborts). */
  start(signal?: AbortSignal): Promise<void>;
  stop(): Promise<void>;
  sidecars(): Sidecar[];
  synced(): boolean;
  /** Informer restarts after errors. */
  readonly restarts: number;
}

export interface DiscoveryOptions {
  /** Only this namespace (default: all). */
  namespace?: string;
  pageSize?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  onError?: (err: unknown) => void;
}

export function createSidecarDiscovery(kc: KubeConfig, opts: DiscoveryOptions = {}): SidecarDiscovery {
  const api = kc.makeApiClient(CoreV1Api);
  const pageSize = opts.pageSize ?? 500;
  const minBackoff = opts.minBackoffMs ?? 1000;
  const maxBackoff = opts.maxBackoffMs ?? 30_000;
  const byUid = new Map<string, Sidecar>();
  const uidByName = new Map<string, string>();
  let listed = false;
  let stopped = true;
  let restarts = 0;
  let delay = minBackoff;
  let timer: NodeJS.Timeout | undefined;
  let onListed: (() => void) | undefined;

  const path = opts.namespace ? `/api/v1/namespaces/${encodeURIComponent(opts.namespace)}/pods` : '/api/v1/pods';
  const list = async () => {
    const items: V1Pod[] = [];
    let cont: string | undefined;
    let resourceVersion: string | undefined;
    do {
      const page = opts.namespace
        ? await api.listNamespacedPod({ namespace: opts.namespace, labelSelector: TLS_MODE_LABEL, limit: pageSize, _continue: cont })
        : await api.listPodForAllNamespaces({ labelSelector: TLS_MODE_LABEL, limit: pageSize, _continue: cont });
      items.push(...page.items);
      cont = page.metadata?._continue || undefined;
      resourceVersion = page.metadata?.resourceVersion;
    } while (cont);
    // A relist replaces what we knew: pods deleted while the watch was down must go.
    byUid.clear();
    uidByName.clear();
    for (const p of items) upsert(p);
    listed = true;
    delay = minBackoff;
    onListed?.();
    return { metadata: { resourceVersion }, items } as never;
  };
  const key = (p: V1Pod) => `${p.metadata?.namespace}/${p.metadata?.name}`;
  function upsert(p: V1Pod) {
    const k = key(p);
    const old = uidByName.get(k);
    if (old) byUid.delete(old);
    uidByName.delete(k);
    const s = sidecarOf(p);
    if (s) { byUid.set(s.uid, s); uidByName.set(k, s.uid); }
  }
  function remove(p: V1Pod) {
    const k = key(p);
    const old = uidByName.get(k);
    if (old) byUid.delete(old);
    uidByName.delete(k);
  }

  const informer = makeInformer<V1Pod>(kc, path, list, TLS_MODE_LABEL);
  informer.on('add', upsert);
  informer.on('update', upsert);
  informer.on('delete', remove);
  informer.on('error', (err) => {
    opts.onError?.(err);
    if (stopped) return;
    restarts++;
    timer = setTimeout(() => { timer = undefined; if (!stopped) informer.start().catch(() => {}); }, delay);
    delay = Math.min(maxBackoff, delay * 2);
  });

  return {
    start(signal) {
      stopped = false;
      const first = new Promise<void>((resolve) => {
        if (listed) return resolve();
        onListed = () => { onListed = undefined; resolve(); };
        signal?.addEventListener('abort', () => resolve(), { once: true });
      });
      informer.start().catch(() => {});   // a failed first list arrives as an 'error' event and is retried
      return first;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await informer.stop();
    },
    sidecars: () => [...byUid.values()],
    synced: () => listed,
    get restarts() { return restarts; },
  };
}
