// Persists the intent store to one JSON file: written atomically (temp file, fsync, rename) and read
// back at start. A file that cannot be read back is renamed `<file>.corrupt-<ts>` and reported.
// Node-only (fs): main.ts wires it; the app never imports it.

import { open, readFile, rename, rm } from 'node:fs/promises';
import type { IntentStore } from './intent-store.ts';
import { SnapshotCorruptError } from '../../common/errors.ts';

export type LoadResult =
  | { status: 'missing' }
  | { status: 'loaded'; intents: number }
  | { status: 'corrupt'; error: SnapshotCorruptError; movedTo: string };

export interface SnapshotFile {
  load(): Promise<LoadResult>;
  /** Writes the store when it changed since the last save (or always with force); true when written. */
  save(force?: boolean): Promise<boolean>;
}

export function createSnapshotFile(deps: { path: string; store: IntentStore; now?: () => Date }): SnapshotFile {
  const { path, store } = deps;
  const now = deps.now ?? (() => new Date());
  let savedRevision = -1;
  let saving: Promise<boolean> | undefined;

  async function writeAtomically(text: string): Promise<void> {
    const tmp = `${path}.tmp-${process.pid}`;
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await rename(tmp, path);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
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
        const intents = store.load(JSON.parse(text));
        savedRevision = store.revision();
        return { status: 'loaded', intents };
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
      saving = writeAtomically(JSON.stringify(store.snapshot())).then(() => { savedRevision = rev; return true; });
      try { return await saving; } finally { saving = undefined; }
    },
  };
}
