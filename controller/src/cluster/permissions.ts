// Every Kubernetes API resource and verb the controller uses, declared once. The informers are built
// from this list and the chart's ClusterRole is checked against it (chart/rbac.int.test.ts).

export interface ApiResource {
  /** API group, '' for core. */
  group: string;
  version: string;
  /** Plural resource name as in RBAC rules and URLs. */
  resource: string;
  kind: string;
  verbs: readonly string[];
}

const READ = ['get', 'list', 'watch'] as const;

/** Resources the cluster view watches with informers. */
export const WATCHED_RESOURCES: readonly ApiResource[] = [
  { group: '', version: 'v1', resource: 'pods', kind: 'Pod', verbs: READ },
  { group: '', version: 'v1', resource: 'services', kind: 'Service', verbs: READ },
  { group: '', version: 'v1', resource: 'nodes', kind: 'Node', verbs: READ },
  { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', verbs: READ },
  { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', kind: 'EndpointSlice', verbs: READ },
  { group: 'apps', version: 'v1', resource: 'replicasets', kind: 'ReplicaSet', verbs: READ },
  { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', verbs: READ },
  { group: 'apps', version: 'v1', resource: 'statefulsets', kind: 'StatefulSet', verbs: READ },
  { group: 'apps', version: 'v1', resource: 'daemonsets', kind: 'DaemonSet', verbs: READ },
  { group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job', verbs: READ },
  { group: 'batch', version: 'v1', resource: 'cronjobs', kind: 'CronJob', verbs: READ },
];

/** Other API calls: who a bearer token belongs to (reporters and readers), and whether a reader may
 *  read or reset (auth/user-access.ts, SubjectAccessReview on non-resource URLs). */
export const OTHER_API_CALLS: readonly ApiResource[] = [
  { group: 'authentication.k8s.io', version: 'v1', resource: 'tokenreviews', kind: 'TokenReview', verbs: ['create'] },
  { group: 'authorization.k8s.io', version: 'v1', resource: 'subjectaccessreviews', kind: 'SubjectAccessReview', verbs: ['create'] },
];

/** Everything the controller's ClusterRole must grant, no more (wider reads only behind a chart value). */
export const CONTROLLER_PERMISSIONS: readonly ApiResource[] = [...WATCHED_RESOURCES, ...OTHER_API_CALLS];
