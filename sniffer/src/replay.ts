// Replay: capture files through the same pipeline as a live node. Several captures (say, one per
// node's interface) are merged in time order, cut into capture-time intervals aligned as the live
// ticker aligns them, and yielded as the Reports a live node would have POSTed for that traffic.
// Used by `netmapper replay`.

import type { Report } from '../../controller/contract/schema.ts';
import { scanCapture, type CaptureProgress, type DecodedRecord } from '../../parser-wasm/src/index.ts';
import { createPipeline } from './pipeline.ts';
import { intervalReports } from './reports.ts';

export interface ReplayOptions {
  /** The reports' `node` (default 'replay'). */
  node?: string;
  /** Interval length, seconds (default 1, the sniffer's default --report-interval). */
  intervalSeconds?: number;
  /** Which record kinds to report, as --enable-dns / --enable-tcp (default both). */
  dns?: boolean;
  tcp?: boolean;
  onProgress?: (capture: string, p: CaptureProgress) => void;
}

interface Head {
  it: AsyncIterator<DecodedRecord[]>;
  chunk: DecodedRecord[];
  at: number;
}

/** The records of one capture, a decoded chunk at a time. */
async function* chunksOf(path: string, onProgress?: (p: CaptureProgress) => void): AsyncGenerator<DecodedRecord[]> {
  const it = scanCapture(path, onProgress ? { onProgress } : {});
  for (let step = await it.next(); !step.done; step = await it.next()) yield step.value.records;
}

/**
 * K-way merge by record time; ties keep capture order, so the output is deterministic. Yields runs
 * of records in merged order: one await per decoded chunk, none per record.
 */
async function* mergeByTime(sources: AsyncIterator<DecodedRecord[]>[]): AsyncGenerator<DecodedRecord[]> {
  const heads: Head[] = [];
  const refill = async (h: Head): Promise<boolean> => {
    for (;;) {
      const next = await h.it.next();
      if (next.done) return false;
      if (next.value.length > 0) { h.chunk = next.value; h.at = 0; return true; }
    }
  };
  for (const it of sources) {
    const h: Head = { it, chunk: [], at: 0 };
    if (await refill(h)) heads.push(h);
  }
  while (heads.length) {
    if (heads.length === 1) {
      // One capture left: its chunks are already in time order.
      const h = heads[0]!;
      yield h.at === 0 ? h.chunk : h.chunk.slice(h.at);
      if (!(await refill(h))) heads.length = 0;
      continue;
    }
    const run: DecodedRecord[] = [];
    let min = 0;
    for (;;) {
      min = 0;
      for (let i = 1; i < heads.length; i++) if (heads[i]!.chunk[heads[i]!.at]!.ts < heads[min]!.chunk[heads[min]!.at]!.ts) min = i;
      const h = heads[min]!;
      run.push(h.chunk[h.at++]!);
      if (h.at === h.chunk.length) break; // its next record is not known yet
    }
    yield run;
    if (!(await refill(heads[min]!))) heads.splice(min, 1);
  }
}

/**
 * Yields one Report per non-empty interval (split at 5000 records, as the live reporter splits),
 * `sentAt` = the interval's end in capture time.
 * @example for await (const r of replayReports(['node-a.pcapng'], { node: 'node-a' })) post(r);
 */
export async function* replayReports(captures: string[], opts: ReplayOptions = {}): AsyncGenerator<Report> {
  const intervalSeconds = opts.intervalSeconds ?? 1;
  if (!(intervalSeconds > 0)) throw new RangeError(`intervalSeconds must be positive, got ${intervalSeconds}`);
  const node = opts.node ?? 'replay';
  const pipeline = createPipeline({ intervalMs: intervalSeconds * 1000, filter: { dns: opts.dns ?? true, tcp: opts.tcp ?? true } });
  const sources = captures.map((path) => chunksOf(path, opts.onProgress ? (p) => opts.onProgress!(path, p) : undefined));
  const one: DecodedRecord[] = [];
  let open = -Infinity; // the interval of the last record: a later one closes everything before it
  for await (const run of mergeByTime(sources)) {
    for (const rec of run) {
      one[0] = rec;
      pipeline.addRecords(one);
      // Everything before this record's interval has ended in capture time.
      const interval = Math.floor(rec.ts / intervalSeconds);
      if (interval > open) {
        open = interval;
        yield* intervalReports(pipeline.closeBefore(interval * intervalSeconds), node);
      }
    }
  }
  yield* intervalReports(pipeline.closeAll(), node);
}
