// Turns decoded frames into observations: what the sniffer reports, before aggregation.
// Live capture and replay both go through here, so the two cannot disagree on what counts.

import type { ConnectionRecord } from '../../controller/contract/schema.ts';
import type { DecodedRecord, DnsRecord } from '../../parser-wasm/src/records.ts';
import { isLoopback } from '../../controller/common/ip.ts';

/** One sighting of a client talking to a destination: a report record before aggregation gives it
 *  `lastSeen` and `count`; `ts` is epoch seconds with fraction. */
export type Observation = Omit<ConnectionRecord, 'lastSeen' | 'count'> & { ts: number };

export interface ObservationFilter {
  dns: boolean;
  tcp: boolean;
}

/** RFC 1035 §4.1.1: RCODE 0 is "No error"; anything else carries no usable answers. */
const RCODE_NOERROR = 0;

/**
 * Appends the observations a decoded record yields to `out`; returns how many.
 * DNS: one per A/AAAA answer of an rcode-0 response, client = the response's destination.
 * TCP: one per pure SYN (SYN-ACKs are the server's half). Loopback clients are skipped: they are
 * the node talking to itself, never a workload.
 */
export function observe(rec: DecodedRecord, filter: ObservationFilter, out: Observation[]): number {
  if (rec.kind === 'dns') return filter.dns ? observeDns(rec, out) : 0;
  if (rec.kind !== 'syn' || !filter.tcp) return 0;
  if (isLoopback(rec.src) || isLoopback(rec.dst)) return 0;
  out.push({ source: 'tcp', srcIp: rec.src, destination: rec.dst, destinationIp: rec.dst, destinationPort: rec.dport, ts: rec.ts });
  return 1;
}

function observeDns(rec: DnsRecord, out: Observation[]): number {
  if (rec.rcode !== RCODE_NOERROR || isLoopback(rec.dst)) return 0;
  let owners: Map<string, string> | undefined;
  for (const a of rec.answers) {
    if (a.type === 'CNAME') (owners ??= new Map()).set(a.value, a.name);
  }
  let n = 0;
  for (const a of rec.answers) {
    if (a.type !== 'A' && a.type !== 'AAAA') continue;
    out.push({ source: 'dns', srcIp: rec.dst, destination: chainHead(a.name, owners, rec.answers.length), destinationIp: a.value, ttl: a.ttl, ts: rec.ts });
    n++;
  }
  return n;
}

/**
 * Walks CNAME links backwards from an answer's owner name to the name that started the chain
 * (normally the queried name): `api → internal → lb` reports `lb`'s address under `api`.
 * At most `limit` steps, so a CNAME loop in a hostile response cannot spin.
 */
function chainHead(name: string, owners: Map<string, string> | undefined, limit: number): string {
  if (!owners) return name;
  let cur = name;
  for (let i = 0; i < limit; i++) {
    const prev = owners.get(cur);
    if (prev === undefined || prev === name) break;
    cur = prev;
  }
  return cur;
}
