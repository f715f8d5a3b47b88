// The sniffer's metric names, one place for every name, on the one registry (controller/common/metrics.ts).

import { createMetrics, type Metrics } from '../../controller/common/metrics.ts';

export type { Metrics } from '../../controller/common/metrics.ts';

/** The sniffer's metrics, one place for every name. */
export function createSnifferMetrics(m: Metrics = createMetrics()) {
  return {
    registry: m,
    frames: m.counter('netmapper_sniffer_frames_total', 'Frames captured by libpcap and handed to the decoder.'),
    captureDropped: m.counter('netmapper_sniffer_capture_dropped_total', "Frames the kernel dropped before libpcap read them (ring full), from the packet socket's PACKET_STATISTICS, by device."),
    captureDropCounting: m.gauge('netmapper_sniffer_capture_drop_counting', '1 when capture drops are counted (the packet-stats addon loaded), 0 when not.'),
    captureLargestReadFrames: m.gauge('netmapper_sniffer_capture_largest_read_frames', 'Frames read from the capture rings in one wake-up (the backlog found plus what arrived while it was drained), the largest since the last scrape: an upper bound on what the rings had to hold.'),
    captureLargestReadBytes: m.gauge('netmapper_sniffer_capture_largest_read_bytes', 'Captured bytes of those frames (the ring also holds about 100 bytes of header per frame); compare with --capture-buffer.'),
    framesTruncated: m.counter('netmapper_sniffer_frames_truncated_total', 'Frames longer than the capture buffer, decoded truncated.'),
    decoded: m.counter('netmapper_sniffer_decoded_records_total', 'Records decoded from frames, by kind (dns, syn, synack).'),
    decodeSkipped: m.counter('netmapper_sniffer_decode_skipped_total', 'Frames the decoder skipped, by reason.'),
    observations: m.counter('netmapper_sniffer_observations_total', 'Connections observed before aggregation, by source (dns, tcp, socket).'),
    records: m.counter('netmapper_sniffer_records_total', 'Aggregated connection records queued for the controller, by source.'),
    reportsSent: m.counter('netmapper_sniffer_reports_sent_total', 'Reports the controller accepted.'),
    reportsFailed: m.counter('netmapper_sniffer_reports_failed_total', 'Report attempts that failed (network error or HTTP error), including retries.'),
    reportsRejected: m.counter('netmapper_sniffer_reports_rejected_total', 'Reports dropped because the controller rejected them as invalid (HTTP 4xx other than 401/403/408/429).'),
    recordsRejected: m.counter('netmapper_sniffer_records_rejected_total', 'Records dropped because the controller refused the smallest report holding them, by reason (its error code, or http-<status>).'),
    recordsSent: m.counter('netmapper_sniffer_records_sent_total', 'Connection records delivered to the controller.'),
    backlog: m.gauge('netmapper_sniffer_backlog_records', 'Records waiting to be delivered.'),
    backlogDropped: m.counter('netmapper_sniffer_backlog_dropped_records_total', 'Records dropped (oldest first) because the backlog was full.'),
    socketScans: m.counter('netmapper_sniffer_socket_scans_total', 'Socket scans run.'),
    socketScanNamespaces: m.gauge('netmapper_sniffer_socket_scan_namespaces', 'Network namespaces read by the last socket scan.'),
    socketScanErrors: m.counter('netmapper_sniffer_socket_scan_errors_total', 'Socket scans that failed, and unparsable tcp/tcp6 lines.'),
  };
}

export type SnifferMetrics = ReturnType<typeof createSnifferMetrics>;
