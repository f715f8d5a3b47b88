// Who may do what to the map, declared once. The controller's access checks read these tables, and
// the chart renders its two ClusterRoles (viewer, admin) and the reporter identities from them
// (chart/rbac.int.test.ts compares). Reads and reset follow kube-rbac-proxy's model: TokenReview, then a
// SubjectAccessReview with nonResourceAttributes { path: <request path>, verb }, the verb being the
// lower-case HTTP method as the API server names non-resource verbs (GET and HEAD → get, POST → post).

import { API_PATHS, type RecordSource } from '../../contract/schema.ts';

/** Never behind authentication: kubelet probes. */
export const OPEN_PATHS: readonly string[] = ['/healthz', '/readyz'];

/** GraphQL (Otterize's API): queries and mutations alike arrive at this path. */
export const GRAPHQL_PATH = '/query';

/** Read paths, as RBAC nonResourceURLs (a trailing `*` matches by prefix). The viewer ClusterRole grants
 *  `get` on these; a GraphQL query is checked as `get` on /query. */
export const READ_PATHS: readonly string[] = [
  API_PATHS.intents,
  '/api/v1/list',
  '/api/v1/clientintents',
  '/api/v1/graph*',
  '/api/v1/graph.json',
  '/api/v1/graph/events',
  '/',
  '/web/*',
  GRAPHQL_PATH,
];
export const READ_VERB = 'get';

/** The admin ClusterRole grants `post` on the reset path, and on /query for GraphQL's resetCapture. */
export const RESET_PATH = API_PATHS.reset;
export const RESET_VERB = 'post';
export const RESET_PATHS: readonly string[] = [RESET_PATH, GRAPHQL_PATH];

/** A ClusterRole rule on non-resource URLs. */
export interface NonResourceRule { nonResourceURLs: readonly string[]; verbs: readonly string[] }

/** The chart's two ClusterRoles for users to bind: `<release>-viewer`, `<release>-admin`. Admin also reads. */
export const USER_CLUSTER_ROLES: Readonly<Record<'viewer' | 'admin', readonly NonResourceRule[]>> = {
  viewer: [{ nonResourceURLs: READ_PATHS, verbs: [READ_VERB] }],
  admin: [{ nonResourceURLs: READ_PATHS, verbs: [READ_VERB] }, { nonResourceURLs: RESET_PATHS, verbs: [RESET_VERB] }],
};

/** Non-resource verb of a request, as the API server names it. */
export const nonResourceVerb = (method: string): string => (method.toUpperCase() === 'HEAD' ? 'get' : method.toLowerCase());

/** Operation kinds of Otterize's GraphQL API and the SubjectAccessReview each needs: a query is a read
 *  (`get` on /query, whatever the HTTP method), resetCapture a reset (`post` on /query). */
export type OperationKind = 'report' | 'read' | 'reset';
export const OPERATION_ATTRIBUTES: Readonly<Record<'read' | 'reset', { path: string; verb: string }>> = {
  read: { path: GRAPHQL_PATH, verb: READ_VERB },
  reset: { path: GRAPHQL_PATH, verb: RESET_VERB },
};

/** Reporter roles and the record kinds each may send (DESIGN, "access follows Kubernetes"). */
export const REPORTER_ROLES = {
  sniffer: ['dns', 'tcp', 'socket'],
  'kafka-watcher': ['kafka'],
  'istio-watcher': ['istio'],
} as const satisfies Record<string, readonly RecordSource[]>;
export type ReporterRole = keyof typeof REPORTER_ROLES;
export const ROLE_NAMES = Object.keys(REPORTER_ROLES) as ReporterRole[];

/** Service account names the chart gives each reporter role: `<fullname>-sniffer`, ... */
export const ROLE_SERVICE_ACCOUNT_SUFFIX: Readonly<Record<ReporterRole, string>> = {
  sniffer: 'sniffer', 'kafka-watcher': 'kafka-watcher', 'istio-watcher': 'istio-watcher',
};
/** The chart's fullname for `helm install network-mapper` (chart/templates/_helpers.tpl netmapper.fullname). */
export const DEFAULT_FULLNAME = 'network-mapper';

export const serviceAccountUser = (namespace: string, name: string): string => `system:serviceaccount:${namespace}:${name}`;

/**
 * The default reporter identities: the chart's service accounts in the controller's namespace.
 * @example defaultReporterIdentities('netmapper-system', 'network-mapper')
 *   // { 'system:serviceaccount:netmapper-system:network-mapper-sniffer': 'sniffer', ... }
 */
export function defaultReporterIdentities(namespace: string, fullname = DEFAULT_FULLNAME): Record<string, ReporterRole> {
  const out: Record<string, ReporterRole> = {};
  for (const role of ROLE_NAMES) out[serviceAccountUser(namespace, `${fullname}-${ROLE_SERVICE_ACCOUNT_SUFFIX[role]}`)] = role;
  return out;
}

/** May `role` send a record of `source`? */
export const roleMaySend = (roles: readonly ReporterRole[], source: RecordSource): boolean =>
  roles.some((r) => (REPORTER_ROLES[r] as readonly string[]).includes(source));
