// The building blocks of the contract's checks (validate.ts). Each stands for the JSON Schema keywords
// json-schema.ts uses and answers as ajv does on them: the same verdict, and of a value's problems the
// one ajv reports first (the type; then maxLength, minLength, pattern, format; an object's missing
// required properties before its properties' own problems), in the words of
// test-support/ajv-reference.ts. validate.test.ts holds every check to ajv on thousands of cases.
// A value that passes allocates nothing.

import { canonicalIp } from '../common/ip.ts';
import { isObject } from '../common/is-object.ts';
import { UNPRINTABLE } from '../common/printable.ts';
import { isRfc3339 } from './rfc3339.ts';

export interface Problem {
  /** JSON path below the validated value, `srcIp`, `methods[0]`, or '' for the value itself. */
  field: string;
  /** The property name that failed (top level), for counting by reason. */
  key: string;
  message: string;
}

/** What is wrong with a value: the path below it (outermost first) and the words. */
export interface Failure { path: string[]; message: string }
/** undefined when `v` passes. */
export type Check = (v: unknown) => Failure | undefined;

export interface Field {
  name: string;
  check: Check;
  /** true, or when it is required (a schema's if/then/else); absent: optional. */
  required?: true | ((o: Record<string, unknown>) => boolean);
}

const fail = (message: string): Failure => ({ path: [], message });
const below = (seg: string, f: Failure): Failure => { f.path.unshift(seg); return f; };

/** Length in code points, as ajv counts it (a surrogate pair is one character). */
function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++, n++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
  }
  return n;
}

/** The schema's PRINTABLE pattern, tested by its complement: no lastIndex to reset (printable.ts's is global). */
export const UNPRINTABLE_CHAR = new RegExp(UNPRINTABLE.source);

export interface StringRules { minLength?: number; maxLength?: number; printable?: boolean; format?: 'ip' | 'date-time' }

/** `{ type: 'string', maxLength, minLength, pattern: PRINTABLE, format }`. */
export function string({ minLength = 0, maxLength = Infinity, printable = false, format }: StringRules = {}): Check {
  const tooLong = `longer than ${maxLength} characters`;
  return (v) => {
    if (typeof v !== 'string') return fail('must be a string');
    if (v.length > maxLength && codePoints(v) > maxLength) return fail(tooLong);
    if (v.length < 2 * minLength && codePoints(v) < minLength) return fail('must not be empty');
    if (printable && UNPRINTABLE_CHAR.test(v)) return fail('contains control characters');
    if (format === 'ip' && canonicalIp(v) === undefined) return fail(`not an IPv4 or IPv6 address: ${JSON.stringify(v)}`);
    if (format === 'date-time' && !isRfc3339(v)) return fail(`not an RFC 3339 time: ${JSON.stringify(v)}`);
    return undefined;
  };
}

/** `{ type: 'integer', minimum, maximum }`. */
export function integer(minimum?: number, maximum?: number): Check {
  const outside = `must be between ${minimum ?? '-∞'} and ${maximum ?? '∞'}`;
  return (v) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) return fail('must be an integer');
    return (minimum !== undefined && v < minimum) || (maximum !== undefined && v > maximum) ? fail(outside) : undefined;
  };
}

export const boolean: Check = (v) => (typeof v === 'boolean' ? undefined : fail('must be a boolean'));

/** `{ type: 'string', enum: values }`. */
export function oneOf(values: readonly string[]): Check {
  return (v) => {
    if (typeof v !== 'string') return fail('must be a string');
    return values.includes(v) ? undefined : fail(`must be one of ${values.join(', ')}; got ${JSON.stringify(v)}`);
  };
}

/** TypeBox's Literal, `{ const: value, type }`; given several, their union (`anyOf`), which ajv names by the first. */
export function literal(...values: readonly (string | number)[]): Check {
  const first = values[0]!;
  const type = typeof first === 'string' ? 'string' : 'number';
  return (v) => {
    if (values.includes(v as string | number)) return undefined;
    if (type === 'string' ? typeof v !== 'string' : typeof v !== 'number' || !Number.isFinite(v)) return fail(`must be a ${type}`);
    return fail(`must be ${JSON.stringify(first)}; got ${JSON.stringify(v)}`);
  };
}

/** `{ type: 'array', items, maxItems, minItems }`; no `items`: any entries. */
export function array(items?: Check, { minItems = 0, maxItems = Infinity }: { minItems?: number; maxItems?: number } = {}): Check {
  return (v) => {
    if (!Array.isArray(v)) return fail('must be an array');
    if (v.length > maxItems) return fail(`more than ${maxItems} entries`);
    if (v.length < minItems) return fail(`must NOT have fewer than ${minItems} items`);
    if (items) for (let i = 0; i < v.length; i++) { const f = items(v[i]); if (f) return below(String(i), f); }
    return undefined;
  };
}

/** The problem of `o`'s field `f`, or undefined. */
function fieldFailure(o: Record<string, unknown>, f: Field): Failure | undefined {
  const v = o[f.name];
  if (v !== undefined) return f.check(v);
  return f.required === true || (f.required !== undefined && f.required(o)) ? fail('required') : undefined;
}

/** A nested `{ type: 'object', properties, required }`: ajv reports the missing properties first, then the others' problems, each in schema order. */
export function object(fields: readonly Field[]): Check {
  const required = fields.filter((f) => f.required === true).map((f) => f.name);
  return (v) => {
    if (!isObject(v)) return fail('must be an object');
    for (const name of required) if (v[name] === undefined) return below(name, fail('required'));
    for (const f of fields) {
      const x = v[f.name];
      const e = x === undefined ? undefined : f.check(x);
      if (e) return below(f.name, e);
    }
    return undefined;
  };
}

/** TypeBox's Record of strings: `patternProperties: { '^(.*)$': values }`. ajv compiles patterns with the `u` flag, so `.`
 *  stops at a line terminator and a key holding one is not checked at all. */
const ANY_KEY = /^(.*)$/u;
export function recordOf(values: Check): Check {
  return (v) => {
    if (!isObject(v)) return fail('must be an object');
    for (const k in v) {
      if (!ANY_KEY.test(k)) continue;
      const e = values(v[k]);
      if (e) return below(k, e);
    }
    return undefined;
  };
}

/** `a.b[0].c` from path segments, as ajv-reference's describe() writes a field. */
const fieldPath = (segs: readonly string[]): string => segs.reduce((p, s) => (/^\d+$/.test(s) ? `${p}[${s}]` : p ? `${p}.${s}` : s), '');

/**
 * A top-level object: of all its problems, the one on the field that comes first in the schema (what
 * a sender is told, and `key` what skipped records are counted by); `required` may depend on the object.
 */
export function document(fields: readonly Field[]): (v: unknown) => Problem | undefined {
  return (v) => {
    if (!isObject(v)) return { field: '', key: '', message: 'must be an object' };
    for (const f of fields) {
      const e = fieldFailure(v, f);
      if (e) return { field: fieldPath([f.name, ...e.path]), key: f.name, message: e.message };
    }
    return undefined;
  };
}
