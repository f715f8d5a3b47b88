// Workload identity: naming rules and the owner walk.
export { createIdentityResolver, type IdentityResolver, type IdentityResolverOptions } from './resolver.ts';
export { sanitizeWorkloadName, OTTERIZE_SERVICE_NAME_LABEL, WORKLOAD_NAME_ANNOTATION, DEPRECATED_SERVICE_NAME_ANNOTATION } from './naming.ts';
