// Workload identity of a pod: an annotation or label names it, else the root of its owner chain
// (Pod → ReplicaSet → Deployment, Pod → Job → CronJob, StatefulSet, DaemonSet, custom owners); reference §2.3.

import type { WorkloadIdentity } from '../model.ts';
import type { ClusterView, OwnerRef, PodRecord } from '../cluster/view.ts';
import {
  DEPRECATED_SERVICE_NAME_ANNOTATION, OTTERIZE_SERVICE_NAME_LABEL, WORKLOAD_NAME_ANNOTATION, kindOf, nameFromImages, sanitizeWorkloadName,
} from './naming.ts';
import { splitApiVersion } from '../cluster/objects.ts';

export interface IdentityResolverOptions {
  /** Annotation whose value names the workload (default `intents.otterize.com/workload-name`).
   *  The cluster view must keep it too (its `keepAnnotations` option). */
  workloadNameAnnotation?: string;
  /** Optional label whose value names the workload, e.g. `app.kubernetes.io/name`; tried after the annotations. */
  labelRule?: string;
  /** Pods whose root owner is a Job (no CronJob) are named by their container images (Otterize's
   *  `experimentalUseDockerImageAsServiceNameForJobs`); the view must keep images (`keepImages`). */
  jobNameFromImage?: boolean;
  /** Cached identities (per pod uid), default 20 000; the least recently used go first. */
  cacheSize?: number;
  /** Cached identities are re-resolved after this long, so a re-parented owner is seen (default 1 hour). */
  cacheTtlMs?: number;
  now?: () => number;
}

export interface IdentityResolver {
  resolvePod(pod: PodRecord): Promise<WorkloadIdentity>;
  stats(): { hits: number; misses: number; cached: number; ownerLookups: number; ownerMissing: number };
}

/** Owner chains are short (Pod → ReplicaSet → Deployment); this bounds a cycle in corrupt data. */
const MAX_OWNER_DEPTH = 10;

export function createIdentityResolver(view: ClusterView, opts: IdentityResolverOptions = {}): IdentityResolver {
  const annotation = opts.workloadNameAnnotation ?? WORKLOAD_NAME_ANNOTATION;
  const cacheSize = opts.cacheSize ?? 20_000;
  const cacheTtlMs = opts.cacheTtlMs ?? 60 * 60_000;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { fingerprint: string; at: number; identity: Promise<WorkloadIdentity> }>();
  const counters = { hits: 0, misses: 0, ownerLookups: 0, ownerMissing: 0 };

  /** Everything about a pod the answer depends on; a change invalidates the cached identity. */
  function fingerprint(p: PodRecord): string {
    return [p.namespace, p.name, p.annotations[annotation], p.annotations[DEPRECATED_SERVICE_NAME_ANNOTATION],
      p.labels[OTTERIZE_SERVICE_NAME_LABEL], opts.labelRule ? p.labels[opts.labelRule] : '', p.owner?.kind, p.owner?.name,
      p.owner?.apiVersion, opts.jobNameFromImage ? (p.images ?? []).join(' ') : ''].join('\u0000');
  }

  function named(pod: PodRecord): WorkloadIdentity | undefined {
    const value = pod.annotations[annotation] || pod.annotations[DEPRECATED_SERVICE_NAME_ANNOTATION]
      || pod.labels[OTTERIZE_SERVICE_NAME_LABEL] || (opts.labelRule ? pod.labels[opts.labelRule] : undefined);
    if (!value) return undefined;
    return { name: value, namespace: pod.namespace, kind: '', nameResolvedUsingAnnotation: true };
  }

  /** The root is a Job and Jobs are named by image: a name from the images, no owner kind (as Otterize). */
  function byImage(pod: PodRecord, root: { apiVersion: string; kind: string }): WorkloadIdentity | undefined {
    if (!opts.jobNameFromImage || root.kind !== 'Job' || splitApiVersion(root.apiVersion).group !== 'batch') return undefined;
    const name = nameFromImages(pod.images ?? []);
    return name ? { name, namespace: pod.namespace, kind: '' } : undefined;
  }

  async function walk(pod: PodRecord): Promise<WorkloadIdentity> {
    let ref: OwnerRef | undefined = pod.owner;
    // No owner: the pod is its own workload.
    if (!ref) return { name: sanitizeWorkloadName(pod.name), namespace: pod.namespace, kind: 'Pod', group: '', version: 'v1' };
    for (let depth = 0; depth < MAX_OWNER_DEPTH; depth++) {
      counters.ownerLookups++;
      const owner = await view.getOwner(pod.namespace, ref);
      if (!owner) {
        // The owner cannot be read (missing, forbidden, unknown kind): stop at its name (reference §2.3).
        counters.ownerMissing++;
        break;
      }
      if (!owner.owner) return byImage(pod, owner) ?? { name: sanitizeWorkloadName(owner.name), namespace: pod.namespace, ...kindOf(owner.apiVersion, owner.kind) };
      ref = owner.owner;
    }
    return byImage(pod, ref) ?? { name: sanitizeWorkloadName(ref.name), namespace: pod.namespace, ...kindOf(ref.apiVersion, ref.kind) };
  }

  return {
    resolvePod(pod) {
      const fp = fingerprint(pod);
      const hit = cache.get(pod.uid);
      if (hit && hit.fingerprint === fp && now() - hit.at < cacheTtlMs) {
        counters.hits++;
        cache.delete(pod.uid);          // re-insert: Map order is the LRU order
        cache.set(pod.uid, hit);
        return hit.identity;
      }
      counters.misses++;
      const direct = named(pod);
      const identity = direct ? Promise.resolve(direct) : walk(pod);
      const entry = { fingerprint: fp, at: now(), identity };
      cache.delete(pod.uid);
      cache.set(pod.uid, entry);
      // A failed lookup (a view that throws) is not cached.
      identity.catch(() => { if (cache.get(pod.uid) === entry) cache.delete(pod.uid); });
      while (cache.size > cacheSize) cache.delete(cache.keys().next().value!);
      return identity;
    },
    stats: () => ({ ...counters, cached: cache.size }),
  };
}
