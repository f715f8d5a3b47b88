// The seam to the sniffer's one HTTP reporter (batching, retry with backoff, token re-read per attempt,
// bounded backlog with counted drops). The reporter is typed for connection records and the sniffer's
// own metrics today; this adapter hands it Kafka records and prom-client counters. When the reporter
// moves to sniffer/src/reporter.ts on the common metrics, only the import below changes.

import type { ConnectionRecord, KafkaRecord } from '../../controller/src/contract.ts';
import { createReporter } from '../src/report.ts';
import type { Logger } from '../src/log.ts';
import type { SnifferMetrics } from '../src/metrics.ts';
import type { WatcherMetrics } from './metrics.ts';

export interface KafkaReporter {
  enqueue(records: KafkaRecord[]): void;
  runForever(signal: AbortSignal): Promise<void>;
  drained(timeoutMs: number): Promise<boolean>;
  readonly backlog: number;
}

export interface KafkaReporterOptions {
  controllerUrl: string;
  node: string;
  tokenFile: string;
  backlogMax: number;
  metrics: WatcherMetrics;
  log: Logger;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

/** The reporter's metric calls (`inc(labels, n)`, `set(v)`) onto prom-client. */
function adapt(m: { inc(n?: number): void } | { set(v: number): void }) {
  return {
    inc: (_labels?: unknown, n = 1) => { if ('inc' in m) m.inc(n); },
    set: (v: number) => { if ('set' in m) m.set(v); },
    get: () => 0,
  };
}

export function createKafkaReporter(o: KafkaReporterOptions): KafkaReporter {
  const m = o.metrics;
  const metrics = {
    reportsSent: adapt(m.reportsSent), reportsFailed: adapt(m.reportsFailed), reportsRejected: adapt(m.reportsRejected),
    recordsSent: adapt(m.recordsSent), backlog: adapt(m.backlog), backlogDropped: adapt(m.backlogDropped),
  } as unknown as SnifferMetrics;
  const r = createReporter({
    controllerUrl: o.controllerUrl, node: o.node, tokenFile: o.tokenFile, backlogMax: o.backlogMax, metrics, log: o.log,
    ...(o.initialBackoffMs !== undefined ? { initialBackoffMs: o.initialBackoffMs } : {}),
    ...(o.maxBackoffMs !== undefined ? { maxBackoffMs: o.maxBackoffMs } : {}),
  });
  return {
    // The reporter only serialises what it is given; the record kind is the contract's KafkaRecord.
    enqueue: (records) => r.enqueue(records as unknown as ConnectionRecord[]),
    runForever: (signal) => r.runForever(signal),
    drained: (ms) => r.drained(ms),
    get backlog() { return r.backlog; },
  };
}
