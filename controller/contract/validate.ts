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
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** The digit at `i`, or -1000 (so any sum holding it is negative). */
const digitAt = (s: string, i: number): number => { const c = s.charCodeAt(i) - 48; return c >= 0 && c <= 9 ? c : -1000; };
/** `2026-11-21T10:00:00Z` or `2026-11-21T10:00:00.000Z` (toISOString's shape, what every writer here sends): checked
 *  digit by digit, no regex and no Date.parse — restart validates two per stored intent. Other shapes: undefined. */
function canonicalRfc3339(s: string): boolean | undefined {
  const n = s.length;
  if ((n !== 20 && n !== 24) || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58
    || s.charCodeAt(16) !== 58 || s.charCodeAt(n - 1) !== 90 || (n === 24 && s.charCodeAt(19) !== 46)) return undefined;
  if (n === 24 && digitAt(s, 20) + digitAt(s, 21) + digitAt(s, 22) < 0) return undefined;
  const y = digitAt(s, 0) * 1000 + digitAt(s, 1) * 100 + digitAt(s, 2) * 10 + digitAt(s, 3), mo = digitAt(s, 5) * 10 + digitAt(s, 6), d = digitAt(s, 8) * 10 + digitAt(s, 9);
  const h = digitAt(s, 11) * 10 + digitAt(s, 12), mi = digitAt(s, 14) * 10 + digitAt(s, 15), sec = digitAt(s, 17) * 10 + digitAt(s, 18);
  if (y < 0 || mo < 1 || mo > 12 || d < 0 || h < 0 || mi < 0 || sec < 0 || sec === 60) return undefined;   // not digits, a month out of range, a leap second: the general path decides
  const days = mo === 2 && isLeap(y) ? 29 : MONTH_DAYS[mo - 1]!;
  return d >= 1 && d <= days && h <= 23 && mi <= 59 && sec <= 59;
}
/** The general check (any RFC 3339 shape); isRfc3339 gives the same answer faster for the canonical shape. */
export const isRfc3339General = (s: string): boolean => realDate(s) && Number.isFinite(Date.parse(s));
export const isRfc3339 = (s: string): boolean => canonicalRfc3339(s) ?? isRfc3339General(s);

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
