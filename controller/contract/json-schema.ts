// The wire contract as JSON Schema (TypeBox): schema.ts derives its types from these, and the tests
// hold validate.ts's hand-written checks to ajv's verdict on them (validate.test.ts). Loaded by the
// types and the tests only — nothing at run time builds these objects.

import { Type } from '@sinclair/typebox/type';
import {
  HTTP_METHODS, INTENT_TYPES, KAFKA_OPERATIONS, MAX_IP, MAX_METHOD, MAX_METHODS, MAX_NAME, MAX_OPERATION, MAX_TEXT, MAX_TIME, MAX_TTL,
  PRINTABLE, RECORD_SOURCES, REPORT_VERSION,
  type HttpMethod, type IntentSource, type IntentType, type KafkaOperation,
} from './schema.ts';

const name = (maxLength = MAX_NAME) => Type.String({ minLength: 1, maxLength, pattern: PRINTABLE });
const ip = () => Type.String({ maxLength: MAX_IP, format: 'ip' });
/** RFC 3339 §5.6 date-time. */
const time = () => Type.String({ maxLength: MAX_TIME, format: 'date-time' });

export const ConnectionSourceSchema = Type.Union([Type.Literal('dns'), Type.Literal('tcp'), Type.Literal('socket')]);

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

/** A Kafka topic access, as the Kafka watcher reports it. */
export const KafkaRecordSchema = Type.Object({
  source: Type.Literal('kafka'),
  srcIp: ip(),
  serverPodName: name(),
  serverNamespace: name(),
  topic: name(),
  /** Kafka operation as logged: read, write, describe, ... (case-insensitive). */
  operation: name(MAX_OPERATION),
  lastSeen: time(),
});

/** An HTTP request path between two workloads, as the Istio watcher reports it. */
export const HttpRecordSchema = Type.Object({
  source: Type.Literal('istio'),
  srcWorkload: name(),
  srcWorkloadNamespace: name(),
  dstWorkload: name(),
  dstWorkloadNamespace: name(),
  dstServiceName: Type.Optional(Type.String({ maxLength: MAX_NAME, pattern: PRINTABLE })),
  path: name(MAX_TEXT),
  methods: Type.Array(Type.String({ minLength: 1, maxLength: MAX_METHOD, pattern: PRINTABLE }), { maxItems: MAX_METHODS }),
  lastSeen: time(),
});

/** The body of `POST /api/v1/reports`; records are checked one by one (normalise.ts), the envelope here. */
export const ReportEnvelopeSchema = Type.Object({
  version: Type.Literal(REPORT_VERSION),
  /** The reporting node (sniffer) or watcher name. */
  node: name(),
  /** When the sniffer sent it, RFC 3339. */
  sentAt: time(),
  records: Type.Array(Type.Unknown()),
});

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

// ---- intents: GET /api/v1/intents, the store's snapshot, the CLI's reading of the answer ----

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

/** A destination outside the cluster: a DNS name (when one was seen) and the IPs it resolved to. */
export const InternetDestinationSchema = Type.Object({
  domain: Type.Optional(Type.String()),
  ips: Type.Array(Type.String()),
  ports: Type.Array(Type.Integer()),
}, { anyOf: [{ required: ['domain'] }, { properties: { ips: { type: 'array', minItems: 1 } } }] });

export const KafkaTopicSchema = Type.Object({ name: Type.String(), operations: Type.Array(KafkaOperationSchema) });
export const HttpResourceSchema = Type.Object({ path: Type.String(), methods: Type.Array(HttpMethodSchema) });

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

/** The body of `GET /api/v1/intents`. */
export const IntentsResponseSchema = Type.Object({ intents: Type.Array(Type.Unknown()) });
