// Resolution of reported records to intents: re-exports only.
export { createConnectionResolver, type Resolution } from './connection.ts';
export { createWatcherResolver, kafkaOperation } from './watchers.ts';
export { createDnsCache, type DnsCache } from './dns-cache.ts';
export { createIdentityCache, API_SERVER_IDENTITY, type PodIdentityResolver, type IdentityCache } from './identities.ts';
export { parseClusterName } from './cluster-name.ts';
export { podAt, servicePodsAt } from './pod-at.ts';
