// A write-ahead log segment: records (one-line JSON) appended to one file, made durable by group
// commit: every record appended while one write+fdatasync runs goes out in the next one, as ONE
// length- and CRC-framed block of newline-separated records, so N concurrent reports cost one
// fsync, and a block is either whole or torn (a torn block was never acknowledged). Reading stops at the first frame that is short or
// fails its CRC — a torn tail left by a crash mid-write — and reports how many bytes it dropped.
// Node-only (fs); main.ts wires it through durable-store.ts.

import { open } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';

/** Frame: u32 LE payload length, u32 LE CRC-32 of the payload, payload (UTF-8 JSON). */
export const FRAME_HEADER = 8;
/** A frame claiming more than this is damage, not data (a report's records are far smaller). */
export const MAX_FRAME = 64 * 1024 * 1024;

export function encodeFrame(payload: string): Buffer {
  const body = Buffer.from(payload, 'utf8');
  const frame = Buffer.allocUnsafe(FRAME_HEADER + body.length);
  frame.writeUInt32LE(body.length, 0);
  frame.writeUInt32LE(crc32(body), 4);
  body.copy(frame, FRAME_HEADER);
  return frame;
}

export interface SegmentRead {
  /** Records of the whole, intact frames, in order. */
  records: string[];
  /** Bytes of intact frames: the length the file is truncated to when `tornBytes > 0`. */
  validBytes: number;
  /** Bytes after the last intact frame (0 for a clean file). */
  tornBytes: number;
}

/** Reads a segment's bytes; never throws on damage (it is counted in `tornBytes`). */
export function decodeSegment(buf: Buffer): SegmentRead {
  const records: string[] = [];
  let p = 0;
  while (p + FRAME_HEADER <= buf.length) {
    const len = buf.readUInt32LE(p);
    if (len > MAX_FRAME || p + FRAME_HEADER + len > buf.length) break;
    const body = buf.subarray(p + FRAME_HEADER, p + FRAME_HEADER + len);
    if (crc32(body) !== buf.readUInt32LE(p + 4)) break;
    for (const rec of body.toString('utf8').split('\n')) records.push(rec);
    p += FRAME_HEADER + len;
  }
  return { records, validBytes: p, tornBytes: buf.length - p };
}

export function readSegment(path: string): SegmentRead {
  return decodeSegment(readFileSync(path));
}

/** The file operations a segment uses (a FileHandle has them; a test injects failing ones). */
export interface SegmentFile {
  write(buf: Buffer, offset: number, length: number): Promise<{ bytesWritten: number }>;
  datasync(): Promise<void>;
  stat(): Promise<{ size: number }>;
  close(): Promise<void>;
}
export type OpenSegmentFile = (path: string) => Promise<SegmentFile>;
const openAppend: OpenSegmentFile = (path) => open(path, 'a', 0o600);

/** Writes all of `buf`: write(2) may write part of it (a filling disk writes what fits, then fails). */
export async function writeAll(fh: Pick<SegmentFile, 'write'>, buf: Buffer): Promise<void> {
  let off = 0;
  while (off < buf.length) {
    const { bytesWritten } = await fh.write(buf, off, buf.length - off);
    if (bytesWritten <= 0) throw new Error(`short write: ${off} of ${buf.length} bytes`);
    off += bytesWritten;
  }
}

export interface Segment {
  readonly path: string;
  /** The write error that ended this segment (nothing is written after it), if any. */
  readonly error: Error | undefined;
  /** Bytes appended (written or pending). */
  readonly bytes: number;
  /** Queues one record (JSON on one line); it is durable once a later `sync()` resolves. */
  append(payload: string): void;
  /** Resolves when every record appended before the call is on disk (written and fdatasync'd). */
  sync(): Promise<void>;
  /** Flushes what is pending and closes the file. */
  close(): Promise<void>;
}

/**
 * Opens (creating or appending to) a segment file.
 * @example const seg = await openSegment('/var/lib/netmapper/store.json.wal.3'); seg.append('{"a":1}'); await seg.sync();
 */
export async function openSegment(path: string, opts: { onFsync?: (ms: number, records: number) => void; openFile?: OpenSegmentFile } = {}): Promise<Segment> {
  const fh = await (opts.openFile ?? openAppend)(path);
  let pending: string[] = [];
  let bytes = (await fh.stat()).size;
  let appended = 0;        // records appended so far
  let durable = 0;         // records known to be on disk
  let failure: Error | undefined;
  let flushing: Promise<void> | undefined;
  const waiters: Array<{ upTo: number; resolve: () => void; reject: (e: Error) => void }> = [];

  function settle() {
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i]!;
      if (failure) { waiters.splice(i, 1); w.reject(failure); } else if (w.upTo <= durable) { waiters.splice(i, 1); w.resolve(); }
    }
  }

  async function flushLoop(): Promise<void> {
    while (pending.length && !failure) {
      const batch = pending;
      const upTo = appended;
      pending = [];
      const t0 = performance.now();
      try {
        await writeAll(fh, encodeFrame(batch.join('\n')));
        await fh.datasync();
      } catch (err) {
        failure = new Error(`write-ahead log ${path}: ${(err as Error).message}`, { cause: err });
        break;
      }
      opts.onFsync?.(performance.now() - t0, upTo - durable);
      durable = upTo;
      settle();
    }
    settle();
    flushing = undefined;
  }

  const segment: Segment = {
    path,
    get bytes() { return bytes; },
    get error() { return failure; },
    append(payload) {
      if (failure) throw failure;
      pending.push(payload);
      bytes += payload.length + 1;   // close enough for the compaction trigger (UTF-16 units)
      appended++;
    },
    sync() {
      if (failure) return Promise.reject(failure);
      if (durable >= appended) return Promise.resolve();
      const p = new Promise<void>((resolve, reject) => waiters.push({ upTo: appended, resolve, reject }));
      flushing ??= flushLoop();
      return p;
    },
    async close() {
      try {
        if (pending.length) await segment.sync();
        await flushing;
      } finally {
        await fh.close();
      }
    },
  };
  return segment;
}
