// The one pipeline behind a live node and replay: decoded records → observations → per-interval
// aggregation → closed intervals (reports.ts cuts them into reports). Only the clock differs: live
// closes intervals on the wall clock, replay on capture time.

import type { ConnectionRecord } from '../../controller/contract/schema.ts';
import type { DecodedRecord } from '../../parser-wasm/src/records.ts';
import { createIntervalAggregator, type IntervalEntries } from './aggregate.ts';
import { observe, observeRaw, type Observation, type ObservationFilter, type RawTally } from './observation.ts';
import type { RawOutput } from '../../parser-wasm/src/read-back.ts';
import type { SnifferMetrics } from './metrics.ts';

export interface ClosedInterval {
  /** Epoch seconds at which the interval ended. */
  endTs: number;
  records: ConnectionRecord[];
}

export interface Pipeline {
  addRecords(records: DecodedRecord[]): void;
  /** Records `from` to `to` (default: all) of one decoder call's output, read in place. */
  addRaw(out: RawOutput, from?: number, to?: number): void;
  addObservations(obs: Observation[]): void;
  closeBefore(ts: number): ClosedInterval[];
  closeAll(): ClosedInterval[];
  readonly held: number;
}

/** `build`: what an interval closes into (default: the wire's records; replay: TimedRecords for its ingest). */
export function createPipeline(opts: { intervalMs: number; filter: ObservationFilter; metrics?: SnifferMetrics; build?: (entries: IntervalEntries) => ConnectionRecord[] }): Pipeline {
  const agg = opts.build ? createIntervalAggregator(opts.intervalMs, opts.build) : createIntervalAggregator(opts.intervalMs);
  const m = opts.metrics;
  const scratch: Observation[] = [];
  // Per-frame tallies are plain numbers, copied into the registry only when /metrics is read.
  const decoded = { dns: 0, syn: 0, synack: 0 };
  const observed = { dns: 0, tcp: 0, socket: 0 };
  const raw: RawTally = { dns: 0, syn: 0, synack: 0, observedDns: 0, observedTcp: 0 };
  m?.registry.onCollect(() => {
    for (const [kind, n] of Object.entries(decoded)) m.decoded.set(n + raw[kind as keyof typeof decoded], { kind });
    for (const [source, n] of Object.entries(observed)) m.observations.set(n + (source === 'dns' ? raw.observedDns : source === 'tcp' ? raw.observedTcp : 0), { source });
  });
  const count = (closed: ClosedInterval[]) => {
    if (m) for (const c of closed) for (const r of c.records) m.records.inc({ source: r.source });
    return closed;
  };
  return {
    addRecords(records) {
      for (const r of records) {
        decoded[r.kind]++;
        scratch.length = 0;
        observe(r, opts.filter, scratch);
        for (const o of scratch) { agg.add(o); observed[o.source]++; }
      }
    },
    addRaw(out, from = 0, to = out.count) {
      for (let i = from; i < to; i++) observeRaw(out, i, opts.filter, agg, raw);
    },
    addObservations(obs) {
      for (const o of obs) { agg.add(o); observed[o.source]++; }
    },
    closeBefore: (ts) => count(agg.closeBefore(ts)),
    closeAll: () => count(agg.closeAll()),
    get held() {
      return agg.size;
    },
  };
}
