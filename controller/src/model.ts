// The map's data model: workload identities and the intents between them. The store keeps these,
// every export format renders them, and the resolver produces them. They are part of the wire
// contract (GET /api/v1/intents), so their one definition is controller/contract/schema.ts.

export {
  HTTP_METHODS, KAFKA_OPERATIONS,
  type HttpMethod, type HttpResource, type Intent, type IntentQuery, type IntentSource, type IntentType,
  type InternetDestination, type KafkaOperation, type KafkaTopic, type WorkloadIdentity,
} from '../contract/schema.ts';
import type { Intent, IntentQuery } from '../contract/schema.ts';

/** Read access to the map, which the export formats and routes need. */
export interface IntentReader {
  query(q?: IntentQuery): Intent[];
  /** Bumped on every change (the store has one); the web map's live updates follow it. */
  revision?(): number;
}
