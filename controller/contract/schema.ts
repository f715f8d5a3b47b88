// The wire contract, in one place: what a sniffer or watcher POSTs, what the controller answers, and
// the intents the API serves. The constants and types are here; the JSON Schema they come from is
// json-schema.ts (TypeBox: each type is its schema's Static<>, so the two cannot drift apart), and
// validate.ts checks values against it, by hand-written checks differential-tested against ajv.
// This file loads no TypeBox and no ajv at run time: every command imports it, few validate anything.
// Neither deployable owns this folder; it imports nothing from controller/src or sniffer/.

import type { Static } from '@sinclair/typebox/type';
import type {
  ConnectionRecordSchema, ConnectionSourceSchema, HttpRecordSchema, HttpResourceSchema, IntentQuerySchema, IntentSchema,
  InternetDestinationSchema, KafkaRecordSchema, KafkaTopicSchema, ReportAcceptedSchema, WorkloadIdentitySchema,
} from './json-schema.ts';

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
export const MAX_METHODS = 16;
/** The longest text form of an address (an IPv4-mapped IPv6 address in full) and of an RFC 3339 time we read. */
export const MAX_IP = 45;
export const MAX_TIME = 40;
/** The longest HTTP method name a record may carry. */
export const MAX_METHOD = 16;
/** The longest Kafka operation name a record may carry. */
export const MAX_OPERATION = 64;

/** No control characters (C0, DEL, C1), no Unicode line or paragraph separators, no bidirectional
 *  overrides or isolates: names are printed by every format, and such a character in one is an attack on
 *  the terminal, the YAML or the reader's eye (a spoofed line, a reordered name), never a workload name
 *  (DESIGN, second version). The one list of them: common/printable.ts formats escape the same set. */
export const PRINTABLE = '^[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]*$';

export type ConnectionSource = Static<typeof ConnectionSourceSchema>;
/**
 * One aggregated observation of a client talking to a destination, as a sniffer reports it.
 * Aggregation key (sniffer side): (source, srcIp, destination, destinationIp, destinationPort).
 */
export type ConnectionRecord = Static<typeof ConnectionRecordSchema>;
/** A Kafka topic access, as the Kafka watcher reports it. */
export type KafkaRecord = Static<typeof KafkaRecordSchema>;
/** An HTTP request path between two workloads, as the Istio watcher reports it. */
export type HttpRecord = Static<typeof HttpRecordSchema>;

export type ReportRecord = ConnectionRecord | KafkaRecord | HttpRecord;
export type RecordSource = ReportRecord['source'];
export const RECORD_SOURCES: readonly RecordSource[] = ['dns', 'tcp', 'socket', 'kafka', 'istio'];

/** The body of `POST /api/v1/reports`, once checked (contract/normalise.ts). */
export interface Report {
  version: typeof REPORT_VERSION;
  node: string;
  sentAt: string;
  records: ReportRecord[];
}

/** The controller's answer to an accepted report (app.ts returns exactly this). */
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

/** Who a pod is: its workload, named by annotation, label or root owner (reference §2.3). */
export type WorkloadIdentity = Static<typeof WorkloadIdentitySchema>;
/** A destination outside the cluster: a DNS name (when one was seen) and the IPs it resolved to. */
export type InternetDestination = Static<typeof InternetDestinationSchema>;
export type KafkaTopic = Static<typeof KafkaTopicSchema>;
export type HttpResource = Static<typeof HttpResourceSchema>;
/**
 * One edge of the map. Key: (client, server or internet destination, type).
 * `server` is set for every type but 'internet'; `internet` only for 'internet'.
 */
export type Intent = Static<typeof IntentSchema>;
/** The `intents` query (reference §3.1), as the store answers it and the HTTP API exposes it. */
export type IntentQuery = Static<typeof IntentQuerySchema>;
/** The body of `GET /api/v1/intents`. */
export type IntentsResponse = { intents: Intent[] };
