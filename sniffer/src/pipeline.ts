// The one pipeline behind a live node and replay: decoded records → observations → per-interval
// aggregation → closed intervals, cut into reports of a bounded size. Only the clock differs: live
// closes intervals on the wall clock, replay on capture time.

import type { ConnectionRecord } from '../../controller/src/contract.ts';
import type { DecodedRecord } from '../../parser-wasm/src/records.ts';
import { createIntervalAggregator } from './aggregate.ts';
import { observe, type Observation, type ObservationFilter } from './observation.ts';
import type { SnifferMetrics } from './metrics.ts';

/** Records per POST: an interval with more is sent as several reports. */
export const MAX_RECORDS_PER_REPORT = 5000;

export interface ClosedInterval {
  /** Epoch seconds at which the interval ended. */
  endTs: number;
  records: ConnectionRecord[];
}

export interface Pipeline {
  addRecords(records: DecodedRecord[]): void;
  addObservations(obs: Observation[]): void;
  closeBefore(ts: number): ClosedInterval[];
  closeAll(): ClosedInterval[];
  readonly held: number;
}

export function createPipeline(opts: { intervalMs: number; filter: ObservationFilter; metrics?: SnifferMetrics }): Pipeline {
  const agg = createIntervalAggregator(opts.intervalMs);
  const m = opts.metrics;
  const scratch: Observation[] = [];
  const count = (closed: ClosedInterval[]) => {
    if (m) for (const c of closed) for (const r of c.records) m.records.inc({ source: r.source });
    return closed;
  };
  return {
    addRecords(records) {
      for (const r of records) {
        m?.decoded.inc({ kind: r.kind });
        scratch.length = 0;
        observe(r, opts.filter, scratch);
        for (const o of scratch) { agg.add(o); m?.observations.inc({ source: o.source }); }
      }
    },
    addObservations(obs) {
      for (const o of obs) { agg.add(o); m?.observations.inc({ source: o.source }); }
    },
    closeBefore: (ts) => count(agg.closeBefore(ts)),
    closeAll: () => count(agg.closeAll()),
    get held() {
      return agg.size;
    },
  };
}

/** Splits one interval's records into report-sized pieces, as both the reporter and replay send them. */
export function splitRecords(records: ConnectionRecord[], max = MAX_RECORDS_PER_REPORT): ConnectionRecord[][] {
  const out: ConnectionRecord[][] = [];
  for (let i = 0; i < records.length; i += max) out.push(records.slice(i, i + max));
  return out;
}
