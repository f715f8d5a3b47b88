// Replay: capture files through the same pipeline as a live node. Several captures (say, one per
// node's interface) are merged in time order, cut into capture-time intervals aligned as the live
// ticker aligns them, and yielded as the Reports a live node would have POSTed for that traffic.
// Used by `netmapper replay`.

import type { Report } from '../../controller/contract/schema.ts';
import { readCaptureRecords, type CaptureProgress, type DecodedRecord } from '../../parser-wasm/src/index.ts';
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
  it: AsyncIterator<DecodedRecord>;
  rec: DecodedRecord;
}

/** K-way merge by record time; ties keep capture order, so the output is deterministic. */
async function* mergeByTime(sources: AsyncIterable<DecodedRecord>[]): AsyncGenerator<DecodedRecord> {
  const heads: Head[] = [];
  for (const s of sources) {
    const it = s[Symbol.asyncIterator]();
    const first = await it.next();
    if (!first.done) heads.push({ it, rec: first.value });
  }
  while (heads.length) {
    let min = 0;
    for (let i = 1; i < heads.length; i++) if (heads[i]!.rec.ts < heads[min]!.rec.ts) min = i;
    const h = heads[min]!;
    yield h.rec;
    const next = await h.it.next();
    if (next.done) heads.splice(min, 1);
    else h.rec = next.value;
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
  const sources = captures.map((path) => readCaptureRecords(path, opts.onProgress ? { onProgress: (p) => opts.onProgress!(path, p) } : {}));
  const batch: DecodedRecord[] = [];
  for await (const rec of mergeByTime(sources)) {
    batch[0] = rec;
    pipeline.addRecords(batch);
    // Everything before this record's interval has ended in capture time.
    yield* intervalReports(pipeline.closeBefore(Math.floor(rec.ts / intervalSeconds) * intervalSeconds), node);
  }
  yield* intervalReports(pipeline.closeAll(), node);
}
