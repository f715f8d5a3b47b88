// The intent store: one entry per (client, server or Internet destination, type), in memory, bounded,
// with excluded namespaces, optional expiry and a plain-JSON snapshot for persistence.

import type { Intent, IntentQuery, IntentReader, WorkloadIdentity } from '../model.ts';
import { cloneEntry, intentKey, mergeInto, newEntry, fromIntent, toIntent, type Entry, type IntentObservation } from './entry.ts';
import { runQuery } from './query.ts';
import { setHiddenMark } from '../../common/hidden-mark.ts';
import { checkSnapshot, SNAPSHOT_VERSION, type StoreSnapshot } from './snapshot-codec.ts';

export type AddOutcome = 'added' | 'merged' | 'excluded' | 'refused' | 'not-admitted';

export interface IntentStoreOptions {
  /** Client or server namespaces never stored (reference default: istio-system, linkerd). */
  excludeNamespaces?: readonly string[];
  /** New intents past this many are refused and counted (existing ones still merge). */
  maxIntents?: number;
  now?: () => Date;
  /** Told of every change as it is made (durable-store.ts: the write-ahead log). */
  journal?: StoreJournal;
}

/** Called synchronously inside `add` (for what was stored) and `reset`, so the log's order is the store's. */
export interface StoreJournal {
  added(o: IntentObservation): void;
  reset(): void;
}

export interface IntentStore extends IntentReader {
  /** `admitNew`: asked before `o` would start a new intent (ingest's reporter quota, which counts new intents
   *  only); false refuses it ('not-admitted'), before the namespace and size checks. */
  add(o: IntentObservation, admitNew?: () => boolean): AddOutcome;
  query(q?: IntentQuery): Intent[];
  reset(): void;
  size(): number;
  /** Totals since start: intents refused for the size bound, observations dropped for excluded namespaces. */
  stats(): { refused: number; excluded: number };
  /** Removes entries last seen before `now - maxAgeMs`; says how many went and the oldest last-seen among them. */
  expire(maxAgeMs: number): ExpireResult;
  snapshot(): StoreSnapshot;
  /**
   * The store as of now, in O(n) pointer copies: entries are copied on their next change instead
   * (copy on write), so a large snapshot can be serialised in chunks while reports keep arriving.
   */
  frozen(): FrozenSnapshot;
  /** Replaces the content with a snapshot's; throws (naming the problem) when it is not one. `trusted`: see checkSnapshot. */
  load(data: unknown, opts?: { trusted?: boolean }): number;
  /** Bumped on every change; a saver compares it to skip writing an unchanged store. */
  revision(): number;
  /**
   * What changed since the previous call, for the one copy kept in step with this store (the export
   * worker's): the intents added or changed, as they are now, and the keys removed. `full` when a copy
   * cannot be brought up to date by a delta (the first call, a reset or a load, or more changes than
   * the store holds intents) — then take `frozen()` instead. Changes are tracked from the first call on.
   */
  drainChanges(): StoreDelta;
  /** Applies a drainChanges delta (the copy's side). */
  applyDelta(changed: readonly Intent[], removed: readonly string[]): void;
}

export type StoreDelta = { full: true } | { full: false; changed: Intent[]; removed: string[] };

export interface ExpireResult {
  removed: number;
  /** Epoch ms: the earliest `lastSeen` of the removed intents (absent when none went). */
  oldestLastSeen?: number;
}

export interface FrozenSnapshot {
  savedAt: string;
  size: number;
  /** The i-th intent as it was when frozen. */
  intent(i: number): Intent;
}

/** Intents per JSON chunk: whoever writes or sends the chunks gives the event loop a turn between two. */
export const FROZEN_JSON_CHUNK = 2000;

/** `snap`'s intents as JSON, `FROZEN_JSON_CHUNK` at a time, each chunk the intents joined by commas (no brackets). */
export function* frozenJsonChunks(snap: FrozenSnapshot): Generator<string> {
  for (let i = 0; i < snap.size; i += FROZEN_JSON_CHUNK) {
    const part: string[] = [];
    for (let j = i; j < Math.min(snap.size, i + FROZEN_JSON_CHUNK); j++) part.push(JSON.stringify(snap.intent(j)));
    yield part.join(',');
  }
}

/** The same chunks for a list of intents (a drainChanges delta). */
export const intentJsonChunks = (list: readonly Intent[]): Generator<string> =>
  frozenJsonChunks({ savedAt: '', size: list.length, intent: (i) => list[i]! });

export const DEFAULT_EXCLUDED_NAMESPACES = ['istio-system', 'linkerd'];
/** Measured: 200k intents peaked at 1.15 GB RSS with an export running (store + the worker's copy), past the chart's 1Gi. */
export const DEFAULT_MAX_INTENTS = 100_000;

/** What the store knows of one (client, server) pair of identity objects: the intent's key, whether a
 *  namespace of the pair is excluded, and its entry as of store generation `gen` (see `add`). */
interface PairMemo { key: string; excluded: boolean; entry: Entry | undefined; gen: number }

/** On a client identity: one store's memos by server identity, read from the object in hand (the identity that
 *  resolution and the ingest gate have just read) instead of looked up in a table of every client identity. */
const PAIRS = Symbol('netmapper.pairMemos');
interface PairsSlot { store: object; byServer: WeakMap<WorkloadIdentity, PairMemo> }
type WithPairs = WorkloadIdentity & { [PAIRS]?: PairsSlot };

/**
 * The PairMemo of a pod-to-pod observation, made once per (client, server) identity pair: resolution hands
 * the same identity objects again and again (cached per pod version), so a record costs two lookups by
 * object instead of a key string, a lookup of it among every intent and two of the excluded namespaces.
 * A new identity version is a new object and a fresh memo. Undefined for other observations.
 */
function createPairMemos(excluded: ReadonlySet<string>): (o: IntentObservation) => PairMemo | undefined {
  const self = {};
  // Clients that carry another store's slot, or cannot take one (frozen, as the API server's identity is).
  const byClient = new WeakMap<WorkloadIdentity, WeakMap<WorkloadIdentity, PairMemo>>();
  const serversOf = (client: WithPairs): WeakMap<WorkloadIdentity, PairMemo> => {
    const slot = client[PAIRS];
    if (slot?.store === self) return slot.byServer;
    let byServer = byClient.get(client);
    if (byServer) return byServer;
    byServer = new WeakMap();
    if (slot || !setHiddenMark(client, PAIRS, { store: self, byServer } satisfies PairsSlot)) byClient.set(client, byServer);
    return byServer;
  };
  return (o) => {
    if (o.type !== 'plain' || !o.server || o.internet) return undefined;
    const byServer = serversOf(o.client);
    let memo = byServer.get(o.server);
    if (memo === undefined) {
      memo = { key: intentKey(o), excluded: excluded.has(o.client.namespace) || excluded.has(o.server.namespace), entry: undefined, gen: -1 };
      byServer.set(o.server, memo);
    }
    return memo;
  };
}

export function createIntentStore(opts: IntentStoreOptions = {}): IntentStore {
  const excluded = new Set(opts.excludeNamespaces ?? DEFAULT_EXCLUDED_NAMESPACES);
  const maxIntents = opts.maxIntents ?? DEFAULT_MAX_INTENTS;
  const now = opts.now ?? (() => new Date());
  let entries = new Map<string, Entry>();
  let refused = 0, excludedCount = 0, rev = 0, epoch = 0;
  /** Bumped whenever entries leave `entries` or are replaced other than by `add`'s copy on write (reset, load,
   *  expire, applyDelta): a PairMemo's entry of this generation and of the current epoch is the one in `entries`. */
  let gen = 0;
  const pairOf = createPairMemos(excluded);
  // drainChanges' state: keys touched since the last drain (undefined: not tracking, or too many to be worth a delta).
  let tracking = false;
  let dirty: Set<string> | undefined;
  const touched = (key: string) => {
    if (!dirty) return;
    dirty.add(key);
    if (dirty.size > maxIntents) dirty = undefined;   // removals churned past the bound: a full copy is cheaper
  };
  const untracked = () => { if (tracking) dirty = undefined; };

  return {
    add(o, admitNew) {
      const memo = pairOf(o);
      const key = memo ? memo.key : intentKey(o);
      // The memo's entry while nothing but `add` changed the table since, and no snapshot made it copy the entry
      // (a copy is a new entry, of the current epoch: another pair with the same key may have made it).
      let e = memo && memo.gen === gen && memo.entry!.epoch === epoch ? memo.entry : entries.get(key);
      if (!e && admitNew && !admitNew()) return 'not-admitted';
      if (memo ? memo.excluded : excluded.has(o.client.namespace) || (o.server && excluded.has(o.server.namespace))) { excludedCount++; return 'excluded'; }
      rev++;
      if (e) {
        if (e.epoch !== epoch) { e = cloneEntry(e); e.epoch = epoch; entries.set(key, e); }   // a frozen snapshot holds the old one
        if (memo) { memo.entry = e; memo.gen = gen; }
        mergeInto(e, o); touched(key); opts.journal?.added(o); return 'merged';
      }
      if (entries.size >= maxIntents) { refused++; return 'refused'; }
      const fresh = newEntry(key, o);
      fresh.epoch = epoch;
      entries.set(key, fresh);
      if (memo) { memo.entry = fresh; memo.gen = gen; }
      touched(key);
      opts.journal?.added(o);
      return 'added';
    },
    query: (q) => runQuery(entries.values(), q),
    reset() { entries = new Map(); rev++; gen++; untracked(); opts.journal?.reset(); },
    size: () => entries.size,
    stats: () => ({ refused, excluded: excludedCount }),
    expire(maxAgeMs) {
      const cutoff = now().getTime() - maxAgeMs;
      let n = 0, oldest = Infinity;
      for (const [k, e] of entries) if (e.lastSeen < cutoff) { entries.delete(k); touched(k); n++; if (e.lastSeen < oldest) oldest = e.lastSeen; }
      if (!n) return { removed: 0 };
      rev++;
      gen++;
      return { removed: n, oldestLastSeen: oldest };
    },
    frozen() {
      const held = [...entries.values()];
      epoch++;
      return { savedAt: now().toISOString(), size: held.length, intent: (i) => toIntent(held[i]!) };
    },
    snapshot: () => ({ version: SNAPSHOT_VERSION, savedAt: now().toISOString(), intents: [...entries.values()].map(toIntent) }),
    load(data, loadOpts) {
      const snap = checkSnapshot(data, loadOpts?.trusted === true);
      const next = new Map<string, Entry>();
      for (const i of snap.intents) {
        if (next.size >= maxIntents) { refused++; continue; }
        const key = intentKey(i);
        const e = fromIntent(key, i);
        e.epoch = epoch;
        const prev = next.get(key);
        if (prev) { mergeInto(prev, { ...i, lastSeen: e.lastSeen, source: i.sources[0] }); continue; }
        next.set(key, e);
      }
      entries = next;
      rev++;
      gen++;
      untracked();
      return entries.size;
    },
    revision: () => rev,
    drainChanges() {
      const was = dirty;
      dirty = new Set();
      if (!tracking || !was) { tracking = true; return { full: true }; }
      const changed: Intent[] = [], removed: string[] = [];
      for (const k of was) { const e = entries.get(k); if (e) changed.push(toIntent(e)); else removed.push(k); }
      return { full: false, changed, removed };
    },
    applyDelta(changed, removed) {
      for (const k of removed) entries.delete(k);
      for (const i of changed) { const key = intentKey(i); const e = fromIntent(key, i); e.epoch = epoch; entries.set(key, e); }
      rev++;
      gen++;
    },
  };
}
