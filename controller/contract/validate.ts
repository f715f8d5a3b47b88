// The contract's validators: ajv compiles each schema of schema.ts once, at import. The formats the
// schemas name are defined here and nowhere else: `ip` (common/ip.ts's parser) and `date-time`
// (RFC 3339 §5.6, a real calendar date).

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { canonicalIp } from '../common/ip.ts';
import {
  ConnectionRecordSchema, HttpRecordSchema, IntentSchema, IntentsResponseSchema, KafkaRecordSchema, ReportAcceptedSchema, ReportEnvelopeSchema,
  type ConnectionRecord, type HttpRecord, type Intent, type KafkaRecord, type RecordSource, type ReportAccepted,
} from './schema.ts';

export const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;
const FIELDS = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;
const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
/** RFC 3339 §5.7: day within its month (Date.parse would roll 2024-02-31 into March), hour ≤ 23, minute ≤ 59, second ≤ 60. */
function realDate(s: string): boolean {
  const m = FIELDS.exec(s);
  if (!m) return false;
  const [y, mo, d, h, mi, sec, oh, om] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v))) as number[];
  const days = [31, isLeap(y!) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo! - 1];
  return days !== undefined && d! >= 1 && d! <= days && h! <= 23 && mi! <= 59 && sec! <= 60 && oh! <= 23 && om! <= 59;
}
/** 'YYYY-MM-DDTHH:MM:SS.' of the last `toISOString()`-shaped time found valid: a report's times mostly share
 *  their second, and another millisecond in a checked second needs no parse. */
let checkedSecond = '';
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
export function isRfc3339(s: string): boolean {
  if (s.length === 24 && checkedSecond !== '' && s.startsWith(checkedSecond) && s.charCodeAt(23) === 0x5a
    && isDigit(s.charCodeAt(20)) && isDigit(s.charCodeAt(21)) && isDigit(s.charCodeAt(22))) return true;
  const ok = realDate(s) && Number.isFinite(Date.parse(s));
  if (ok && s.length === 24 && s.charCodeAt(19) === 0x2e && s.charCodeAt(23) === 0x5a) checkedSecond = s.slice(0, 20);
  return ok;
}

// allErrors: a refused value is named by its first field in schema order, not by ajv's keyword order.
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, verbose: true });
ajv.addFormat('ip', { type: 'string', validate: (s: string) => canonicalIp(s) !== undefined });
ajv.addFormat('date-time', { type: 'string', validate: isRfc3339 });

/** Compiled once, on first use: a process that never sees a Kafka record never compiles its schema
 *  (compiling every schema at import cost replay and `netmapper list` start-up time). */
function once<T>(schema: object): (data: unknown) => data is T {
  let fn: ValidateFunction<T> | undefined;
  const validate = (data: unknown): data is T => {
    fn ??= ajv.compile<T>(schema);
    const ok = fn(data);
    validate.errors = fn.errors;
    return ok;
  };
  validate.errors = undefined as ValidateFunction['errors'];
  validate.schema = schema;
  return validate;
}
export type Validator<T = unknown> = ReturnType<typeof once<T>> & { errors?: ValidateFunction['errors']; schema: object };

export const validateEnvelope = once<{ version: 1; node: string; sentAt: string; records: unknown[] }>(ReportEnvelopeSchema) as Validator<{ version: 1; node: string; sentAt: string; records: unknown[] }>;
const connection = once<ConnectionRecord>(ConnectionRecordSchema) as Validator;
export const validateRecord: Record<RecordSource, Validator> = {
  dns: connection, tcp: connection, socket: connection,
  kafka: once<KafkaRecord>(KafkaRecordSchema) as Validator,
  istio: once<HttpRecord>(HttpRecordSchema) as Validator,
};
export const validateIntent = once<Intent>(IntentSchema) as Validator<Intent>;
export const validateIntentsResponse = once<{ intents: unknown[] }>(IntentsResponseSchema) as Validator<{ intents: unknown[] }>;
export const validateReportAccepted = once<ReportAccepted>(ReportAcceptedSchema) as Validator<ReportAccepted>;

export interface Problem {
  /** JSON path below the validated value, `srcIp`, `methods[0]`, or '' for the value itself. */
  field: string;
  /** The property name that failed (top level), for counting by reason. */
  key: string;
  message: string;
}

/** ajv's first error in words a sender can act on, with the field as a JSON path. */
export function describe(err: ErrorObject): Problem {
  const segs = err.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (err.keyword === 'required') segs.push((err.params as { missingProperty: string }).missingProperty);
  const field = segs.reduce((p, s) => (/^\d+$/.test(s) ? `${p}[${s}]` : p ? `${p}.${s}` : s), '');
  const key = segs[0] ?? '';
  const parent = (err.parentSchema ?? {}) as Record<string, unknown>;
  const value = JSON.stringify(err.data);
  let message: string;
  switch (err.keyword) {
    case 'required': message = 'required'; break;
    case 'type': message = `must be ${/^[aeiou]/.test(String(err.params.type)) ? 'an' : 'a'} ${err.params.type}`; break;
    case 'format': message = err.params.format === 'ip' ? `not an IPv4 or IPv6 address: ${value}` : `not an RFC 3339 time: ${value}`; break;
    case 'minimum': case 'maximum': message = `must be between ${parent.minimum ?? '-∞'} and ${parent.maximum ?? '∞'}`; break;
    case 'minLength': message = 'must not be empty'; break;
    case 'maxLength': message = `longer than ${err.params.limit} characters`; break;
    case 'maxItems': message = `more than ${err.params.limit} entries`; break;
    case 'pattern': message = 'contains control characters'; break;
    case 'const': message = `must be ${JSON.stringify(err.params.allowedValue)}; got ${value}`; break;
    case 'enum': message = `must be one of ${(err.params.allowedValues as unknown[]).join(', ')}; got ${value}`; break;
    default: message = err.message ?? 'invalid';
  }
  return { field, key, message };
}

/** The problem of the last failed validation of `fn` on the field that comes first in the schema. */
export function firstProblem(fn: Validator<any>): Problem {
  const order = Object.keys((fn.schema as { properties?: object }).properties ?? {});
  const rank = (p: Problem): number => (p.key === '' ? -1 : order.indexOf(p.key) < 0 ? order.length : order.indexOf(p.key));
  const problems = (fn.errors ?? []).filter((e) => e.keyword !== 'if' && e.keyword !== 'anyOf').map(describe);
  if (problems.length === 0) return { field: '', key: '', message: 'invalid' };
  return problems.reduce((best, p) => (rank(p) < rank(best) ? p : best));
}
