// Otterize's report mutations → records of our wire contract, so GraphQL reports take the same path
// as `POST /api/v1/reports`: the contract's normalisation (each bad record skipped and counted by
// reason, the rest kept), resolution, store. Only what the contract cannot say is decided here: which
// port is the server's, and that a TCP or socket destination is its own IP.

import type { ConnectionSource } from '../../contract/schema.ts';

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

/** A raw record for the contract to check (`POST /api/v1/reports`'s `records[i]`). */
export type RawRecord = Record<string, unknown>;

/**
 * DNS, TCP and socket-scan results. Otterize's socket scan puts the local (ephemeral) port in
 * `destinationPort` and the server's port in `srcPorts` (its own test encodes this), so for that
 * mutation the server port is taken from `srcPorts`. A TCP destination's distinct source ports
 * count its connections.
 */
export function connectionRecords(mutation: ConnectionMutation, results: readonly GqlRecordedDestinations[]): RawRecord[] {
  const source = SOURCE[mutation];
  const out: RawRecord[] = [];
  for (const src of results) {
    for (const d of src.destinations) {
      // A DNS answer without its IP is left without one: the contract skips it and counts why.
      const destinationIp = d.destinationIP ?? (source === 'dns' ? undefined : d.destination);
      const port = source === 'socket' ? d.srcPorts?.[0] : source === 'tcp' ? d.destinationPort ?? undefined : undefined;
      const r: RawRecord = {
        source, srcIp: src.srcIp, destination: d.destination, ...(destinationIp !== undefined ? { destinationIp } : {}), lastSeen: d.lastSeen,
        count: source === 'tcp' ? Math.max(1, new Set(d.srcPorts ?? []).size) : 1,
      };
      if (src.srcHostname) r.srcHostname = src.srcHostname;
      if (port !== undefined && port !== null) r.destinationPort = port;
      if (source === 'dns' && d.TTL !== undefined && d.TTL !== null) r.ttl = d.TTL;
      out.push(r);
    }
  }
  return out;
}

export function kafkaRecords(results: readonly GqlKafkaResult[]): RawRecord[] {
  return results.map((k) => ({ source: 'kafka', ...k }));
}

/** Istio connections; resolution keeps a path whose only method is `ALL` with no methods, as Otterize does. */
export function istioRecords(results: readonly GqlIstioConnection[]): RawRecord[] {
  return results.map((c) => {
    const r: RawRecord = {
      source: 'istio', srcWorkload: c.srcWorkload, srcWorkloadNamespace: c.srcWorkloadNamespace,
      dstWorkload: c.dstWorkload, dstWorkloadNamespace: c.dstWorkloadNamespace, path: c.path,
      methods: c.methods, lastSeen: c.lastSeen,
    };
    if (c.dstServiceName) r.dstServiceName = c.dstServiceName;
    return r;
  });
}
