// The watcher's Kubernetes mode: pods in the brokers' namespaces are watched (client-node informers,
// restarted with backoff when a watch fails); each pod that is a broker gets one log follower per
// container (or the named one), and loses them when it goes away or stops matching. A pod replaced
// under the same name (a StatefulSet restart) is a new uid: its log is read from its first line, so
// nothing it wrote is missed; pods already running when the watcher starts are read from
// `start - lookback`.

import { CoreV1Api, Log, makeInformer, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import type { Logger } from '../../controller/common/log.ts';
import { brokerKey, type AccessTable, type Broker } from './accesses.ts';
import { isTarget, targetNamespaces, type BrokerTargets } from './broker-targets.ts';
import type { WatcherMetrics } from './metrics.ts';
import { abortableSleep, followContainerLog } from './pod-log-follower.ts';

export interface KubernetesModeOptions {
  kc: KubeConfig;
  targets: BrokerTargets;
  /** Follow only this container; undefined: every container of the pod. */
  container?: string;
  table: AccessTable;
  metrics: WatcherMetrics;
  log: Logger;
  /** Pods running at start are read from this long before it (ms). */
  lookbackMs: number;
  now?: () => number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  idleMs?: number;
}

export interface KubernetesMode {
  /** `namespace/pod` → followed containers. */
  followed(): Map<string, string[]>;
  stop(): Promise<void>;
}

interface Followed { uid: string; containers: string[]; abort: AbortController; done: Promise<unknown> }

export async function startKubernetesMode(o: KubernetesModeOptions): Promise<KubernetesMode> {
  const now = o.now ?? Date.now;
  const started = now();
  const logApi = new Log(o.kc);
  const core = o.kc.makeApiClient(CoreV1Api);
  const followed = new Map<string, Followed>();
  const stopAll = new AbortController();

  function stopFollowing(key: string, why: string) {
    const f = followed.get(key);
    if (!f) return;
    followed.delete(key);
    f.abort.abort();
    o.metrics.brokers.set(followed.size);
    o.metrics.streamsOpen.set(0, { broker: key });
    o.log.info('broker dropped', { broker: key, why });
  }

  function consider(pod: V1Pod) {
    const md = pod.metadata;
    if (!md?.name || !md.namespace || !md.uid) return;
    const broker: Broker = { namespace: md.namespace, name: md.name };
    const key = brokerKey(broker);
    const wanted = isTarget(o.targets, { namespace: md.namespace, name: md.name, labels: md.labels }) && !md.deletionTimestamp;
    const have = followed.get(key);
    if (have && (!wanted || have.uid !== md.uid)) stopFollowing(key, wanted ? 'pod replaced' : 'no longer a broker');
    if (!wanted || followed.has(key)) return;
    const all = (pod.spec?.containers ?? []).map((c) => c.name);
    const containers = o.container ? all.filter((c) => c === o.container) : all;
    if (containers.length === 0) { o.log.warn('broker pod has no such container', { broker: key, container: o.container }); return; }
    // Created after we started: everything it logged is new. Otherwise: from a little before our start.
    const created = Date.parse(md.creationTimestamp ? new Date(md.creationTimestamp as unknown as string).toISOString() : '');
    // creationTimestamp has whole seconds: a pod stamped in our start second may be newer than us.
    const startAt = Number.isFinite(created) && created + 1000 > started ? undefined : new Date(started - o.lookbackMs).toISOString();
    const abort = new AbortController();
    let open = 0;
    const done = Promise.all(containers.map((container) => followContainerLog({
      log: logApi, broker, container, ...(startAt ? { startAt } : {}),
      onLine: (line, t, truncated) => o.table.line(broker, line, t, truncated),
      onOpen: () => { o.metrics.streamsOpen.set(++open, { broker: key }); },
      onClose: (error) => {
        o.metrics.streamsOpen.set(--open, { broker: key });
        o.metrics.reconnects.inc({ broker: key });
        if (error) { o.metrics.streamErrors.inc({ broker: key }); o.log.debug('log stream closed', { broker: key, container, error: describe(error) }); }
      },
      ...(o.initialBackoffMs !== undefined ? { initialBackoffMs: o.initialBackoffMs } : {}),
      ...(o.maxBackoffMs !== undefined ? { maxBackoffMs: o.maxBackoffMs } : {}),
      ...(o.idleMs !== undefined ? { idleMs: o.idleMs } : {}),
    }, AbortSignal.any([abort.signal, stopAll.signal]))));
    followed.set(key, { uid: md.uid, containers, abort, done });
    o.metrics.brokers.set(followed.size);
    o.log.info('broker added', { broker: key, containers, from: startAt ?? 'container start' });
  }

  const informers = targetNamespaces(o.targets).map((namespace) => {
    const informer = makeInformer<V1Pod>(o.kc, `/api/v1/namespaces/${namespace}/pods`, () => core.listNamespacedPod({ namespace }));
    informer.on('add', consider);
    informer.on('update', consider);
    informer.on('delete', (pod) => {
      const key = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
      if (followed.get(key)?.uid === pod.metadata?.uid) stopFollowing(key, 'pod deleted');
    });
    // client-node stops an informer whose watch fails; start it again, backing off.
    let failures = 0;
    informer.on('connect', () => { failures = 0; });
    informer.on('error', (err) => {
      if (stopAll.signal.aborted) return;
      const delay = Math.min(o.maxBackoffMs ?? 30_000, (o.initialBackoffMs ?? 1000) * 2 ** failures++);
      o.log.warn('pod watch failed; restarting', { namespace, error: describe(err), inMs: delay });
      void abortableSleep(delay, stopAll.signal).then(() => { if (!stopAll.signal.aborted) informer.start().catch(() => {}); });
    });
    return { namespace, informer };
  });
  await Promise.all(informers.map(async ({ namespace, informer }) => {
    try { await informer.start(); } catch (err) {
      // The error handler above retries; a namespace we may not read is logged, not fatal.
      o.log.warn('cannot list pods', { namespace, error: describe(err) });
    }
  }));
  // Named brokers that do not exist are reported once; they are picked up if they appear later.
  for (const b of o.targets.names) {
    if (!followed.has(brokerKey(b))) o.log.warn('named broker not found (yet)', { broker: brokerKey(b) });
  }

  return {
    followed: () => new Map([...followed].map(([k, f]) => [k, f.containers])),
    async stop() {
      stopAll.abort();
      await Promise.all(informers.map(({ informer }) => informer.stop().catch(() => {})));
      await Promise.all([...followed.values()].map((f) => f.done));
      followed.clear();
    },
  };
}

function describe(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && 'body' in err) return `HTTP ${(err as { code: number }).code}: ${String((err as { body: unknown }).body).slice(0, 200)}`;
  return err instanceof Error ? err.message : String(err);
}
