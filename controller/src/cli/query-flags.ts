// The filter flags list/export/visualize share, turned into the controller query and the
// conversion options, with the reference's option errors in plain words.

import { parseServer, ParamError } from '../export/query-params.ts';
import type { ClientIntentsOptions } from '../export/client-intents.ts';
import type { IntentQuery } from '../model.ts';
import type { FlagSpec, ParsedFlags } from './options.ts';
import { bool, list, str, UsageError } from './options.ts';

export const QUERY_FLAGS: FlagSpec[] = [
  { name: 'namespaces', aliases: ['-n'], type: 'list', valueName: 'NS,...', help: 'only clients in these namespaces' },
  { name: 'server', type: 'string', valueName: 'NAME.NS', help: 'only clients that call this server (all their calls)' },
  { name: 'exclude-services', type: 'list', valueName: 'NAME,...', help: 'leave out these workloads (name or name.namespace), as clients and as targets' },
  { name: 'exclude-labels', type: 'list', valueName: 'K=V,...', help: 'leave out connections whose client or server has one of these labels' },
  { name: 'exclude-internet', type: 'bool', help: 'leave out Internet destinations (what the Otterize CLI shows)' },
  { name: 'distinct-by-label', type: 'string', valueName: 'LABEL', help: 'one ClientIntents per client name and value of this pod label (no_value when unset), across namespaces' },
  { name: 'as-kubernetes-service', type: 'bool', help: 'name targets by the Kubernetes Service they were reached through, when known' },
];

export interface QuerySelection { query: IntentQuery; convert: ClientIntentsOptions }

export function querySelection(flags: ParsedFlags): QuerySelection {
  const query: IntentQuery = {};
  const namespaces = list(flags, 'namespaces');
  const server = str(flags, 'server');
  if (server !== undefined && namespaces.length > 0) throw new UsageError('server filter cannot be used with namespaces filter');
  if (namespaces.length) query.namespaces = namespaces;
  if (server !== undefined) {
    // As the Otterize CLI: exactly `<name>.<namespace>` (a dotted name such as `a.b.c` is refused).
    const invalid = new UsageError(`invalid server filter ${JSON.stringify(server)}. Expected format: <server-name>.<namespace>`);
    if (server.split('.').length !== 2) throw invalid;
    try { query.server = parseServer(server); } catch (e) {
      if (e instanceof ParamError) throw invalid;
      throw e;
    }
  }
  const distinctByLabel = str(flags, 'distinct-by-label');
  if (distinctByLabel !== undefined) query.includeLabels = [distinctByLabel];
  const excludeLabels = list(flags, 'exclude-labels');
  if (excludeLabels.length) query.excludeLabels = excludeLabels;
  const excludeInternet = bool(flags, 'exclude-internet');
  if (excludeInternet) query.excludeInternet = true;
  const convert: ClientIntentsOptions = { excludeServices: list(flags, 'exclude-services'), includeInternet: !excludeInternet };
  if (distinctByLabel !== undefined) convert.distinctByLabel = distinctByLabel;
  if (bool(flags, 'as-kubernetes-service')) convert.asKubernetesService = true;
  return { query, convert };
}
