// One log record per stored observation (durable-store.ts): the write-ahead log's hot path, once per
// resolved record. Identities are shared objects, cached per pod version by resolution, and carry
// their labels — so each identity's JSON is made once and reused, and the usual plain pod-to-pod
// observation is written by concatenation. The text parses back to the same observation; it need not
// be JSON.stringify's byte for byte (other shapes still go through JSON.stringify).

import type { WorkloadIdentity } from '../model.ts';
import type { IntentObservation } from './entry.ts';

const identityJson = new WeakMap<WorkloadIdentity, string>();

function jsonOf(w: WorkloadIdentity): string {
  let s = identityJson.get(w);
  if (s === undefined) identityJson.set(w, (s = JSON.stringify(w)));
  return s;
}

/** `o` as one line of JSON. */
export function observationJson(o: IntentObservation): string {
  if (o.type !== 'plain' || !o.server || o.internet || o.kafkaTopics || o.httpResources
    || !Number.isFinite(o.lastSeen) || !Number.isFinite(o.count)) return JSON.stringify(o);
  return `{"client":${jsonOf(o.client)},"server":${jsonOf(o.server)},"type":"plain","lastSeen":${o.lastSeen},"count":${o.count},"source":${JSON.stringify(o.source)}}`;
}
