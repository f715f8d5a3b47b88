// Resolves the Kafka watcher's records (reference §2.5, "Kafka results"): the client is the pod that
// held the source IP when the access was logged; the server is the broker pod named in the record,
// found by name as Otterize does (a restarted StatefulSet pod keeps its name and identity, so a record
// logged by the pod it replaced still lands on the same workload). The intent is a Kafka target with
// one topic and one operation; the store merges topics and operations per (client, broker).

import type { ClusterView } from '../cluster/view.ts';
import type { KafkaRecord } from '../../contract/schema.ts';
import { KAFKA_OPERATIONS, type KafkaOperation } from '../model.ts';
import type { Resolution } from './connection.ts';
import type { IdentityCache } from './identities.ts';
import { clientMissReason, podHolding } from './pod-at.ts';

/** Kafka's names for the two data operations (the ACL log says Read/Write; ClientIntents consume/produce). */
const KAFKA_ALIASES: Record<string, KafkaOperation> = { read: 'consume', write: 'produce' };
const BY_FOLDED = new Map<string, KafkaOperation>(KAFKA_OPERATIONS.map((o) => [o.toLowerCase(), o]));

/** `Read`, `READ`, `consume`, `CLUSTER_ACTION`, `ClusterAction` → the CRD value; undefined for ANY, CREATE_TOKENS, … */
export function kafkaOperation(op: string): KafkaOperation | undefined {
  const l = op.replace(/_/g, '').toLowerCase();
  return KAFKA_ALIASES[l] ?? BY_FOLDED.get(l);
}

/** Reasons a Kafka record is skipped (counted by the ingest). */
export type KafkaMissReason = 'unknown-kafka-operation' | 'no-client-pod' | 'client-host-network' | `client-${string}` | 'no-server-pod';

export function createKafkaResolver(deps: { identities: IdentityCache }) {
  return async function resolveKafka(r: KafkaRecord, t: number, cluster: ClusterView): Promise<Resolution> {
    const operation = kafkaOperation(r.operation);
    if (!operation) return { reason: 'unknown-kafka-operation' };
    const client = podHolding(cluster, r.srcIp, t);
    if (typeof client === 'string') return { reason: clientMissReason(client) };
    const serverPod = cluster.pod(r.serverNamespace, r.serverPodName);
    if (!serverPod) return { reason: 'no-server-pod' };
    return {
      client: await deps.identities.of(client), server: await deps.identities.of(serverPod), type: 'kafka',
      kafkaTopics: [{ name: r.topic, operations: [operation] }], lastSeen: t, count: 1, source: 'kafka',
    };
  };
}
