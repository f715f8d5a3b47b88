// The reference the hand-written checks of validate.ts are held to: each JSON Schema of json-schema.ts
// compiled by ajv (allErrors, so every problem is seen), and ajv's errors turned into the one Problem
// a sender is told — the field that comes first in the schema. validate.test.ts asserts that both give
// the same verdict and the same Problem on every case; production never loads this file.

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { canonicalIp } from '../../common/ip.ts';
import { isRfc3339 } from '../rfc3339.ts';
import type { Problem } from '../checks.ts';

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, verbose: true });
ajv.addFormat('ip', { type: 'string', validate: (s: string) => canonicalIp(s) !== undefined });
ajv.addFormat('date-time', { type: 'string', validate: isRfc3339 });

/** ajv's error in words a sender can act on, with the field as a JSON path. */
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

/** `schema` compiled; called on a value, the Problem ajv's errors name first (by the schema's property order), or undefined. */
export function referenceCheck(schema: object): (data: unknown) => Problem | undefined {
  const fn: ValidateFunction = ajv.compile(schema);
  const order = Object.keys((schema as { properties?: object }).properties ?? {});
  const rank = (p: Problem): number => (p.key === '' ? -1 : order.indexOf(p.key) < 0 ? order.length : order.indexOf(p.key));
  return (data) => {
    if (fn(data)) return undefined;
    const problems = (fn.errors ?? []).filter((e) => e.keyword !== 'if' && e.keyword !== 'anyOf').map(describe);
    if (problems.length === 0) return { field: '', key: '', message: 'invalid' };
    return problems.reduce((best, p) => (rank(p) < rank(best) ? p : best));
  };
}
