// Which pod held an IP at a moment: the time rules of reference §2.4–2.5. A reused IP belongs to
// the pod that held it then; pods created after the moment, or already deleting or gone by then,
// are not candidates; host-network pods are never guessed as workloads.

import type { ClusterView, PodRecord } from '../cluster/view.ts';

export interface PodAtOptions {
  /** Accept pods created up to this long after `t` (pod DNS names: the reference's 5-minute window). */
  createdSlackMs?: number;
  /** The pod must be at least this old at `t` (TCP/socket servers: `--min-server-age`). */
  minAgeMs?: number;
}

/** True when `pod` existed at `t` (epoch ms) and was not deleting, completed (Succeeded/Failed) or gone by then. */
export function podAliveAt(pod: PodRecord, t: number, createdSlackMs = 0): boolean {
  if (pod.createdAt > t + createdSlackMs) return false;
  if (pod.deletingAt !== undefined && pod.deletingAt <= t) return false;
  if (pod.endedAt !== undefined && pod.endedAt <= t) return false;
  if (pod.goneAt !== undefined && pod.goneAt <= t) return false;
  return true;
}

/** No options (a shared object: the default parameter would be a fresh `{}` per call). */
const NO_OPTIONS: PodAtOptions = Object.freeze({});

/** Which pod held `ip` at `t` (epoch ms): the pod, or why none did (a reason string). Resolution asks this once
 *  or twice per record, so the common answer allocates nothing. */
export function podHolding(view: ClusterView, ip: string, t: number, opts: PodAtOptions = NO_OPTIONS): PodRecord | string {
  const all = view.podsByIp(ip);
  if (all.length === 0) return 'no-pod';
  if (all.length === 1) {
    // The common case, one pod ever at this IP, without the arrays below (same answers).
    const only = all[0]!;
    if (podAliveAt(only, t, opts.createdSlackMs)) {
      if (only.hostNetwork) return 'host-network';
      if (opts.minAgeMs && only.createdAt > t - opts.minAgeMs) return 'server-too-young';
      return only;
    }
  }
  let alive = all.filter((p) => podAliveAt(p, t, opts.createdSlackMs));
  if (alive.length === 0) {
    // A pod that existed then but was deleting, gone or completed explains the miss better than a later one.
    const existed = all.filter((p) => p.createdAt <= t);
    if (existed.length > 0) {
      const stopped = existed.every((p) => p.endedAt !== undefined && p.endedAt <= t && !(p.deletingAt !== undefined && p.deletingAt <= t) && !(p.goneAt !== undefined && p.goneAt <= t));
      return stopped ? 'pod-completed' : 'pod-deleting';
    }
    return 'pod-created-after-record';
  }
  if (alive.some((p) => p.hostNetwork)) return 'host-network';
  if (alive.length > 1) {
    const before = alive.filter((p) => p.createdAt <= t);
    if (before.length === 1) alive = before;
    else return 'ambiguous';
  }
  const pod = alive[0];
  if (opts.minAgeMs && pod.createdAt > t - opts.minAgeMs) return 'server-too-young';
  return pod;
}

/** A record's client side not found (podHolding's reason): the reason counted, the same for every record kind.
 *  A connection record's caller tells a node's address apart first (`client-node-ip`). */
export function clientMissReason(found: string): string {
  return found === 'no-pod' ? 'no-client-pod' : found === 'host-network' ? 'client-host-network' : `client-${found}`;
}
