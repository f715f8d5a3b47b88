// The ingest gate: what a report may put into the map, apart from what the contract already checks.
// 1. Each record kind only from a role that may send it (auth/policy.ts): a sniffer's token cannot
//    add Istio paths. Per record: the rest of the report is kept.
// 2. No workload named on trust: every identity stored must have been produced by the identity
//    resolver from a pod in the cluster view (or be the API server). A resolver that would store a name
//    as the reporter wrote it (a forged Istio or Kafka record naming a workload that does not exist)
//    is refused here, whatever resolver runs.
// 3. A bounded rate of new intents per reporter (per pod when the token names one): one identity
//    cannot fill the store to its cap and crowd real intents out. Merges into known intents are free.
// Each refusal is a counted reason in the report's answer (`unresolved`).

import type { RecordSource } from '../contract/schema.ts';
import { setHiddenMark } from '../common/hidden-mark.ts';
import { roleMaySend } from './auth/policy.ts';
import type { Reporter } from './auth/types.ts';
import type { WorkloadIdentity } from './model.ts';
import { API_SERVER_IDENTITY, IDENTITY_CACHE_MAX, type PodIdentityResolver } from './resolve/identities.ts';
import type { IntentObservation } from './store/entry.ts';

/** New intents one reporter may add per window (`--reporter-new-intents`); 0: no bound. */
export const DEFAULT_REPORTER_NEW_INTENTS = 20_000;
export const REPORTER_QUOTA_WINDOW_MS = 10 * 60_000;
const MAX_BUCKETS = 10_000;

export interface IngestGateOptions {
  reporterNewIntents?: number;
  now?: () => number;
}

const idKey = (id: Pick<WorkloadIdentity, 'name' | 'namespace' | 'kind'>): string => `${id.namespace}\0${id.name}\0${id.kind}`;

/** On an identity object: the gate that has checked it (not enumerable: spreads, JSON and keys never see it).
 *  Read from the object in hand, where a set of every checked identity would be one more table lookup per record. */
const VERIFIED_BY = Symbol('netmapper.verifiedBy');
type Marked = WorkloadIdentity & { [VERIFIED_BY]?: object };

export function createIngestGate(opts: IngestGateOptions = {}) {
  const now = opts.now ?? Date.now;
  const capacity = opts.reporterNewIntents ?? DEFAULT_REPORTER_NEW_INTENTS;
  const refillPerMs = capacity / REPORTER_QUOTA_WINDOW_MS;
  const produced = new Map<string, true>();
  // The identity objects already checked (the identity cache hands the same object per pod version, and
  // a Service-decorated copy is cached too) carry this gate's mark: a record then costs a property read, not
  // a key string. An object is only marked after its name was found in `produced`; a resolver's fresh object
  // (a forged name) is checked by key every time, and so is one that cannot take the mark (frozen).
  const self = {};
  const buckets = new Map<string, { tokens: number; at: number }>();

  function remember(id: WorkloadIdentity): WorkloadIdentity {
    const k = idKey(id);
    if (!produced.has(k)) {
      while (produced.size >= IDENTITY_CACHE_MAX) produced.delete(produced.keys().next().value as string);
      produced.set(k, true);
    }
    return id;
  }

  function fromCluster(id: WorkloadIdentity): boolean {
    if (id === API_SERVER_IDENTITY || (id as Marked)[VERIFIED_BY] === self) return true;
    if (!produced.has(idKey(id))) return false;
    setHiddenMark(id, VERIFIED_BY, self);
    return true;
  }

  return {
    /** The identity resolver under the identity cache, recording each identity it produces from a cluster
     *  pod before the cache hands it out (so a cache hit costs nothing here). */
    track(resolver: PodIdentityResolver): PodIdentityResolver {
      return { resolvePod: (pod) => resolver.resolvePod(pod).then(remember) };
    },

    /** A reason when `reporter` may not send a record of `source`; none for replay (no reporter). */
    refuseKind(reporter: Reporter | undefined, source: RecordSource): string | undefined {
      return reporter && !roleMaySend(reporter.roles, source) ? 'kind-not-allowed-for-role' : undefined;
    },

    /** A reason when the observation names a workload the identity resolver never produced. */
    refuseUnverified(o: IntentObservation): string | undefined {
      return fromCluster(o.client) && (!o.server || fromCluster(o.server)) ? undefined : 'workload-not-in-cluster';
    },

    /** True when new intents from `reporter` are counted against a quota (ingest then has the store ask `refuseNew` for a new intent only). */
    quotaApplies(reporter: Reporter | undefined): boolean {
      return reporter !== undefined && capacity > 0;
    },

    /** A reason when this new intent would take `reporter` past its quota; takes one unit when not. */
    refuseNew(reporter: Reporter | undefined): string | undefined {
      if (!reporter || capacity <= 0) return undefined;
      const t = now();
      let b = buckets.get(reporter.quotaKey);
      if (!b) {
        while (buckets.size >= MAX_BUCKETS) buckets.delete(buckets.keys().next().value as string);
        b = { tokens: capacity, at: t };
        buckets.set(reporter.quotaKey, b);
      }
      b.tokens = Math.min(capacity, b.tokens + (t - b.at) * refillPerMs);
      b.at = t;
      if (b.tokens < 1) return 'reporter-quota';
      b.tokens -= 1;
      return undefined;
    },
  };
}

export type IngestGate = ReturnType<typeof createIngestGate>;
