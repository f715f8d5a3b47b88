// The intent store: re-exports only.
export { createIntentStore, DEFAULT_EXCLUDED_NAMESPACES, DEFAULT_MAX_INTENTS } from './intent-store.ts';
export type { IntentStore, IntentStoreOptions, AddOutcome, StoreJournal } from './intent-store.ts';
export type { IntentObservation } from './entry.ts';
export type { StoreSnapshot } from './snapshot-codec.ts';
