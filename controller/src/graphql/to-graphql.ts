// Our intents → the shapes of Otterize's GraphQL types (`Intent`, `OtterizeServiceIdentity`,
// `ServiceIntents`). Internet destinations have no type in that schema and are left out by the caller.

import { HTTP_METHODS, type Intent, type IntentType, type KafkaOperation, type WorkloadIdentity } from '../model.ts';

export interface GqlLabel { key: string; value: string }
export interface GqlGroupVersionKind { group: string | null; version: string; kind: string }
export interface GqlIdentity {
  name: string;
  namespace: string;
  labels: GqlLabel[];
  nameResolvedUsingAnnotation: boolean | null;
  resolutionData: null;
  podOwnerKind: GqlGroupVersionKind | null;
  kubernetesService: string | null;
}
export interface GqlIntent {
  client: GqlIdentity;
  server: GqlIdentity;
  type: 'HTTP' | 'KAFKA' | null;
  resolutionData: null;
  kafkaTopics: Array<{ name: string; operations: string[] }> | null;
  httpResources: Array<{ path: string; methods: string[] }> | null;
  awsActions: null;
}
export interface GqlServiceIntents { client: GqlIdentity; intents: GqlIdentity[] }

/** Byte order, as Go compares strings. */
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** `consume` → `CONSUME`, `ClusterAction` → `CLUSTER_ACTION`: the schema's enum value for a CRD operation. */
export function kafkaOperationEnum(op: KafkaOperation): string {
  return op.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}

const TYPE_ENUM: Record<IntentType, GqlIntent['type']> = { plain: null, kafka: 'KAFKA', http: 'HTTP', internet: null };

export function toGqlIdentity(w: WorkloadIdentity): GqlIdentity {
  const labels = Object.entries(w.labels ?? {}).map(([key, value]) => ({ key, value })).sort((a, b) => cmp(a.key, b.key));
  // An identity named by annotation (or label) has no owner object, hence no kind (Otterize: podOwnerKind null);
  // nor has the API server, which is a Service, not a pod owner.
  const owned = w.kind !== '' && w.kind !== 'Service' && !w.nameResolvedUsingAnnotation;
  return {
    name: w.name,
    namespace: w.namespace,
    labels,
    nameResolvedUsingAnnotation: w.nameResolvedUsingAnnotation ?? false,
    resolutionData: null,
    podOwnerKind: owned ? { group: w.group ? w.group : null, version: w.version ?? 'v1', kind: w.kind } : null,
    kubernetesService: w.kubernetesService ?? null,
  };
}

/**
 * One in-cluster intent as the schema's `Intent`; undefined for an Internet destination. Topics and
 * paths come in byte order, Kafka operations in the order our export sorts them, HTTP methods in the
 * schema's enum order, so a client that prints them as given prints what our own exports print.
 */
export function toGqlIntent(i: Intent): GqlIntent | undefined {
  if (i.type === 'internet' || !i.server) return undefined;
  const kafka = i.type === 'kafka' && i.kafkaTopics?.length
    ? [...i.kafkaTopics].sort((a, b) => cmp(a.name, b.name))
      .map((t) => ({ name: t.name, operations: [...t.operations].sort(cmp).map(kafkaOperationEnum) }))
    : null;
  const http = i.type === 'http' && i.httpResources?.length
    ? [...i.httpResources].sort((a, b) => cmp(a.path, b.path))
      .map((r) => ({ path: r.path, methods: HTTP_METHODS.filter((m) => (r.methods as string[]).includes(m)) }))
    : null;
  return {
    client: toGqlIdentity(i.client), server: toGqlIdentity(i.server), type: TYPE_ENUM[i.type],
    resolutionData: null, kafkaTopics: kafka, httpResources: http, awsActions: null,
  };
}

const nsName = (w: { namespace: string; name: string }): string => `${w.namespace}/${w.name}`;
const TYPE_ORDER: Record<string, number> = { KAFKA: 0, HTTP: 1, null: 2 };

/** Otterize's order: client `namespace/name`, then server `namespace/name` (byte order); ties (one
 *  pair, several types) Kafka, HTTP, plain, which upstream leaves to an unstable sort. */
export function compareGqlIntents(a: GqlIntent, b: GqlIntent): number {
  return cmp(nsName(a.client), nsName(b.client)) || cmp(nsName(a.server), nsName(b.server))
    || TYPE_ORDER[String(a.type)] - TYPE_ORDER[String(b.type)];
}

/** `serviceIntents`: one entry per client, its servers once each, both sorted by `namespace/name`. */
export function toGqlServiceIntents(intents: readonly GqlIntent[]): GqlServiceIntents[] {
  const byClient = new Map<string, { client: GqlIdentity; servers: Map<string, GqlIdentity> }>();
  for (const i of intents) {
    const k = nsName(i.client);
    let e = byClient.get(k);
    if (!e) byClient.set(k, e = { client: i.client, servers: new Map() });
    if (!e.servers.has(nsName(i.server))) e.servers.set(nsName(i.server), i.server);
  }
  return [...byClient].sort(([a], [b]) => cmp(a, b))
    .map(([, e]) => ({ client: e.client, intents: [...e.servers].sort(([a], [b]) => cmp(a, b)).map(([, s]) => s) }));
}
