// Resolves the Kafka watcher's records: the rules live in kafka.ts. (The Istio watcher's records: istio.ts.)

import type { IdentityCache } from './identities.ts';
import { createKafkaResolver } from './kafka.ts';

export { kafkaOperation } from './kafka.ts';

export function createWatcherResolver(deps: { identities: IdentityCache }) {
  return { resolveKafka: createKafkaResolver(deps) };
}
