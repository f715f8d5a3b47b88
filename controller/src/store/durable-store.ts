// Makes the intent store durable: every change goes to a write-ahead log (`<file>.wal.<n>`) as it is
// made, and a report is acknowledged only after `commit()` (one fdatasync shared by every report
// waiting at that moment). The log is compacted into the snapshot file (`<file>`), which records the
// last segment it covers (`walSeq`), so a crash between writing the snapshot and deleting the old
// segments never applies a segment twice. At start: snapshot, then every later segment in order; a
// torn tail (a crash mid-write) is truncated and counted. Node-only (fs); main.ts wires it.

import { readdirSync, truncateSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { StoreWriteError } from '../../common/errors.ts';
import type { IntentObservation } from './entry.ts';
import { observationJson } from './observation-json.ts';
import type { IntentStore, StoreJournal } from './intent-store.ts';
import { createSnapshotFile, type LoadResult } from './snapshot-file.ts';
import { openSegment, readSegment, type OpenSegmentFile, type Segment } from './wal.ts';

/** While the store cannot write, a compaction (a full snapshot from memory) is retried this often. */
export const DEFAULT_RETRY_MS = 2000;

/** Compact once the log holds this much (bounds restart time: replaying 64 MiB takes about a second). */
export const DEFAULT_COMPACT_BYTES = 64 * 1024 * 1024;

export interface DurableStoreOptions {
  /** The snapshot file; segments live beside it. */
  path: string;
  compactBytes?: number;
  now?: () => Date;
  log?: (level: 'info' | 'warn' | 'error', msg: string) => void;
  onFsync?: (ms: number, records: number) => void;
  /** Told when the store stops being able to persist (a write or fsync failed) and when it can again. */
  onHealth?: (h: StoreHealth) => void;
  /** How often a failed store retries (default DEFAULT_RETRY_MS); 0: only when compact() is called. */
  retryMs?: number;
  /** Tests inject a failing file layer for the log segments. */
  openFile?: OpenSegmentFile;
}

/** Whether acknowledged reports can be made durable right now (the readiness probe and the 503 say why not). */
export type StoreHealth =
  | { ok: true; file: string }
  | { ok: false; file: string; error: string; since: string };

export interface OpenResult {
  snapshot: LoadResult;
  /** Log records applied on top of the snapshot. */
  replayed: number;
  segments: number;
  /** Bytes cut from torn segment tails (0 after a clean stop). */
  tornBytes: number;
  /** Records whose payload could not be read back (counted, skipped). */
  badRecords: number;
  ms: number;
}

export interface DurableStore {
  /** Pass to createIntentStore({ journal }) so every change is logged as it is made. */
  readonly journal: StoreJournal;
  /** Loads the snapshot and replays the log into `store`; then starts a new segment. */
  open(store: IntentStore): Promise<OpenResult>;
  /** Resolves once every change made before the call is on disk; rejects with StoreWriteError. */
  commit(): Promise<void>;
  /** Folds the log into a new snapshot and deletes the covered segments. */
  compact(): Promise<void>;
  /** Bytes in the current segment. */
  logBytes(): number;
  /** ok, or the write error that stopped persistence (sticky until a full snapshot is written again). */
  health(): StoreHealth;
  /** Commits, compacts and closes. */
  close(): Promise<void>;
}

const RESET = '{"reset":true}';

export function createDurableStore(opts: DurableStoreOptions): DurableStore {
  const { path } = opts;
  const dir = dirname(path);
  const prefix = `${basename(path)}.wal.`;
  const compactBytes = opts.compactBytes ?? DEFAULT_COMPACT_BYTES;
  const segPath = (n: number) => join(dir, `${prefix}${n}`);
  let store: IntentStore | undefined;
  let current: Segment | undefined;
  let seq = 0;
  const sealed = new Set<Segment>();     // rotated out, still flushing
  let compacting: Promise<void> | undefined;
  let failure: StoreWriteError | undefined;
  let failedSince: Date | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let closed = false;
  const retryMs = opts.retryMs ?? DEFAULT_RETRY_MS;
  const segOpts = { ...(opts.onFsync ? { onFsync: opts.onFsync } : {}), ...(opts.openFile ? { openFile: opts.openFile } : {}) };
  const now = opts.now ?? (() => new Date());
  const health = (): StoreHealth => (failure ? { ok: false, file: path, error: failure.message, since: failedSince!.toISOString() } : { ok: true, file: path });

  /**
   * A write or fsync failed (ENOSPC, EIO, a read-only remount): from now on commit() refuses, so no
   * report is acknowledged that is not on disk, until a compaction writes the whole store again.
   */
  function fail(err: unknown): StoreWriteError {
    if (failure) return failure;
    const msg = (err as Error)?.message ?? String(err);
    failure = new StoreWriteError(`store ${path} cannot persist (${msg}); reports are refused until it can write again`, { cause: err });
    failedSince = now();
    opts.log?.('error', failure.message);
    opts.onHealth?.(health());
    scheduleRetry();
    return failure;
  }

  function scheduleRetry(): void {
    if (retryTimer || closed || retryMs <= 0) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      if (!failure || closed) return;
      durable.compact().catch(() => {}).finally(() => { if (failure) scheduleRetry(); });
    }, retryMs);
    retryTimer.unref();
  }

  function listSegments(): number[] {
    return readdirSync(dir).filter((f) => f.startsWith(prefix) && /^\d+$/.test(f.slice(prefix.length)))
      .map((f) => Number(f.slice(prefix.length))).sort((a, b) => a - b);
  }

  function append(payload: string): void {
    if (!current) return;                // opening: the store is being rebuilt from the log itself
    try { current.append(payload); } catch (err) { fail(err); return; }
    if (current.bytes >= compactBytes && !compacting) void durable.compact().catch(() => {});
  }

  const durable: DurableStore = {
    journal: {
      added: (o: IntentObservation) => append(observationJson(o)),
      reset: () => append(RESET),
    },

    async open(s) {
      const t0 = performance.now();
      store = s;
      const file = createSnapshotFile({ path, store: s, ...(opts.now ? { now: opts.now } : {}) });
      const snapshot = await file.load();
      const covered = snapshot.status === 'loaded' ? snapshot.walSeq ?? 0 : 0;
      let replayed = 0, tornBytes = 0, badRecords = 0, segments = 0;
      const found = listSegments();
      for (const n of found) {
        if (n <= covered) { unlinkSync(segPath(n)); continue; }   // left by a compaction cut short
        const read = readSegment(segPath(n));
        segments++;
        for (const rec of read.records) {
          let o: unknown;
          try { o = JSON.parse(rec); } catch { badRecords++; continue; }
          if ((o as { reset?: boolean }).reset === true) s.reset();
          else if (typeof o === 'object' && o !== null && 'client' in o) s.add(o as IntentObservation);
          else { badRecords++; continue; }
          replayed++;
        }
        if (read.tornBytes > 0) {
          tornBytes += read.tornBytes;
          truncateSync(segPath(n), read.validBytes);
          opts.log?.('warn', `store: ${segPath(n)} had a torn tail of ${read.tornBytes} bytes (a crash mid-write); truncated to ${read.validBytes}`);
        }
      }
      seq = Math.max(covered, found.at(-1) ?? 0) + 1;
      current = await openSegment(segPath(seq), segOpts);
      return { snapshot, replayed, segments, tornBytes, badRecords, ms: performance.now() - t0 };
    },

    async commit() {
      if (failure) throw failure;
      try {
        await Promise.all([...sealed].map((g) => g.sync()).concat(current ? [current.sync()] : []));
      } catch (err) {
        throw fail(err);
      }
    },

    compact() {
      compacting ??= (async () => {
        if (!store || !current) return;
        const next = await openSegment(segPath(seq + 1), segOpts);
        // From here to the snapshot copy nothing awaits: every change is either in a segment up to
        // `upTo` and in the snapshot, or in the new segment and not in the snapshot.
        const old = current;
        const upTo = seq;
        current = next;
        seq += 1;
        sealed.add(old);
        const snap = store.frozen();
        const wasFailed = failure;
        try {
          await old.close();
        } catch (err) {
          // Its waiting reports were refused; what it held is in `snap`, written below.
          fail(err);
        } finally {
          sealed.delete(old);
        }
        await createSnapshotFile({ path, store }).write(snap, upTo);
        for (const n of listSegments()) if (n <= upTo) unlinkSync(segPath(n));
        // The snapshot holds every change made before `snap`; later ones are in `next`. If `next` is
        // still sound, the disk has the whole store again: persistence is back.
        if (failure && !next.error) {
          const was = wasFailed ?? failure;
          failure = undefined;
          opts.log?.('info', `store ${path} can persist again (a snapshot was written after: ${was.message.replace(/; reports are refused.*$/, '')}); reports are accepted`);
          opts.onHealth?.(health());
        }
      })().finally(() => { compacting = undefined; });
      return compacting;
    },

    logBytes: () => current?.bytes ?? 0,
    health,

    async close() {
      closed = true;
      clearTimeout(retryTimer);
      await durable.commit().catch(() => {});
      await compacting?.catch(() => {});
      await durable.compact();
      await current?.close();
      current = undefined;
    },
  };
  return durable;
}
