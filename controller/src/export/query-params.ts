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
const EXPORT_PARAMS = ['excludeServices', 'format', 'version'] as const;

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
  if (q.since) p.set('since', q.since);
  if (q.excludeInternet) p.set('excludeInternet', 'true');
  return p;
}
