// The map's data model: workload identities and the intents between them. The store keeps these,
// every export format renders them, and the resolver produces them.

/** Who a pod is: its workload, named by annotation, label or root owner (reference §2.3). */
export interface WorkloadIdentity {
  name: string;
  namespace: string;
  /** Root owner kind (Deployment, StatefulSet, DaemonSet, CronJob, Job, ReplicaSet, Pod, ...);
   *  empty when the name came from an annotation or label and no owner was walked. */
  kind: string;
  /** Root owner API group ('' for core) and version, when known. */
  group?: string;
  version?: string;
  /** Pod labels; only returned when asked for. */
  labels?: Record<string, string>;
  nameResolvedUsingAnnotation?: boolean;
  /** The Kubernetes Service the destination was reached through, when it was. */
  kubernetesService?: string;
}

/** A destination outside the cluster: a DNS name (when one was seen) and the IPs it resolved to. */
export interface InternetDestination {
  /** Lower-case DNS name, or undefined for a bare IP with no name seen. */
  domain?: string;
  ips: string[];
  ports: number[];
}

export type IntentType = 'plain' | 'kafka' | 'http' | 'internet';
export type IntentSource = 'dns' | 'tcp' | 'socket' | 'kafka' | 'istio';

export const KAFKA_OPERATIONS = ['all', 'consume', 'produce', 'create', 'alter', 'delete', 'describe',
  'ClusterAction', 'DescribeConfigs', 'AlterConfigs', 'IdempotentWrite'] as const;
export type KafkaOperation = typeof KAFKA_OPERATIONS[number];

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'PATCH', 'CONNECT'] as const;
export type HttpMethod = typeof HTTP_METHODS[number];

export interface KafkaTopic { name: string; operations: KafkaOperation[] }
export interface HttpResource { path: string; methods: HttpMethod[] }

/**
 * One edge of the map. Key: (client, server or internet destination, type).
 * `server` is set for every type but 'internet'; `internet` only for 'internet'.
 */
export interface Intent {
  client: WorkloadIdentity;
  server?: WorkloadIdentity;
  internet?: InternetDestination;
  type: IntentType;
  kafkaTopics?: KafkaTopic[];
  httpResources?: HttpResource[];
  /** RFC 3339 */
  firstSeen: string;
  lastSeen: string;
  count: number;
  sources: IntentSource[];
}

/** The `intents` query (reference §3.1), as the store answers it and the HTTP API exposes it. */
export interface IntentQuery {
  /** Client namespaces to keep (empty: all). */
  namespaces?: string[];
  /** Keep every intent of each client that calls this server (reference semantics). */
  server?: { name: string; namespace: string };
  /** Only intents last seen at or after this RFC 3339 time. */
  since?: string;
  /** Label keys to return on identities; all labels when includeAllLabels. */
  includeLabels?: string[];
  includeAllLabels?: boolean;
  /** `key=value` pairs: drop an intent whose client or server has one of them. */
  excludeLabels?: string[];
  /** Leave Internet destinations out (what the Otterize CLI shows). */
  excludeInternet?: boolean;
}

/** Read access to the map, which the export formats and routes need. */
export interface IntentReader {
  query(q?: IntentQuery): Intent[];
}
