// `GET /api/v1/intents` query parameters → IntentQuery, each bad value named in a 400.

import { QueryParamError } from '../common/errors.ts';
import type { IntentQuery } from './model.ts';
import { parseDuration } from '../common/units.ts';
import { isRfc3339 } from '../contract/validate.ts';

const MAX_TIME_MS = 8.64e15;

const KNOWN = new Set(['namespaces', 'server', 'since', 'includeLabels', 'includeAllLabels', 'excludeLabels', 'excludeInternet']);
/** RFC 1123 label: what a namespace name must be. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const MAX_LIST = 256;
/** `key=value`, or a bare `key` (matches an empty value, as Otterize's excludeServiceWithLabels does). */
const LABEL_PAIR = /^[^=,\s]+(=[^=,\s]*)?$/;

/** `a,b` and repeated `?x=a&x=b` both give [a, b]; blanks dropped. */
export function listParam(p: URLSearchParams, name: string): string[] {
  const out = p.getAll(name).flatMap((v) => v.split(',')).map((s) => s.trim()).filter((s) => s !== '');
  if (out.length > MAX_LIST) throw new QueryParamError(name, `more than ${MAX_LIST} values`);
  return out;
}

export function boolParam(p: URLSearchParams, name: string): boolean | undefined {
  const v = p.get(name);
  if (v === null) return undefined;
  if (v === '' || v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new QueryParamError(name, `must be true or false, got ${JSON.stringify(v)}`);
}

/** `name.namespace` → its parts; the namespace is after the last dot (workload names may hold dots
 *  only when an annotation or label named them). */
export function parseServer(server: string, field = 'server'): { name: string; namespace: string } {
  const dot = server.lastIndexOf('.');
  const name = server.slice(0, dot), namespace = server.slice(dot + 1);
  if (dot <= 0 || !DNS_LABEL.test(namespace)) {
    throw new QueryParamError(field, `invalid server filter ${JSON.stringify(server)}. Expected format: <server-name>.<namespace>`);
  }
  return { name, namespace };
}

/** Parses the intents query; `alsoKnown` names the parameters a caller handles itself (e.g. the
 *  export routes' `format`), so any other unknown parameter is a 400 that names it. */
export function parseIntentQuery(p: URLSearchParams, now: Date, alsoKnown: readonly string[] = []): IntentQuery {
  for (const k of p.keys()) {
    if (!KNOWN.has(k) && !alsoKnown.includes(k)) {
      throw new QueryParamError(k, `unknown parameter (known: ${[...KNOWN, ...alsoKnown].join(', ')})`);
    }
  }
  const q: IntentQuery = {};
  const namespaces = listParam(p, 'namespaces');
  for (const ns of namespaces) if (!DNS_LABEL.test(ns)) throw new QueryParamError('namespaces', `${JSON.stringify(ns)} is not a namespace name (RFC 1123 label)`);
  if (namespaces.length) q.namespaces = namespaces;
  const server = p.get('server');
  if (server !== null) q.server = parseServer(server);
  const since = p.get('since');
  if (since !== null) {
    const ago = parseDuration(since);
    // ECMAScript times end at ±8.64e15 ms (ECMA-262 §21.4.1.1): a duration reaching past that is refused by name.
    if (ago !== undefined && !(Math.abs(now.getTime() - ago) <= MAX_TIME_MS)) throw new QueryParamError('since', `duration ${JSON.stringify(since)} reaches before the earliest representable time`);
    if (ago !== undefined) q.since = new Date(now.getTime() - ago).toISOString();
    else if (isRfc3339(since)) q.since = new Date(Date.parse(since)).toISOString();
    else throw new QueryParamError('since', `must be an RFC 3339 time or a duration like 15m, got ${JSON.stringify(since)}`);
  }
  const include = listParam(p, 'includeLabels');
  if (include.length) q.includeLabels = include;
  const all = boolParam(p, 'includeAllLabels');
  if (all !== undefined) q.includeAllLabels = all;
  const exclude = listParam(p, 'excludeLabels');
  for (const l of exclude) if (!LABEL_PAIR.test(l)) throw new QueryParamError('excludeLabels', `${JSON.stringify(l)} is not key=value`);
  if (exclude.length) q.excludeLabels = exclude;
  const noInternet = boolParam(p, 'excludeInternet');
  if (noInternet !== undefined) q.excludeInternet = noInternet;
  return q;
}
