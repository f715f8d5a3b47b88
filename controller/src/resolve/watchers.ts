// Resolves the Kafka watcher's records (reference §2.5): a pod by source IP calling a named broker pod,
// one topic with one operation. (The Istio watcher's records: istio.ts.)

import type { ClusterView } from '../cluster/view.ts';
import type { KafkaRecord } from '../../contract/schema.ts';
import { KAFKA_OPERATIONS, type KafkaOperation } from '../model.ts';
import type { IdentityCache } from './identities.ts';
import type { Resolution } from './connection.ts';
import { podAt, podAliveAt } from './pod-at.ts';

/** Kafka's ACL log says read/write; the reference maps them to consume/produce. */
const KAFKA_ALIASES: Record<string, KafkaOperation> = { read: 'consume', write: 'produce' };
const KAFKA_BY_LOWER = new Map<string, KafkaOperation>(KAFKA_OPERATIONS.map((o) => [o.toLowerCase(), o]));

export function kafkaOperation(op: string): KafkaOperation | undefined {
  const l = op.toLowerCase();
  return KAFKA_ALIASES[l] ?? KAFKA_BY_LOWER.get(l);
}

export function createWatcherResolver(deps: { identities: IdentityCache }) {
  const { identities } = deps;

  async function resolveKafka(r: KafkaRecord, t: number, cluster: ClusterView): Promise<Resolution> {
    const operation = kafkaOperation(r.operation);
    if (!operation) return { reason: 'unknown-kafka-operation' };
    const client = podAt(cluster, r.srcIp, t);
    if ('reason' in client) return { reason: client.reason === 'no-pod' ? 'no-client-pod' : `client-${client.reason}` };
    const serverPod = cluster.pod(r.serverNamespace, r.serverPodName);
    if (!serverPod || !podAliveAt(serverPod, t)) return { reason: 'no-server-pod' };
    return {
      observation: {
        client: await identities.of(client.pod), server: await identities.of(serverPod), type: 'kafka',
        kafkaTopics: [{ name: r.topic, operations: [operation] }], lastSeen: t, count: 1, source: 'kafka',
      },
    };
  }

  return { resolveKafka };
}
