// The filter parameters the export routes share with `GET /api/v1/intents` (namespaces, server,
// excludeServices, excludeLabels, excludeInternet, since), parsed and checked in one place; the
// CLI writes the same names when it asks the controller for intents.

import type { IntentQuery } from '../model.ts';

export interface ExportFilters {
  query: IntentQuery;
  excludeServices: string[];
  includeInternet: boolean;
}

/** A bad parameter: `field` names it, `message` says what was wrong. */
export class ParamError extends Error {
  readonly code = 'invalid-query';
  constructor(readonly field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'ParamError';
  }
}

/** RFC 1123 label, what Kubernetes allows for a namespace name. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** Workload names have dots turned into underscores, so `name.namespace` has exactly one dot. */
const SERVER = /^([^.\s,]+)\.([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)$/;
const LABEL_PAIR = /^[^=,\s]+(=[^=,\s]*)?$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const DURATION = /^(\d+)(s|m|h|d)$/;
const DURATION_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Comma-separated and repeated values both work: `?namespaces=a,b` = `?namespaces=a&namespaces=b`. */
export function listParam(params: URLSearchParams, name: string): string[] {
  return params.getAll(name).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

export function boolParam(params: URLSearchParams, name: string): boolean | undefined {
  const v = params.get(name);
  if (v === null) return undefined;
  if (v === '' || v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new ParamError(name, `expected true or false, got ${JSON.stringify(v)}`);
}

export function parseServer(value: string, field = 'server'): { name: string; namespace: string } {
  const m = SERVER.exec(value);
  if (!m) throw new ParamError(field, `invalid server filter ${JSON.stringify(value)}. Expected format: <server-name>.<namespace>`);
  return { name: m[1], namespace: m[2] };
}

/** Parses and checks the filters; throws ParamError naming the first bad parameter. */
export function parseExportFilters(params: URLSearchParams, now: () => Date = () => new Date()): ExportFilters {
  const query: IntentQuery = {};
  const namespaces = listParam(params, 'namespaces');
  for (const ns of namespaces) if (!DNS_LABEL.test(ns)) throw new ParamError('namespaces', `${JSON.stringify(ns)} is not a namespace name (RFC 1123 label)`);
  if (namespaces.length) query.namespaces = namespaces;
  const server = params.get('server');
  if (server !== null) {
    if (namespaces.length) throw new ParamError('server', 'server filter cannot be used with namespaces filter');
    query.server = parseServer(server);
  }
  const excludeLabels = listParam(params, 'excludeLabels');
  for (const l of excludeLabels) if (!LABEL_PAIR.test(l)) throw new ParamError('excludeLabels', `${JSON.stringify(l)} is not key=value`);
  if (excludeLabels.length) query.excludeLabels = excludeLabels;
  const since = params.get('since');
  if (since !== null) query.since = parseSince(since, now);
  const excludeInternet = boolParam(params, 'excludeInternet') ?? false;
  if (excludeInternet) query.excludeInternet = true;
  return { query, excludeServices: listParam(params, 'excludeServices'), includeInternet: !excludeInternet };
}

/** `since` is an RFC 3339 time or an age such as `15m` (s, m, h, d) counted back from now. */
function parseSince(v: string, now: () => Date): string {
  if (RFC3339.test(v) && Number.isFinite(Date.parse(v))) return new Date(Date.parse(v)).toISOString();
  const d = DURATION.exec(v);
  if (d) return new Date(now().getTime() - Number(d[1]) * DURATION_MS[d[2]]).toISOString();
  throw new ParamError('since', `expected an RFC 3339 time or an age like 15m, got ${JSON.stringify(v)}`);
}

/** The query string for `GET /api/v1/intents` that asks for what `filters` describes. */
export function intentsSearchParams(q: IntentQuery): URLSearchParams {
  const p = new URLSearchParams();
  if (q.namespaces?.length) p.set('namespaces', q.namespaces.join(','));
  if (q.server) p.set('server', `${q.server.name}.${q.server.namespace}`);
  if (q.excludeLabels?.length) p.set('excludeLabels', q.excludeLabels.join(','));
  if (q.since) p.set('since', q.since);
  if (q.excludeInternet) p.set('excludeInternet', 'true');
  return p;
}
