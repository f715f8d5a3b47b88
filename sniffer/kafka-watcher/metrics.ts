// The Kafka watcher's metric names, one place for every name, on the one registry
// (controller/common/metrics.ts). Per broker (`broker` = `namespace/pod`): lines read, matched, skipped
// by reason, records reported and dropped. The delivery counters have the reporter's names.

import { createMetrics, type Metrics } from '../../controller/common/metrics.ts';

export function createWatcherMetrics(m: Metrics = createMetrics()) {
  return {
    registry: m,
    linesRead: m.counter('netmapper_kafka_watcher_lines_read_total', 'Log lines read, per broker.'),
    linesMatched: m.counter('netmapper_kafka_watcher_lines_matched_total', 'Authorizer lines that named a topic access, per broker.'),
    linesSkipped: m.counter('netmapper_kafka_watcher_lines_skipped_total', 'Lines skipped, per broker and reason.'),
    recordsReported: m.counter('netmapper_kafka_watcher_records_reported_total', 'Deduplicated records handed to the reporter, per broker.'),
    recordsDropped: m.counter('netmapper_kafka_watcher_records_dropped_total', 'Records dropped before reporting, per broker and reason.'),
    brokers: m.gauge('netmapper_kafka_watcher_brokers', 'Broker pods being watched.'),
    streamsOpen: m.gauge('netmapper_kafka_watcher_streams_open', 'Log streams (or tailed files) open, per broker.'),
    reconnects: m.counter('netmapper_kafka_watcher_stream_reconnects_total', 'Log streams reopened after an end or an error, per broker.'),
    streamErrors: m.counter('netmapper_kafka_watcher_stream_errors_total', 'Log stream requests that failed, per broker.'),
    // Delivery (the one reporter): not per broker, since one report carries every broker's records.
    reportsSent: m.counter('netmapper_kafka_watcher_reports_sent_total', 'Reports the controller accepted.'),
    reportsFailed: m.counter('netmapper_kafka_watcher_reports_failed_total', 'Report attempts that failed, including retries.'),
    reportsRejected: m.counter('netmapper_kafka_watcher_reports_rejected_total', 'Reports the controller rejected as invalid (dropped).'),
    recordsSent: m.counter('netmapper_kafka_watcher_records_sent_total', 'Records delivered to the controller.'),
    backlog: m.gauge('netmapper_kafka_watcher_backlog_records', 'Records waiting to be delivered.'),
    backlogDropped: m.counter('netmapper_kafka_watcher_backlog_dropped_records_total', 'Records dropped (oldest first) because the backlog was full.'),
  };
}

export type WatcherMetrics = ReturnType<typeof createWatcherMetrics>;
