// The wire contract, in one place: what a sniffer or watcher POSTs, what the controller answers, and
// the intents the API serves. Each TypeBox schema is both the TypeScript type (Static<>) and the JSON
// Schema that validate.ts compiles with ajv, so the type and the check cannot drift apart.
// Neither deployable owns this folder; it imports nothing from controller/src or sniffer/.

import { Type, type Static } from '@sinclair/typebox/type';

export const REPORT_VERSION = 1;
export const API_PATHS = {
  reports: '/api/v1/reports',
  intents: '/api/v1/intents',
  reset: '/api/v1/reset',
} as const;
export const REPORTS_PATH = API_PATHS.reports;

/** RFC 1035 §2.3.4: a name is at most 255 octets; every other free-text field is bounded too. */
export const MAX_NAME = 255;
export const MAX_TEXT = 2048;
/** RFC 2181 §8: a TTL is an unsigned 31-bit number. */
export const MAX_TTL = 2 ** 31 - 1;
const MAX_METHODS = 16;

/** No control characters (C0, DEL, C1), no Unicode line or paragraph separators, no bidirectional
 *  overrides or isolates: names are printed by every format, and such a character in one is an attack on
 *  the terminal, the YAML or the reader's eye (a spoofed line, a reordered name), never a workload name
 *  (DESIGN, second version). The one list of them: common/printable.ts formats escape the same set. */
export const PRINTABLE = '^[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]*$';
const name = (maxLength = MAX_NAME) => Type.String({ minLength: 1, maxLength, pattern: PRINTABLE });
const ip = () => Type.String({ maxLength: 45, format: 'ip' });
/** RFC 3339 §5.6 date-time. */
const time = () => Type.String({ maxLength: 40, format: 'date-time' });

export const ConnectionSourceSchema = Type.Union([Type.Literal('dns'), Type.Literal('tcp'), Type.Literal('socket')]);
export type ConnectionSource = Static<typeof ConnectionSourceSchema>;

/**
 * One aggregated observation of a client talking to a destination, as a sniffer reports it.
 * Aggregation key (sniffer side): (source, srcIp, destination, destinationIp, destinationPort).
 * `destinationPort` is required for tcp and socket records (the `if`/`else` below).
 */
export const ConnectionRecordSchema = Type.Object({
  source: ConnectionSourceSchema,
  /** The client: the DNS response's destination IP, the SYN's source IP, the socket's local IP. */
  srcIp: ip(),
  /** Socket scan only: the HOSTNAME of the process owning the socket (the pod name). */
  srcHostname: Type.Optional(Type.String({ maxLength: MAX_NAME, pattern: PRINTABLE })),
  /** DNS: the queried name (CNAME chains unwound). TCP and socket: the destination IP. */
  destination: name(),
  /** DNS: the answer's IP. TCP and socket: the server IP. */
  destinationIp: ip(),
  destinationPort: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
  /** DNS: the answer's TTL in seconds. */
  ttl: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_TTL })),
  /** Newest time seen in the interval, RFC 3339 (UTC, milliseconds). */
  lastSeen: time(),
  /** How many times it was seen in the interval (≥ 1). */
  count: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
}, {
  if: { properties: { source: { const: 'dns' } } },
  else: { required: ['destinationPort'] },
});
export type ConnectionRecord = Static<typeof ConnectionRecordSchema>;

/** A Kafka topic access, as the Kafka watcher reports it. */
export const KafkaRecordSchema = Type.Object({
  source: Type.Literal('kafka'),
  srcIp: ip(),
  serverPodName: name(),
  serverNamespace: name(),
  topic: name(),
  /** Kafka operation as logged: read, write, describe, ... (case-insensitive). */
  operation: name(64),
  lastSeen: time(),
});
export type KafkaRecord = Static<typeof KafkaRecordSchema>;

/** An HTTP request path between two workloads, as the Istio watcher reports it. */
export const HttpRecordSchema = Type.Object({
  source: Type.Literal('istio'),
  srcWorkload: name(),
  srcWorkloadNamespace: name(),
  dstWorkload: name(),
  dstWorkloadNamespace: name(),
  dstServiceName: Type.Optional(Type.String({ maxLength: MAX_NAME, pattern: PRINTABLE })),
  path: name(MAX_TEXT),
  methods: Type.Array(Type.String({ minLength: 1, maxLength: 16, pattern: PRINTABLE }), { maxItems: MAX_METHODS }),
  lastSeen: time(),
});
export type HttpRecord = Static<typeof HttpRecordSchema>;

export type ReportRecord = ConnectionRecord | KafkaRecord | HttpRecord;
export type RecordSource = ReportRecord['source'];
export const RECORD_SOURCES: readonly RecordSource[] = ['dns', 'tcp', 'socket', 'kafka', 'istio'];

/** The body of `POST /api/v1/reports`; records are checked one by one (normalise.ts), the envelope here. */
export const ReportEnvelopeSchema = Type.Object({
  version: Type.Literal(REPORT_VERSION),
  /** The reporting node (sniffer) or watcher name. */
  node: name(),
  /** When the sniffer sent it, RFC 3339. */
  sentAt: time(),
  records: Type.Array(Type.Unknown()),
});

export interface Report {
  version: typeof REPORT_VERSION;
  node: string;
  sentAt: string;
  records: ReportRecord[];
}

/** The controller's answer to an accepted report (app.ts returns exactly this). */
export const ReportAcceptedSchema = Type.Object({
  /** Records that passed the contract and were handed to resolution. */
  accepted: Type.Integer({ minimum: 0 }),
  /** Records refused by the contract, by reason (`bad-srcIp`, `unknown-source`, ...). */
  skipped: Type.Record(Type.String(), Type.Integer({ minimum: 0 })),
  resolved: Type.Integer({ minimum: 0 }),
  /** Accepted records that did not become an intent, by reason. */
  unresolved: Type.Record(Type.String(), Type.Integer({ minimum: 0 })),
});
export type ReportAccepted = Static<typeof ReportAcceptedSchema>;

// ---- intents: GET /api/v1/intents, the store's snapshot, the CLI's reading of the answer ----

export const KAFKA_OPERATIONS = ['all', 'consume', 'produce', 'create', 'alter', 'delete', 'describe',
  'ClusterAction', 'DescribeConfigs', 'AlterConfigs', 'IdempotentWrite'] as const;
export type KafkaOperation = typeof KAFKA_OPERATIONS[number];
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'PATCH', 'CONNECT'] as const;
export type HttpMethod = typeof HTTP_METHODS[number];
export const INTENT_TYPES = ['plain', 'kafka', 'http', 'internet'] as const;
export type IntentType = typeof INTENT_TYPES[number];
export type IntentSource = RecordSource;

const KafkaOperationSchema = Type.Unsafe<KafkaOperation>({ type: 'string', enum: [...KAFKA_OPERATIONS] });
const HttpMethodSchema = Type.Unsafe<HttpMethod>({ type: 'string', enum: [...HTTP_METHODS] });
const IntentTypeSchema = Type.Unsafe<IntentType>({ type: 'string', enum: [...INTENT_TYPES] });
const IntentSourceSchema = Type.Unsafe<IntentSource>({ type: 'string', enum: [...RECORD_SOURCES] });

/** Who a pod is: its workload, named by annotation, label or root owner (reference §2.3). */
export const WorkloadIdentitySchema = Type.Object({
  name: Type.String({ minLength: 1 }),
  namespace: Type.String({ minLength: 1 }),
  /** Root owner kind (Deployment, StatefulSet, ..., Pod); empty when an annotation or label named it. */
  kind: Type.String(),
  group: Type.Optional(Type.String()),
  version: Type.Optional(Type.String()),
  /** Pod labels; only returned when asked for. */
  labels: Type.Optional(Type.Record(Type.String(), Type.String())),
  nameResolvedUsingAnnotation: Type.Optional(Type.Boolean()),
  /** The Kubernetes Service the destination was reached through, when it was. */
  kubernetesService: Type.Optional(Type.String()),
});
export type WorkloadIdentity = Static<typeof WorkloadIdentitySchema>;

/** A destination outside the cluster: a DNS name (when one was seen) and the IPs it resolved to. */
export const InternetDestinationSchema = Type.Object({
  domain: Type.Optional(Type.String()),
  ips: Type.Array(Type.String()),
  ports: Type.Array(Type.Integer()),
}, { anyOf: [{ required: ['domain'] }, { properties: { ips: { type: 'array', minItems: 1 } } }] });
export type InternetDestination = Static<typeof InternetDestinationSchema>;

export const KafkaTopicSchema = Type.Object({ name: Type.String(), operations: Type.Array(KafkaOperationSchema) });
export type KafkaTopic = Static<typeof KafkaTopicSchema>;
export const HttpResourceSchema = Type.Object({ path: Type.String(), methods: Type.Array(HttpMethodSchema) });
export type HttpResource = Static<typeof HttpResourceSchema>;

/**
 * One edge of the map. Key: (client, server or internet destination, type).
 * `server` is set for every type but 'internet'; `internet` only for 'internet'.
 */
export const IntentSchema = Type.Object({
  client: WorkloadIdentitySchema,
  server: Type.Optional(WorkloadIdentitySchema),
  internet: Type.Optional(InternetDestinationSchema),
  type: IntentTypeSchema,
  kafkaTopics: Type.Optional(Type.Array(KafkaTopicSchema)),
  httpResources: Type.Optional(Type.Array(HttpResourceSchema)),
  /** RFC 3339 */
  firstSeen: Type.String({ format: 'date-time' }),
  lastSeen: Type.String({ format: 'date-time' }),
  count: Type.Integer({ minimum: 0 }),
  sources: Type.Array(IntentSourceSchema, { minItems: 1 }),
}, {
  if: { properties: { type: { const: 'internet' } } },
  then: { required: ['internet'] },
  else: { required: ['server'] },
});
export type Intent = Static<typeof IntentSchema>;

/** The `intents` query (reference §3.1), as the store answers it and the HTTP API exposes it. */
export const IntentQuerySchema = Type.Object({
  /** Client namespaces to keep (empty: all). */
  namespaces: Type.Optional(Type.Array(Type.String())),
  /** Keep every intent of each client that calls this server (reference semantics). */
  server: Type.Optional(Type.Object({ name: Type.String(), namespace: Type.String() })),
  /** Only intents last seen at or after this RFC 3339 time. */
  since: Type.Optional(Type.String({ format: 'date-time' })),
  /** Label keys to return on identities; all labels when includeAllLabels. */
  includeLabels: Type.Optional(Type.Array(Type.String())),
  includeAllLabels: Type.Optional(Type.Boolean()),
  /** `key=value` pairs: drop an intent whose client or server has one of them. */
  excludeLabels: Type.Optional(Type.Array(Type.String())),
  /** Leave Internet destinations out (what the Otterize CLI shows). */
  excludeInternet: Type.Optional(Type.Boolean()),
});
export type IntentQuery = Static<typeof IntentQuerySchema>;

/** The body of `GET /api/v1/intents`. */
export const IntentsResponseSchema = Type.Object({ intents: Type.Array(Type.Unknown()) });
export type IntentsResponse = { intents: Intent[] };
