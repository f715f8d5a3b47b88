// The Kafka watcher's Prometheus metrics (prom-client), one place for every name. Per broker
// (`broker` = `namespace/pod`): lines read, matched, skipped by reason, records reported and dropped.
// Delivery counters mirror the sniffer's, since the same reporter sends the records.

import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export function createWatcherMetrics(registry = new Registry(), opts: { processMetrics?: boolean } = {}) {
  if (opts.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Counter<L>({ name, help, labelNames, registers: [registry] });
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Gauge<L>({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    linesRead: counter('netmapper_kafka_watcher_lines_read_total', 'Log lines read, per broker.', ['broker']),
    linesMatched: counter('netmapper_kafka_watcher_lines_matched_total', 'Authorizer lines that named a topic access, per broker.', ['broker']),
    linesSkipped: counter('netmapper_kafka_watcher_lines_skipped_total', 'Lines skipped, per broker and reason.', ['broker', 'reason']),
    linesDuplicate: counter('netmapper_kafka_watcher_lines_duplicate_total', 'Lines seen again after a reconnect (sinceTime overlap) and not counted twice, per broker.', ['broker']),
    recordsReported: counter('netmapper_kafka_watcher_records_reported_total', 'Deduplicated records handed to the reporter, per broker.', ['broker']),
    recordsDropped: counter('netmapper_kafka_watcher_records_dropped_total', 'Records dropped before reporting, per broker and reason.', ['broker', 'reason']),
    brokers: gauge('netmapper_kafka_watcher_brokers', 'Broker pods being watched.'),
    streamsOpen: gauge('netmapper_kafka_watcher_streams_open', 'Log streams (or tailed files) open, per broker.', ['broker']),
    reconnects: counter('netmapper_kafka_watcher_stream_reconnects_total', 'Log streams reopened after an end or an error, per broker.', ['broker']),
    streamErrors: counter('netmapper_kafka_watcher_stream_errors_total', 'Log stream requests that failed, per broker.', ['broker']),
    // Delivery (the reporter): not per broker, since one report carries every broker's records.
    reportsSent: counter('netmapper_kafka_watcher_reports_sent_total', 'Reports the controller accepted.'),
    reportsFailed: counter('netmapper_kafka_watcher_reports_failed_total', 'Report attempts that failed, including retries.'),
    reportsRejected: counter('netmapper_kafka_watcher_reports_rejected_total', 'Reports the controller rejected as invalid (dropped).'),
    recordsSent: counter('netmapper_kafka_watcher_records_sent_total', 'Records delivered to the controller.'),
    backlog: gauge('netmapper_kafka_watcher_backlog_records', 'Records waiting to be delivered.'),
    backlogDropped: counter('netmapper_kafka_watcher_backlog_dropped_records_total', 'Records dropped (oldest first) because the backlog was full.'),
  };
}

export type WatcherMetrics = ReturnType<typeof createWatcherMetrics>;
