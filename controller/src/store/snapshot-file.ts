// Persists the intent store to one JSON file: written atomically (temp file, fsync, rename) and read
// back at start. A file that cannot be read back is renamed `<file>.corrupt-<ts>` and reported.
// Node-only (fs): main.ts wires it; the app never imports it.

import { open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { frozenJsonChunks, type FrozenSnapshot, type IntentStore } from './intent-store.ts';
import { SNAPSHOT_VERSION, type StoreSnapshot } from './snapshot-codec.ts';
import { SnapshotCorruptError } from '../../common/errors.ts';
import { writeAll } from './wal.ts';

export type LoadResult =
  | { status: 'missing' }
  | { status: 'loaded'; intents: number; walSeq?: number }
  | { status: 'corrupt'; error: SnapshotCorruptError; movedTo: string };

export interface SnapshotFile {
  load(): Promise<LoadResult>;
  /** Writes the store when it changed since the last save (or always with force); true when written. */
  save(force?: boolean): Promise<boolean>;
  /** Writes this snapshot (frozen by the caller at a chosen moment) atomically. */
  write(snap: FrozenSnapshot, walSeq?: number): Promise<void>;
}

/** Streams `snap` as JSON to an open file, one chunk of intents per write. */
async function writeSnapshot(fh: FileHandle, snap: FrozenSnapshot, walSeq?: number): Promise<void> {
  const head: Omit<StoreSnapshot, 'intents'> = { version: SNAPSHOT_VERSION, savedAt: snap.savedAt, ...(walSeq !== undefined ? { walSeq } : {}) };
  await writeAll(fh, Buffer.from(`${JSON.stringify(head).slice(0, -1)},"intents":[`));
  // One write per chunk: the event loop gets a turn between them, so health and ingest are not held.
  let first = true;
  for (const part of frozenJsonChunks(snap)) {
    await writeAll(fh, Buffer.from(first ? part : `,${part}`));
    first = false;
  }
  await writeAll(fh, Buffer.from(']}'));
}

/** A rename is durable once the directory entry is (POSIX: fsync the directory). */
async function syncDir(path: string): Promise<void> {
  const d = await open(dirname(path), 'r').catch(() => undefined);
  if (!d) return;
  try { await d.sync(); } catch { /* some filesystems refuse fsync on a directory */ } finally { await d.close(); }
}

export function createSnapshotFile(deps: { path: string; store: IntentStore; now?: () => Date }): SnapshotFile {
  const { path, store } = deps;
  const now = deps.now ?? (() => new Date());
  let savedRevision = -1;
  let saving: Promise<boolean> | undefined;

  async function writeAtomically(snap: FrozenSnapshot, walSeq?: number): Promise<void> {
    const tmp = `${path}.tmp-${process.pid}`;
    const fh = await open(tmp, 'w', 0o600);
    try {
      await writeSnapshot(fh, snap, walSeq);
      await fh.sync();
    } catch (err) {
      // A full disk: the partial copy must not keep the space the next attempt needs.
      await fh.close().catch(() => {});
      await rm(tmp, { force: true });
      throw new Error(`cannot write the snapshot ${path}: ${(err as Error).message}`, { cause: err });
    }
    await fh.close();
    try {
      await rename(tmp, path);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    await syncDir(path);
  }

  return {
    async load() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing' };
        throw err;
      }
      try {
        const data = JSON.parse(text) as { walSeq?: number };
        const intents = store.load(data);
        savedRevision = store.revision();
        return { status: 'loaded', intents, ...(data.walSeq !== undefined ? { walSeq: data.walSeq } : {}) };
      } catch (cause) {
        const movedTo = `${path}.corrupt-${now().toISOString().replace(/[:.]/g, '-')}`;
        await rename(path, movedTo);
        const error = new SnapshotCorruptError(path, `cannot load the store snapshot (${(cause as Error).message}); moved to ${movedTo}`, { cause });
        return { status: 'corrupt', error, movedTo };
      }
    },
    async save(force = false) {
      if (saving) await saving.catch(() => false);
      const rev = store.revision();
      if (!force && rev === savedRevision) return false;
      saving = writeAtomically(store.frozen()).then(() => { savedRevision = rev; return true; });
      try { return await saving; } finally { saving = undefined; }
    },
    async write(snap, walSeq) {
      if (saving) await saving.catch(() => false);
      const rev = store.revision();
      saving = writeAtomically(snap, walSeq).then(() => { savedRevision = rev; return true; });
      try { await saving; } finally { saving = undefined; }
    },
  };
}
