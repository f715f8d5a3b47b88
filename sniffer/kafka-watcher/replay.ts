// Offline: authorizer log files → the Kafka records the watcher would have reported, with each
// access at its logged time (log4j's `[%d]`, read as UTC), so replay can resolve clients by IP at
// that time. The same parser, counters and dedupe as the live watcher.

import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { KafkaRecord } from '../../controller/contract/schema.ts';
import { createAccessTable, type Broker } from './accesses.ts';
import { MAX_LINE } from './authorizer-line.ts';
import { parseBrokerName } from './broker-targets.ts';
import { createLineSplitter } from './line-splitter.ts';
import { createWatcherMetrics } from './metrics.ts';

export interface KafkaLogInput { broker: Broker; file: string }

/** `kafka-0.kafka=/path/authz.log` → broker and file. */
export function parseKafkaLogSpec(spec: string): KafkaLogInput {
  const eq = spec.indexOf('=');
  if (eq <= 0 || eq === spec.length - 1) throw new Error(`--kafka-log ${JSON.stringify(spec)}: expected <pod>.<namespace>=FILE, e.g. kafka-0.kafka=authorizer.log`);
  return { broker: parseBrokerName(spec.slice(0, eq)), file: spec.slice(eq + 1) };
}

export interface KafkaLogReplay {
  records: KafkaRecord[];
  lines: number;
  matched: number;
  /** reason → lines skipped. */
  skipped: Record<string, number>;
}

export async function replayKafkaLogs(inputs: readonly KafkaLogInput[]): Promise<KafkaLogReplay> {
  const metrics = createWatcherMetrics();
  const table = createAccessTable({ metrics, timeSource: 'logged' });
  for (const { broker, file } of inputs) {
    const splitter = createLineSplitter((line, truncated) => table.line(broker, line, undefined, truncated), MAX_LINE);
    await pipeline(createReadStream(file), splitter);
    splitter.flushPartial();
  }
  const sum = async (name: string) => (await metrics.registry.registry.getSingleMetric(name)!.get()).values;
  const skipped: Record<string, number> = {};
  for (const v of await sum('netmapper_kafka_watcher_lines_skipped_total')) skipped[String(v.labels.reason)] = (skipped[String(v.labels.reason)] ?? 0) + v.value;
  const total = async (name: string) => (await sum(name)).reduce((a, v) => a + v.value, 0);
  return { records: table.take(), lines: await total('netmapper_kafka_watcher_lines_read_total'), matched: await total('netmapper_kafka_watcher_lines_matched_total'), skipped };
}
