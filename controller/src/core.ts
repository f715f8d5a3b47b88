// The one composition root of the controller's core: cluster view → identity resolver → ingest →
// intent store, wired the same way for the controller process (main.ts) and for offline replay
// (cli/replay/), so the two cannot resolve the same traffic differently. Runtime-agnostic: the
// cluster view is built by the caller (informers or a snapshot) and passed in.

import type { ClusterView } from './cluster/view.ts';
import { createIdentityResolver, DEPRECATED_SERVICE_NAME_ANNOTATION, WORKLOAD_NAME_ANNOTATION, type IdentityResolver } from './identity/index.ts';
import { createIngest, type Ingest } from './ingest.ts';
import type { IngestGateOptions } from './ingest-gate.ts';
import type { Metrics } from '../common/metrics.ts';
import { createIntentStore, type IntentStore, type StoreJournal } from './store/intent-store.ts';

export const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';
/** `--min-server-age` default: TCP/socket servers younger than this at the packet are not trusted. */
export const DEFAULT_MIN_SERVER_AGE_MS = 5 * 60_000;

export interface CoreConfig {
  clusterDomain?: string;
  minServerAgeMs?: number;
  /** `--workload-name-annotation` (default `intents.otterize.com/workload-name`). */
  workloadNameAnnotation?: string;
  /** `--workload-label`: a pod label naming the workload, tried after the annotations. */
  workloadLabel?: string;
  excludeNamespaces?: readonly string[];
  maxIntents?: number;
  /** `--control-plane-cidr-prefix`: IPv4 prefix around the API server's endpoints that is the control plane. */
  controlPlaneIpv4PrefixLength?: number;
  /** `--job-name-from-image`: pods of Jobs without a CronJob are named by their images (the view keeps images). */
  jobNameFromImage?: boolean;
}

export interface CoreDeps {
  cluster: ClusterView;
  config: CoreConfig;
  metrics?: Metrics;
  now?: () => Date;
  log?: (msg: string) => void;
  /** Tests and benchmarks size the identity cache. */
  identityCacheSize?: number;
  /** Per-reporter bounds (ingest-gate.ts). */
  gate?: IngestGateOptions;
  /** Durability (store/durable-store.ts): every change is logged, and a report returns only once `commit()` resolves. */
  durable?: { journal: StoreJournal; commit(): Promise<void> };
}

export interface Core {
  cluster: ClusterView;
  identity: IdentityResolver;
  store: IntentStore;
  ingest: Ingest;
}

/** The pod annotations a cluster view must keep for the identity rules of `config`. */
export function keptAnnotations(config: Pick<CoreConfig, 'workloadNameAnnotation'>): string[] {
  return [config.workloadNameAnnotation ?? WORKLOAD_NAME_ANNOTATION, DEPRECATED_SERVICE_NAME_ANNOTATION];
}

/**
 * @example const { ingest, store } = createCore({ cluster: await loadSnapshotView(files, { keepAnnotations: keptAnnotations(cfg) }), config: cfg })
 */
export function createCore(deps: CoreDeps): Core {
  const { cluster, config } = deps;
  const store = createIntentStore({
    ...(config.excludeNamespaces ? { excludeNamespaces: config.excludeNamespaces } : {}),
    ...(config.maxIntents !== undefined ? { maxIntents: config.maxIntents } : {}),
    ...(deps.durable ? { journal: deps.durable.journal } : {}),
  });
  const identity = createIdentityResolver(cluster, {
    ...(config.workloadNameAnnotation ? { workloadNameAnnotation: config.workloadNameAnnotation } : {}),
    ...(config.workloadLabel ? { labelRule: config.workloadLabel } : {}),
    ...(deps.identityCacheSize ? { cacheSize: deps.identityCacheSize } : {}),
    ...(config.jobNameFromImage ? { jobNameFromImage: true } : {}),
  });
  const ingest = createIngest({
    cluster, identity, store,
    config: {
      clusterDomain: config.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN, minServerAgeMs: config.minServerAgeMs ?? DEFAULT_MIN_SERVER_AGE_MS,
      ...(config.controlPlaneIpv4PrefixLength !== undefined ? { controlPlaneIpv4PrefixLength: config.controlPlaneIpv4PrefixLength } : {}),
    },
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.log ? { log: deps.log } : {}),
    ...(deps.gate ? { gate: deps.gate } : {}),
    ...(deps.durable ? { commit: deps.durable.commit } : {}),
  });
  return { cluster, identity, store, ingest };
}
