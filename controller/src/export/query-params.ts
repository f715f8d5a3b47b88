// The filter parameters the export routes share with `GET /api/v1/intents` (namespaces, server,
// excludeServices, excludeLabels, excludeInternet, since), parsed and checked in one place; the
// CLI writes the same names when it asks the controller for intents.

import type { IntentQuery } from '../model.ts';
import { QueryParamError as ParamError } from '../../common/errors.ts';
import { listParam, parseIntentQuery } from '../intent-query.ts';

export interface ExportFilters {
  query: IntentQuery;
  excludeServices: string[];
  includeInternet: boolean;
}

/** A bad parameter: `field` names it, `message` says what was wrong. One class with the API's. */
export { QueryParamError as ParamError } from '../../common/errors.ts';
export { listParam, boolParam, parseServer } from '../intent-query.ts';

/** Parameters the export routes read besides the intents query. */
const EXPORT_PARAMS = ['excludeServices', 'format', 'version', 'clusters', 'dpi', 'maxSize'] as const;

/** Parses and checks the filters with the same parser as `GET /api/v1/intents`; throws ParamError
 *  naming the first bad parameter. */
export function parseExportFilters(params: URLSearchParams, now: () => Date = () => new Date()): ExportFilters {
  const query = parseIntentQuery(params, now(), EXPORT_PARAMS);
  if (query.server && query.namespaces) throw new ParamError('server', 'server filter cannot be used with namespaces filter');
  return { query, excludeServices: listParam(params, 'excludeServices'), includeInternet: !query.excludeInternet };
}

/** The query string for `GET /api/v1/intents` that asks for what `filters` describes. */
export function intentsSearchParams(q: IntentQuery): URLSearchParams {
  const p = new URLSearchParams();
  if (q.namespaces?.length) p.set('namespaces', q.namespaces.join(','));
  if (q.server) p.set('server', `${q.server.name}.${q.server.namespace}`);
  if (q.excludeLabels?.length) p.set('excludeLabels', q.excludeLabels.join(','));
  if (q.includeLabels?.length) p.set('includeLabels', q.includeLabels.join(','));
  if (q.since) p.set('since', q.since);
  if (q.excludeInternet) p.set('excludeInternet', 'true');
  return p;
}

/** Image options of `graph.*`: clusters=on|off|auto, dpi (18–600), maxSize (longest side in px, 256–16384). */
export function parseImageOptions(params: URLSearchParams): { clusters?: boolean; dpi?: number; maxSide?: number } {
  const out: { clusters?: boolean; dpi?: number; maxSide?: number } = {};
  const c = params.get('clusters');
  if (c !== null && c !== 'auto') {
    if (!['on', 'off', 'true', 'false'].includes(c)) throw new ParamError('clusters', `expected on, off or auto, got ${JSON.stringify(c)}`);
    out.clusters = c === 'on' || c === 'true';
  }
  const num = (name: string, min: number, max: number): number | undefined => {
    const v = params.get(name);
    if (v === null) return undefined;
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < min || n > max) throw new ParamError(name, `expected a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`);
    return n;
  };
  const dpi = num('dpi', 18, 600), maxSide = num('maxSize', 256, 16384);
  if (dpi !== undefined) out.dpi = dpi;
  if (maxSide !== undefined) out.maxSide = maxSide;
  return out;
}
