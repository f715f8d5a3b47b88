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

/** Where a cache keeps its entry on the pod record itself (a record is one pod version): a hit is a property
 *  read, not a lookup in a table of every pod. Symbol-keyed, so JSON, Object.keys and deep-equal never see it. */
const SLOT = Symbol('netmapper.identity');
interface CacheEntry { owner: object; id: WorkloadIdentity; at: number; pod: PodRecord }
type Slotted = PodRecord & { [SLOT]?: CacheEntry };

export function createIdentityCache(resolver: PodIdentityResolver, now: () => number, ttlMs = IDENTITY_TTL_MS, max = IDENTITY_CACHE_MAX): IdentityCache {
  // Keeps the size bound and the eviction order; the hit path reads the pod's slot (no key string per record).
  const cache = new Map<string, CacheEntry>();
  const shared = createIdentityInterner(max);
  const owner = {};   // several caches may see the same records: each reads only its own entries
  const forget = (e: CacheEntry | undefined) => { if (e && (e.pod as Slotted)[SLOT] === e) (e.pod as Slotted)[SLOT] = undefined; };
  return {
    of(pod, nowMs) {
      const t = nowMs ?? now();
      const fast = (pod as Slotted)[SLOT];
      if (fast !== undefined && fast.owner === owner && t - fast.at < ttlMs) return fast.id;
      const key = pod.uid || `${pod.namespace}/${pod.name}`;
      const hit = cache.get(key);
      // The record object changes when the view sees an update, so a new object also invalidates.
      if (hit && hit.pod === pod && t - hit.at < ttlMs) return hit.id;
      return resolver.resolvePod(pod).then((resolved) => {
        const id = shared({ ...resolved, labels: resolved.labels ?? { ...pod.labels } });
        if (cache.size >= max) {
          const oldest = cache.keys().next().value as string;
          forget(cache.get(oldest));
          cache.delete(oldest);
        }
        const entry: CacheEntry = { owner, id, at: t, pod };
        forget(cache.get(key));
        cache.set(key, entry);
        (pod as Slotted)[SLOT] = entry;
        return id;
      });
    },
  };
}

/** An identity's content in a key: own properties in order (an absent and an undefined one differ, as
 *  they do to a spread or `in`), values tagged by type, labels in their order. */
function identityKey(id: WorkloadIdentity): string {
  const parts: unknown[] = [];
  for (const [k, v] of Object.entries(id)) parts.push(k, typeof v === 'object' && v !== null ? Object.entries(v) : [typeof v, v]);
  return JSON.stringify(parts);
}

/**
 * One object per distinct identity: the pods of a workload (same name, kind, labels) share it, so the
 * store's per-identity memos, the gate's verified set and the Service-decorated copies hold one entry per
 * workload instead of one per pod. Equal content, same order: whichever object a record carries, every
 * output is the same. Bounded: clearing the table only loses sharing.
 */
function createIdentityInterner(max: number): (id: WorkloadIdentity) => WorkloadIdentity {
  const table = new Map<string, WorkloadIdentity>();
  return (id) => {
    const key = identityKey(id);
    const hit = table.get(key);
    if (hit) return hit;
    if (table.size >= max) table.clear();
    table.set(key, id);
    return id;
  };
}

/** The Kubernetes API server as a workload (reference §2.4): `kubernetes` in `default`. */
export const API_SERVER_IDENTITY: Readonly<WorkloadIdentity> = Object.freeze({
  name: 'kubernetes', namespace: 'default', kind: 'Service', version: 'v1', kubernetesService: 'kubernetes', labels: {},
});
