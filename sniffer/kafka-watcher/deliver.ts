// The one HTTP reporter (sniffer/src/reporter.ts: batching, retry with backoff, token re-read per
// attempt, bounded backlog with counted drops) carrying Kafka records with the watcher's delivery
// counters. The reporter is typed for connection records; it only serialises what it is given.

import type { ConnectionRecord, KafkaRecord } from '../../controller/contract/schema.ts';
import type { Logger } from '../../controller/common/log.ts';
import { createReporter } from '../src/reporter.ts';
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

export function createKafkaReporter(o: KafkaReporterOptions): KafkaReporter {
  const { reportsSent, reportsFailed, reportsRejected, recordsSent, backlog, backlogDropped } = o.metrics;
  // The reporter touches only its delivery counters, which have the same shape here.
  const metrics = { reportsSent, reportsFailed, reportsRejected, recordsSent, backlog, backlogDropped } as unknown as SnifferMetrics;
  const r = createReporter({
    controllerUrl: o.controllerUrl, node: o.node, tokenFile: o.tokenFile, backlogMax: o.backlogMax, metrics, log: o.log,
    ...(o.initialBackoffMs !== undefined ? { initialBackoffMs: o.initialBackoffMs } : {}),
    ...(o.maxBackoffMs !== undefined ? { maxBackoffMs: o.maxBackoffMs } : {}),
  });
  return {
    enqueue: (records) => r.enqueue(records as unknown as ConnectionRecord[]),
    runForever: (signal) => r.runForever(signal),
    drained: (ms) => r.drained(ms),
    get backlog() { return r.backlog; },
  };
}
