// The sidecar mode: follows an authorizer log file the broker writes to a shared volume, by polling
// (inotify does not cross every volume type). Starts at the end (or the start), reads what is
// appended, and notices rotation (the path now names another file: the old one is read to its end,
// then the new one from its start) and truncation (the file shrank: read again from its start).
// A file that does not exist yet is waited for.

import { open, stat, type FileHandle } from 'node:fs/promises';
import { createLineSplitter } from './line-splitter.ts';
import { MAX_LINE } from './authorizer-line.ts';
import { abortableSleep } from './pod-log-follower.ts';

export interface TailOptions {
  path: string;
  /** `end` (default): only lines written from now on; `start`: the whole file first. */
  from?: 'start' | 'end';
  pollMs?: number;
  onLine(line: string, truncated: boolean): void;
  onEvent?(event: 'opened' | 'rotated' | 'truncated' | 'missing', detail?: string): void;
}

const CHUNK = 64 * 1024;

export async function tailFile(o: TailOptions, signal: AbortSignal): Promise<void> {
  const pollMs = o.pollMs ?? 250;
  const buf = Buffer.allocUnsafe(CHUNK);
  let fh: FileHandle | undefined;
  let ino = -1;
  let pos = 0;
  let first = true;
  let missingSaid = false;
  let splitter = createLineSplitter(o.onLine, MAX_LINE);

  /** Reads from `pos` to the current end of the open file. */
  async function drain(): Promise<void> {
    while (fh) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK, pos);
      if (bytesRead === 0) return;
      pos += bytesRead;
      splitter.write(Buffer.from(buf.subarray(0, bytesRead)));
    }
  }
  async function closeCurrent(): Promise<void> {
    await drain();
    splitter.flushPartial();   // the old file's last line, even without its newline
    await fh?.close();
    fh = undefined;
    splitter = createLineSplitter(o.onLine, MAX_LINE);
  }

  try {
    while (!signal.aborted) {
      const st = await stat(o.path).catch(() => undefined);
      if (!st) {
        if (!missingSaid) { o.onEvent?.('missing', o.path); missingSaid = true; }
      } else if (st.ino !== ino) {
        if (fh) { await closeCurrent(); o.onEvent?.('rotated', o.path); }
        fh = await open(o.path, 'r').catch(() => undefined);
        if (fh) {
          ino = st.ino;
          missingSaid = false;
          pos = first && (o.from ?? 'end') === 'end' ? st.size : 0;
          first = false;
          o.onEvent?.('opened', o.path);
        }
      } else if (fh && st.size < pos) {
        pos = 0;
        splitter = createLineSplitter(o.onLine, MAX_LINE);   // a half line from before the truncation is gone
        o.onEvent?.('truncated', o.path);
      }
      if (fh) await drain();
      await abortableSleep(pollMs, signal);
    }
  } finally {
    await fh?.close().catch(() => {});
  }
}
