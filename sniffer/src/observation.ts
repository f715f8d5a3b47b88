// Turns decoded frames into observations: what the sniffer reports, before aggregation.
// Live capture and replay both go through here, so the two cannot disagree on what counts.

import type { ConnectionRecord } from '../../controller/contract/schema.ts';
import type { DecodedRecord, DnsRecord } from '../../parser-wasm/src/records.ts';
import { isLoopback } from '../../controller/common/ip.ts';
import type { RawOutput } from '../../parser-wasm/src/read-back.ts';
import { formatIpv4, formatIpv6 } from '../../parser-wasm/src/ip-format.ts';
import {
  REC_SIZE, REC_KIND, REC_IPVER, REC_RCODE, REC_DPORT, REC_TS, REC_SRC, REC_DST, REC_ANSWER_COUNT, REC_ANSWER_START,
  KIND_DNS, KIND_SYN, ANS_SIZE, ANS_TYPE, ANS_NAME_LEN, ANS_NAME_OFF, ANS_TTL, ANS_VALUE_LEN, ANS_VALUE,
} from '../../parser-wasm/src/layout.ts';
import { SRC_DNS, SRC_TCP, type IntervalAggregator, type IntervalEntries } from './aggregate.ts';
import type { Interned } from './aggregate-interned.ts';
import { ByteTexts } from './observation-texts.ts';

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

// ---- The same rules over the decoder's output in place (no object per record) ----

/** Per-kind and per-source tallies of the raw path (plain numbers, read by the pipeline's metrics). */
export interface RawTally { dns: number; syn: number; synack: number; observedDns: number; observedTcp: number }

const TYPE_A = 1;
const TYPE_AAAA = 28;

/** isLoopback of the address formatIpv4/formatIpv6 would print for these bytes. */
function loopbackAt(u8: Uint8Array, off: number, ver: number): boolean {
  if (ver === 4) return u8[off] === 127;
  for (let i = 0; i < 10; i++) if (u8[off + i] !== 0) return false;
  if (u8[off + 10] === 0xff && u8[off + 11] === 0xff) return u8[off + 12] === 127; // ::ffff:127.x.y.z
  if (u8[off + 10] !== 0 || u8[off + 11] !== 0 || u8[off + 12] !== 0 || u8[off + 13] !== 0 || u8[off + 14] !== 0) return false;
  return u8[off + 15] === 1; // ::1
}

/** Addresses (4 or 16 bytes) and names, each text made once across intervals. */
const ipTexts = new ByteTexts((memory, off, len) => (len === 4 ? formatIpv4(memory, off) : formatIpv6(memory, off)));
const nameTexts = new ByteTexts((memory, off, len) => (len === 0 ? '' : memory.toString('latin1', off, off + len)));

/** The interval's id of a text: cached beside the text for the interval's epoch, else interned once. */
function localId(texts: ByteTexts, id: number, interned: Interned, epoch: number): number {
  if (texts.stamp[id] === epoch) return texts.local[id]!;
  const local = interned.idOfNew(texts.texts[id]!, texts, id);
  texts.stamp[id] = epoch;
  texts.local[id] = local;
  return local;
}

function ipIdAt(entries: IntervalEntries, out: RawOutput, off: number, ver: number): number {
  return localId(ipTexts, ipTexts.id(out.latin1, out.dv, off, ver === 4 ? 4 : 16), entries.ips, entries.epoch);
}

/** The last name read: answers of one response (and responses in a row) mostly share it. */
let nameOut: RawOutput | undefined;
let nameEpoch = -1;
let nameOff = -1;
let nameLen = -1;
let nameId = -1;
function nameIdAt(entries: IntervalEntries, out: RawOutput, off: number, len: number): number {
  if (off === nameOff && len === nameLen && out === nameOut && entries.epoch === nameEpoch) return nameId;
  nameOut = out; nameEpoch = entries.epoch; nameOff = off; nameLen = len;
  nameId = localId(nameTexts, nameTexts.id(out.latin1, out.dv, off, len), entries.names, entries.epoch);
  return nameId;
}

/** One response's CNAME links, as name ids of its interval. */
let linkTarget = new Int32Array(16);
let linkOwner = new Int32Array(16);

/** chainHead over name ids: the owner of a target is that of its last link, as a Map built in order gives. */
function chainHeadId(name: number, links: number, limit: number): number {
  let cur = name;
  for (let i = 0; i < limit; i++) {
    let prev = -1;
    for (let k = links - 1; k >= 0; k--) if (linkTarget[k] === cur) { prev = linkOwner[k]!; break; }
    if (prev < 0 || prev === name) break;
    cur = prev;
  }
  return cur;
}

/**
 * observe() for record `i` of a decoder call's output, added straight to the aggregator: the same
 * rules (rcode-0 DNS answers, pure SYNs, no loopback clients), no object made per record.
 */
export function observeRaw(out: RawOutput, i: number, filter: ObservationFilter, agg: IntervalAggregator, tally: RawTally): void {
  const { u8, dv } = out;
  const r = out.records + i * REC_SIZE;
  const kind = u8[r + REC_KIND];
  if (kind !== KIND_DNS) {
    if (kind !== KIND_SYN) { tally.synack++; return; }
    tally.syn++;
    if (!filter.tcp) return;
    const ver = u8[r + REC_IPVER]!;
    if (loopbackAt(u8, r + REC_SRC, ver) || loopbackAt(u8, r + REC_DST, ver)) return;
    const ts = dv.getFloat64(r + REC_TS, true);
    const entries = agg.entriesAt(ts);
    const dst = ipIdAt(entries, out, r + REC_DST, ver);
    entries.add(SRC_TCP, ipIdAt(entries, out, r + REC_SRC, ver), -1, dst, dv.getUint16(r + REC_DPORT, true), ts, NaN);
    tally.observedTcp++;
    return;
  }
  tally.dns++;
  if (!filter.dns || u8[r + REC_RCODE] !== RCODE_NOERROR) return;
  const ver = u8[r + REC_IPVER]!;
  if (loopbackAt(u8, r + REC_DST, ver)) return;
  const count = dv.getUint16(r + REC_ANSWER_COUNT, true);
  const first = out.answers + dv.getUint32(r + REC_ANSWER_START, true) * ANS_SIZE;
  let addresses = 0, cnames = 0;
  for (let j = 0, a = first; j < count; j++, a += ANS_SIZE) {
    const type = dv.getUint16(a + ANS_TYPE, true);
    if (type === TYPE_A || type === TYPE_AAAA) addresses++; else cnames++;
  }
  if (addresses === 0) return;
  const ts = dv.getFloat64(r + REC_TS, true);
  const entries = agg.entriesAt(ts);
  const client = ipIdAt(entries, out, r + REC_DST, ver);
  // CNAME links as name ids (target → owner, a later link for the same target wins, as Map.set does).
  let links = 0;
  if (cnames > 0) {
    if (linkTarget.length < cnames) { linkTarget = new Int32Array(cnames * 2); linkOwner = new Int32Array(cnames * 2); }
    for (let j = 0, a = first; j < count; j++, a += ANS_SIZE) {
      const type = dv.getUint16(a + ANS_TYPE, true);
      if (type === TYPE_A || type === TYPE_AAAA) continue;
      linkOwner[links] = nameIdAt(entries, out, out.names + dv.getUint32(a + ANS_NAME_OFF, true), dv.getUint16(a + ANS_NAME_LEN, true));
      linkTarget[links] = nameIdAt(entries, out, out.names + dv.getUint32(a + ANS_VALUE, true), dv.getUint16(a + ANS_VALUE_LEN, true));
      links++;
    }
  }
  for (let j = 0, a = first; j < count; j++, a += ANS_SIZE) {
    const type = dv.getUint16(a + ANS_TYPE, true);
    if (type !== TYPE_A && type !== TYPE_AAAA) continue;
    const name = nameIdAt(entries, out, out.names + dv.getUint32(a + ANS_NAME_OFF, true), dv.getUint16(a + ANS_NAME_LEN, true));
    const dest = links > 0 ? chainHeadId(name, links, count) : name;
    const value = type === TYPE_A ? ipIdAt(entries, out, a + ANS_VALUE, 4) : ipIdAt(entries, out, a + ANS_VALUE, 6);
    entries.add(SRC_DNS, client, dest, value, -1, ts, dv.getUint32(a + ANS_TTL, true));
    tally.observedDns++;
  }
}
