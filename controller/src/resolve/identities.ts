// Pod → workload identity, through the identity resolver (owner walk, annotations) with a short,
// bounded cache so that a busy pod costs one walk per TTL rather than one per record.

import type { PodRecord } from '../cluster/view.ts';
import type { WorkloadIdentity } from '../model.ts';

/** What the `identity/` module provides (branch `cluster`): `createIdentityResolver(view, opts)`. */
export interface PodIdentityResolver {
  resolvePod(pod: PodRecord): Promise<WorkloadIdentity>;
}

export interface IdentityCache {
  /** The identity of a pod, with its labels; a value when cached, a promise otherwise. `nowMs`: wall clock. */
  of(pod: PodRecord, nowMs?: number): WorkloadIdentity | Promise<WorkloadIdentity>;
}

/**
 * `id` as reached through Service `service`: the same object for the same identity and Service, so a
 * record costs a lookup, not a copy of the identity and its labels. Identities are cached per pod
 * version (a changed pod gets a new one), and so is this.
 */
const viaService = new WeakMap<WorkloadIdentity, Map<string, WorkloadIdentity>>();
export function withKubernetesService(id: WorkloadIdentity, service: string): WorkloadIdentity {
  let bySvc = viaService.get(id);
  if (!bySvc) viaService.set(id, (bySvc = new Map()));
  let out = bySvc.get(service);
  if (!out) bySvc.set(service, (out = { ...id, kubernetesService: service }));
  return out;
}

/** A changed pod is a new record object and misses at once; the TTL only bounds how long an owner
 *  change above the pod (a re-parented ReplicaSet) can lag. Reference §2.3 uses an hour. */
export const IDENTITY_TTL_MS = 5 * 60_000;
export const IDENTITY_CACHE_MAX = 200_000;

export function createIdentityCache(resolver: PodIdentityResolver, now: () => number, ttlMs = IDENTITY_TTL_MS, max = IDENTITY_CACHE_MAX): IdentityCache {
  const cache = new Map<string, { id: WorkloadIdentity; at: number; pod: PodRecord }>();
  // The hit path by object identity (no key string per record); the Map above keeps the size bound.
  const current = new WeakMap<PodRecord, { id: WorkloadIdentity; at: number; pod: PodRecord }>();
  return {
    of(pod, nowMs) {
      const t = nowMs ?? now();
      const fast = current.get(pod);
      if (fast && t - fast.at < ttlMs) return fast.id;
      const key = pod.uid || `${pod.namespace}/${pod.name}`;
      const hit = cache.get(key);
      // The record object changes when the view sees an update, so a new object also invalidates.
      if (hit && hit.pod === pod && t - hit.at < ttlMs) return hit.id;
      return resolver.resolvePod(pod).then((resolved) => {
        const id: WorkloadIdentity = { ...resolved, labels: resolved.labels ?? { ...pod.labels } };
        if (cache.size >= max) {
          const oldest = cache.keys().next().value as string;
          const gone = cache.get(oldest);
          if (gone) current.delete(gone.pod);
          cache.delete(oldest);
        }
        const entry = { id, at: t, pod };
        const prev = cache.get(key);
        if (prev) current.delete(prev.pod);
        cache.set(key, entry);
        current.set(pod, entry);
        return id;
      });
    },
  };
}

/** The Kubernetes API server as a workload (reference §2.4): `kubernetes` in `default`. */
export const API_SERVER_IDENTITY: Readonly<WorkloadIdentity> = Object.freeze({
  name: 'kubernetes', namespace: 'default', kind: 'Service', version: 'v1', kubernetesService: 'kubernetes', labels: {},
});
