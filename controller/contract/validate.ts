// The contract's validators, one per schema of json-schema.ts, written out of checks.ts's blocks so that
// checking a report needs neither ajv nor the schema objects (importing them cost `netmapper replay`
// about 25 ms of its 0.3 CPU-s; ajv plus normalisation were ~6 % of ingest at 150k pods). Each gives
// ajv's verdict and names the same first Problem (validate.test.ts compares them on every fixture
// record, golden intent and ~100k mutations).

import {
  HTTP_METHODS, INTENT_TYPES, KAFKA_OPERATIONS, MAX_IP, MAX_METHOD, MAX_METHODS, MAX_NAME, MAX_OPERATION, MAX_TEXT, MAX_TIME, MAX_TTL,
  RECORD_SOURCES, REPORT_VERSION,
  type Intent, type RecordSource, type ReportAccepted,
} from './schema.ts';
import { connectionPasses, httpPasses, kafkaPasses } from './record-passes.ts';
import { isObject } from '../common/is-object.ts';
import { array, boolean, document, integer, literal, object, oneOf, recordOf, string, type Check, type Field, type Problem } from './checks.ts';

export type { Problem } from './checks.ts';
export { isRfc3339, isRfc3339General, RFC3339 } from './rfc3339.ts';

const name = (maxLength = MAX_NAME): Check => string({ minLength: 1, maxLength, printable: true });
const ip = string({ maxLength: MAX_IP, format: 'ip' });
const time = string({ maxLength: MAX_TIME, format: 'date-time' });
const optionalName = string({ maxLength: MAX_NAME, printable: true });
const count0 = integer(0);

export const checkEnvelope = document([
  { name: 'version', check: literal(REPORT_VERSION), required: true },
  { name: 'node', check: name(), required: true },
  { name: 'sentAt', check: time, required: true },
  { name: 'records', check: array(), required: true },
]);

/** A tcp or socket record names its port (the schema's `if source is dns else required destinationPort`). */
const portRequired = (o: Record<string, unknown>): boolean => o.source !== undefined && o.source !== 'dns';
const checkConnection = document([
  { name: 'source', check: literal('dns', 'tcp', 'socket'), required: true },
  { name: 'srcIp', check: ip, required: true },
  { name: 'srcHostname', check: optionalName },
  { name: 'destination', check: name(), required: true },
  { name: 'destinationIp', check: ip, required: true },
  { name: 'destinationPort', check: integer(1, 65535), required: portRequired },
  { name: 'ttl', check: integer(0, MAX_TTL) },
  { name: 'lastSeen', check: time, required: true },
  { name: 'count', check: integer(1, Number.MAX_SAFE_INTEGER), required: true },
]);
const checkKafka = document([
  { name: 'source', check: literal('kafka'), required: true },
  { name: 'srcIp', check: ip, required: true },
  { name: 'serverPodName', check: name(), required: true },
  { name: 'serverNamespace', check: name(), required: true },
  { name: 'topic', check: name(), required: true },
  { name: 'operation', check: name(MAX_OPERATION), required: true },
  { name: 'lastSeen', check: time, required: true },
]);
const checkHttp = document([
  { name: 'source', check: literal('istio'), required: true },
  { name: 'srcWorkload', check: name(), required: true },
  { name: 'srcWorkloadNamespace', check: name(), required: true },
  { name: 'dstWorkload', check: name(), required: true },
  { name: 'dstWorkloadNamespace', check: name(), required: true },
  { name: 'dstServiceName', check: optionalName },
  { name: 'path', check: name(MAX_TEXT), required: true },
  { name: 'methods', check: array(string({ minLength: 1, maxLength: MAX_METHOD, printable: true }), { maxItems: MAX_METHODS }), required: true },
  { name: 'lastSeen', check: time, required: true },
]);
/** The full check only for a record the fast verdict is not sure of (record-passes.ts). */
const passesOr = (passes: (r: Record<string, unknown>) => boolean, check: (v: unknown) => Problem | undefined) =>
  (v: unknown): Problem | undefined => (isObject(v) && passes(v) ? undefined : check(v));
const connection = passesOr(connectionPasses, checkConnection);
/** A record's check by its `source`. */
export const checkRecord: Record<RecordSource, (v: unknown) => Problem | undefined> = {
  dns: connection, tcp: connection, socket: connection, kafka: passesOr(kafkaPasses, checkKafka), istio: passesOr(httpPasses, checkHttp),
};

const text = string();
const identity = object([
  { name: 'name', check: string({ minLength: 1 }), required: true },
  { name: 'namespace', check: string({ minLength: 1 }), required: true },
  { name: 'kind', check: text, required: true },
  { name: 'group', check: text },
  { name: 'version', check: text },
  { name: 'labels', check: recordOf(text) },
  { name: 'nameResolvedUsingAnnotation', check: boolean },
  { name: 'kubernetesService', check: text },
]);
const internetFields = object([
  { name: 'domain', check: text },
  { name: 'ips', check: array(text), required: true },
  { name: 'ports', check: array(integer()), required: true },
]);
/** The schema's `anyOf: [{ required: ['domain'] }, { ips has an entry }]` runs before the object's own keywords; when
 *  both branches fail, ajv's first error is the first branch's missing domain. */
const internet: Check = (v) => {
  if (isObject(v) && v.domain === undefined && v.ips !== undefined && !(Array.isArray(v.ips) && v.ips.length >= 1)) return { path: ['domain'], message: 'required' };
  return internetFields(v);
};
/** `if type is internet (or absent) then required internet else required server`. */
const internetType = (o: Record<string, unknown>): boolean => o.type === undefined || o.type === 'internet';
const checkIntent = document([
  { name: 'client', check: identity, required: true },
  { name: 'server', check: identity, required: (o) => !internetType(o) },
  { name: 'internet', check: internet, required: internetType },
  { name: 'type', check: oneOf(INTENT_TYPES), required: true },
  { name: 'kafkaTopics', check: array(object([{ name: 'name', check: text, required: true }, { name: 'operations', check: array(oneOf(KAFKA_OPERATIONS)), required: true }])) },
  { name: 'httpResources', check: array(object([{ name: 'path', check: text, required: true }, { name: 'methods', check: array(oneOf(HTTP_METHODS)), required: true }])) },
  { name: 'firstSeen', check: string({ format: 'date-time' }), required: true },
  { name: 'lastSeen', check: string({ format: 'date-time' }), required: true },
  { name: 'count', check: count0, required: true },
  { name: 'sources', check: array(oneOf(RECORD_SOURCES), { minItems: 1 }), required: true },
] satisfies Field[]);

/** A type guard that keeps its last Problem, for callers that ask `firstProblem(validator)` after a refusal. */
export interface Validator<T = unknown> { (data: unknown): data is T; problem: Problem | undefined }
function validator<T>(check: (v: unknown) => Problem | undefined): Validator<T> {
  const fn = ((data: unknown): boolean => (fn.problem = check(data)) === undefined) as Validator<T>;
  fn.problem = undefined;
  return fn;
}

export const validateIntent = validator<Intent>(checkIntent);
export const validateIntentsResponse = validator<{ intents: unknown[] }>(document([{ name: 'intents', check: array(), required: true }]));
export const validateReportAccepted = validator<ReportAccepted>(document([
  { name: 'accepted', check: count0, required: true },
  { name: 'skipped', check: recordOf(count0), required: true },
  { name: 'resolved', check: count0, required: true },
  { name: 'unresolved', check: recordOf(count0), required: true },
]));

/** The Problem of `fn`'s last refusal. */
export function firstProblem(fn: Validator<any>): Problem {
  return fn.problem ?? { field: '', key: '', message: 'invalid' };
}
