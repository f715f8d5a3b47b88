// Replay: capture files through the same pipeline as a live node. Several captures (say, one per
// node's interface) are merged in time order, cut into capture-time intervals aligned as the live
// ticker aligns them, and yielded as the Reports a live node would have POSTed for that traffic.
// Used by `netmapper replay`.

import type { Report } from '../../controller/contract/schema.ts';
import { scanCapture, type CaptureProgress } from '../../parser-wasm/src/index.ts';
import type { CaptureChunk } from '../../parser-wasm/src/capture-file.ts';
import type { RawOutput } from '../../parser-wasm/src/read-back.ts';
import { REC_SIZE, REC_TS } from '../../parser-wasm/src/layout.ts';
import type { IntervalEntries } from './aggregate.ts';
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
  /** Records as TimedRecords (epoch-ms times, no ISO text made), for an ingest in the same process;
   *  such reports are not for JSON (default: the wire's records). */
  timedRecords?: boolean;
}

interface Head {
  it: AsyncGenerator<CaptureChunk, unknown>;
  out: RawOutput;
  at: number;
}

/** The next decoder call's records of a capture, in place; undefined at its end. */
async function nextOutput(it: AsyncGenerator<CaptureChunk, unknown>): Promise<RawOutput | undefined> {
  for (;;) {
    const step = await it.next();
    if (step.done) return undefined;
    if (step.value.raw && step.value.raw.count > 0) return step.value.raw;
  }
}

const tsAt = (out: RawOutput, i: number): number => out.dv.getFloat64(out.records + i * REC_SIZE + REC_TS, true);

/**
 * Yields one Report per non-empty interval (split at 5000 records, as the live reporter splits),
 * `sentAt` = the interval's end in capture time. Several captures are merged by record time (ties
 * keep capture order, so the output is deterministic). Records are read where the decoder wrote
 * them, one synchronous loop per decoded chunk: the only awaits are for the next chunk, and for the
 * consumer of each report as soon as its interval closes (holding a chunk's reports instead, a
 * cluster's capture took 10 MB more RSS).
 * @example for await (const r of replayReports(['node-a.pcapng'], { node: 'node-a' })) post(r);
 */
export async function* replayReports(captures: string[], opts: ReplayOptions = {}): AsyncGenerator<Report> {
  const intervalSeconds = opts.intervalSeconds ?? 1;
  if (!(intervalSeconds > 0)) throw new RangeError(`intervalSeconds must be positive, got ${intervalSeconds}`);
  const node = opts.node ?? 'replay';
  const pipeline = createPipeline({
    intervalMs: intervalSeconds * 1000, filter: { dns: opts.dns ?? true, tcp: opts.tcp ?? true },
    ...(opts.timedRecords ? { build: (entries: IntervalEntries) => entries.timedRecords() } : {}),
  });
  const its = captures.map((path) => scanCapture(path, { raw: true, ...(opts.onProgress ? { onProgress: (p: CaptureProgress) => opts.onProgress!(path, p) } : {}) }));
  try {
    const heads: Head[] = [];
    for (const it of its) {
      const out = await nextOutput(it);
      if (out) heads.push({ it, out, at: 0 });
    }
    let open = -Infinity; // the interval of the last record: a later one closes everything before it
    while (heads.length) {
      // One capture left: its records are in order, the whole chunk is taken; else the earliest head's next record.
      let min = 0;
      for (let k = 1; k < heads.length; k++) if (tsAt(heads[k]!.out, heads[k]!.at) < tsAt(heads[min]!.out, heads[min]!.at)) min = k;
      const h = heads[min]!;
      const end = heads.length === 1 ? h.out.count : h.at + 1;
      while (h.at < end) {
        // The records up to the first of a later interval are added in one call; that record's interval
        // then closes everything before it (it has ended in capture time).
        let to = h.at, interval = open;
        while (to < end && !((interval = Math.floor(tsAt(h.out, to) / intervalSeconds)) > open)) to++;
        pipeline.addRaw(h.out, h.at, Math.min(to + 1, end));
        h.at = Math.min(to + 1, end);
        if (to === end) break;
        open = interval;
        const closed = pipeline.closeBefore(interval * intervalSeconds);
        if (closed.length) yield* intervalReports(closed, node);
      }
      if (h.at === h.out.count) {
        const out = await nextOutput(h.it);
        if (out) { h.out = out; h.at = 0; } else heads.splice(min, 1);
      }
    }
    yield* intervalReports(pipeline.closeAll(), node);
  } finally {
    for (const it of its) await (it as AsyncGenerator<CaptureChunk, unknown>).return(undefined);
  }
}
