// The store's snapshot format (a versioned JSON document) and its structural check on load, so a
// damaged or foreign file is reported precisely instead of half-loaded.

import { isObject } from '../../common/is-object.ts';
import { firstProblem, validateIntent } from '../../contract/validate.ts';
import type { Intent } from '../model.ts';

export const SNAPSHOT_VERSION = 1;

export interface StoreSnapshot {
  version: typeof SNAPSHOT_VERSION;
  savedAt: string;
  /** The write-ahead log segments up to this number are folded in (durable-store.ts); absent: none. */
  walSeq?: number;
  intents: Intent[];
}

function fail(path: string, msg: string): never {
  throw new Error(`${path}: ${msg}`);
}

/** The intent rules are the contract's (controller/contract/schema.ts), the same the API and the CLI use. */
function checkIntent(v: unknown, path: string): void {
  if (validateIntent(v)) return;
  const p = firstProblem(validateIntent);
  fail(p.field ? `${path}.${p.field}`.replace('.[', '[') : path, p.message);
}

/**
 * Throws an Error naming the first bad field; returns the value typed when it is a snapshot.
 * `trusted`: the intents were serialised by this process a moment ago (the export worker's copy): only the envelope is checked.
 */
export function checkSnapshot(data: unknown, trusted = false): StoreSnapshot {
  if (!isObject(data)) fail('$', 'not a JSON object');
  if (data.version !== SNAPSHOT_VERSION) fail('version', `unsupported snapshot version ${JSON.stringify(data.version)}`);
  if (!Array.isArray(data.intents)) fail('intents', 'must be an array');
  if (data.walSeq !== undefined && !(Number.isSafeInteger(data.walSeq) && (data.walSeq as number) >= 0)) fail('walSeq', `must be a non-negative integer, got ${JSON.stringify(data.walSeq)}`);
  if (!trusted) data.intents.forEach((v, i) => checkIntent(v, `intents[${i}]`));
  return data as unknown as StoreSnapshot;
}
