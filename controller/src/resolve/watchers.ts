// Resolves the Kafka watcher's and the Istio watcher's records (reference §2.5): Kafka → a pod by
// source IP calling a named broker pod, one topic with one operation; Istio → HTTP paths with methods
// between two named workloads.

import type { ClusterView } from '../cluster/view.ts';
import type { HttpRecord, KafkaRecord } from '../../contract/schema.ts';
import { HTTP_METHODS, KAFKA_OPERATIONS, type HttpMethod, type KafkaOperation } from '../model.ts';
import type { IdentityCache } from './identities.ts';
import type { Resolution } from './connection.ts';
import { podAt, podAliveAt } from './pod-at.ts';

/** Kafka's ACL log says read/write; the reference maps them to consume/produce. */
const KAFKA_ALIASES: Record<string, KafkaOperation> = { read: 'consume', write: 'produce' };
const KAFKA_BY_LOWER = new Map<string, KafkaOperation>(KAFKA_OPERATIONS.map((o) => [o.toLowerCase(), o]));
const HTTP_SET = new Set<string>(HTTP_METHODS);

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

  /** The Istio watcher already names both workloads; we keep its names (no pod lookup by canonical-name label). */
  function resolveHttp(r: HttpRecord, t: number): Resolution {
    const methods = r.methods.filter((m): m is HttpMethod => HTTP_SET.has(m));
    if (methods.length === 0) return { reason: 'unknown-http-method' };
    const server = { name: r.dstWorkload, namespace: r.dstWorkloadNamespace, kind: '' } as { name: string; namespace: string; kind: string; kubernetesService?: string };
    if (r.dstServiceName) server.kubernetesService = r.dstServiceName;
    return {
      observation: {
        client: { name: r.srcWorkload, namespace: r.srcWorkloadNamespace, kind: '' }, server, type: 'http',
        httpResources: [{ path: r.path, methods }], lastSeen: t, count: 1, source: 'istio',
      },
    };
  }

  return { resolveKafka, resolveHttp };
}
