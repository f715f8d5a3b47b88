// The wire contract between sniffers (and watchers) and the controller: `POST /api/v1/reports`.
// Both sides import this module; the controller validates every field it names.

export const REPORTS_PATH = '/api/v1/reports';
export const REPORT_VERSION = 1;

/** Which collector saw a connection. */
export type ConnectionSource = 'dns' | 'tcp' | 'socket';

/**
 * One aggregated observation of a client talking to a destination, as a sniffer reports it.
 * Aggregation key (sniffer side): (source, srcIp, destination, destinationIp, destinationPort).
 */
export interface ConnectionRecord {
  source: ConnectionSource;
  /** The client: the DNS response's destination IP, the SYN's source IP, the socket's local IP. */
  srcIp: string;
  /** Socket scan only: the HOSTNAME of the process owning the socket (the pod name). */
  srcHostname?: string;
  /** DNS: the queried name (CNAME chains unwound). TCP and socket: the destination IP. */
  destination: string;
  /** DNS: the answer's IP. TCP and socket: the server IP. */
  destinationIp: string;
  /** TCP and socket: the server port. */
  destinationPort?: number;
  /** DNS: the answer's TTL in seconds. */
  ttl?: number;
  /** Newest time seen in the interval, RFC 3339 (UTC, milliseconds). */
  lastSeen: string;
  /** How many times it was seen in the interval (≥ 1). */
  count: number;
}

/** A Kafka topic access, as the Kafka watcher reports it. */
export interface KafkaRecord {
  source: 'kafka';
  srcIp: string;
  serverPodName: string;
  serverNamespace: string;
  topic: string;
  /** Kafka operation as logged: read, write, describe, ... (case-insensitive). */
  operation: string;
  lastSeen: string;
}

/** An HTTP request path between two workloads, as the Istio watcher reports it. */
export interface HttpRecord {
  source: 'istio';
  srcWorkload: string;
  srcWorkloadNamespace: string;
  dstWorkload: string;
  dstWorkloadNamespace: string;
  dstServiceName?: string;
  path: string;
  methods: string[];
  lastSeen: string;
}

export type ReportRecord = ConnectionRecord | KafkaRecord | HttpRecord;

/** The body of `POST /api/v1/reports`. */
export interface Report {
  version: typeof REPORT_VERSION;
  /** The reporting node (sniffer) or watcher name. */
  node: string;
  /** When the sniffer sent it, RFC 3339. */
  sentAt: string;
  records: ReportRecord[];
}

/** The controller's answer to an accepted report. */
export interface ReportAccepted {
  accepted: number;
}
