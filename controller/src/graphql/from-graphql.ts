// Otterize's report mutations → records of our wire contract, so GraphQL reports take the same path
// as `POST /api/v1/reports` (validation, resolution, store). Each record is checked on its own: a bad
// one is skipped and counted by reason, the others are kept.

import type { ConnectionSource, ReportRecord } from '../contract.ts';
import { parseReport } from '../contract-validate.ts';
import { ReportValidationError } from '../errors.ts';

export interface GqlDestination {
  destination: string;
  destinationIP?: string | null;
  destinationPort?: number | null;
  TTL?: number | null;
  lastSeen: string;
  srcPorts?: number[] | null;
}
export interface GqlRecordedDestinations { srcIp: string; srcHostname: string; destinations: GqlDestination[] }
export interface GqlKafkaResult { srcIp: string; serverPodName: string; serverNamespace: string; topic: string; operation: string; lastSeen: string }
export interface GqlIstioConnection {
  srcWorkload: string; srcWorkloadNamespace: string; dstWorkload: string; dstServiceName: string;
  dstWorkloadNamespace: string; path: string; methods: string[]; lastSeen: string;
}

/** Which mutation carried the results: DNS capture, TCP SYN capture, or the /proc socket scan. */
export type ConnectionMutation = 'reportCaptureResults' | 'reportTCPCaptureResults' | 'reportSocketScanResults';
const SOURCE: Record<ConnectionMutation, ConnectionSource> = {
  reportCaptureResults: 'dns', reportTCPCaptureResults: 'tcp', reportSocketScanResults: 'socket',
};

export interface Converted {
  records: ReportRecord[];
  /** Records refused before resolution, by reason. */
  skipped: Record<string, number>;
}

/** `ReportValidationError` field `records[0].srcIp` → reason `invalid-srcIp`. */
function reasonOf(err: ReportValidationError): string {
  return `invalid-${err.field.replace(/^records\[\d+\]\./, '')}`;
}

/** Checks one record with the contract's validator; returns its normalised form or the reason it was refused. */
export function checkRecord(r: Record<string, unknown>): ReportRecord | { reason: string } {
  try {
    return parseReport({ version: 1, node: 'graphql', sentAt: new Date(0).toISOString(), records: [r] }).records[0];
  } catch (err) {
    if (err instanceof ReportValidationError) return { reason: reasonOf(err) };
    throw err;
  }
}

/** A record to check, or one already refused (`skip` names why). */
type Raw = Record<string, unknown> | { skip: string };

function collect(raw: readonly Raw[]): Converted {
  const out: Converted = { records: [], skipped: {} };
  for (const r of raw) {
    const checked = typeof r.skip === 'string' ? { reason: r.skip } : checkRecord(r);
    if ('reason' in checked) out.skipped[checked.reason] = (out.skipped[checked.reason] ?? 0) + 1;
    else out.records.push(checked);
  }
  return out;
}

/**
 * DNS, TCP and socket-scan results. Otterize's socket scan puts the local (ephemeral) port in
 * `destinationPort` and the server's port in `srcPorts` (its own test encodes this), so for that
 * mutation the server port is taken from `srcPorts`. A TCP destination's distinct source ports
 * count its connections.
 */
export function connectionRecords(mutation: ConnectionMutation, results: readonly GqlRecordedDestinations[]): Converted {
  const source = SOURCE[mutation];
  const raw: Raw[] = [];
  for (const src of results) {
    for (const d of src.destinations) {
      const destinationIp = d.destinationIP ?? (source === 'dns' ? undefined : d.destination);
      if (destinationIp === undefined || destinationIp === '') { raw.push({ skip: 'missing-destinationIP' }); continue; }
      const port = source === 'socket' ? d.srcPorts?.[0] : source === 'tcp' ? d.destinationPort ?? undefined : undefined;
      const r: Record<string, unknown> = {
        source, srcIp: src.srcIp, destination: d.destination, destinationIp, lastSeen: d.lastSeen,
        count: source === 'tcp' ? Math.max(1, new Set(d.srcPorts ?? []).size) : 1,
      };
      if (src.srcHostname) r.srcHostname = src.srcHostname;
      if (port !== undefined && port !== null) r.destinationPort = port;
      if (source === 'dns' && d.TTL !== undefined && d.TTL !== null) r.ttl = d.TTL;
      raw.push(r);
    }
  }
  return collect(raw);
}

export function kafkaRecords(results: readonly GqlKafkaResult[]): Converted {
  return collect(results.map((k) => ({ source: 'kafka', ...k })));
}

/** Istio connections. `ALL` is not a method our model keeps: a connection whose only method is `ALL` is
 *  counted unresolved (`unknown-http-method`), where Otterize keeps its path with no methods. */
export function istioRecords(results: readonly GqlIstioConnection[]): Converted {
  return collect(results.map((c) => {
    const r: Record<string, unknown> = {
      source: 'istio', srcWorkload: c.srcWorkload, srcWorkloadNamespace: c.srcWorkloadNamespace,
      dstWorkload: c.dstWorkload, dstWorkloadNamespace: c.dstWorkloadNamespace, path: c.path,
      methods: c.methods, lastSeen: c.lastSeen,
    };
    if (c.dstServiceName) r.dstServiceName = c.dstServiceName;
    return r;
  }));
}
