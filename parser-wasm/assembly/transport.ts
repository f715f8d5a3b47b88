// UDP and TCP: ports, SYN/SYN-ACK records, and DNS payloads on port 53.
import {
  KIND_SYN, KIND_SYNACK, R_TRUNCATED, R_BAD_UDP_HEADER, R_BAD_TCP_HEADER, R_NOT_DNS_OR_SYN,
  R_DNS_TCP_PARTIAL, R_OUTPUT_OVERFLOW,
} from './layout';
import { Ctx, be16, emitRecord } from './context';
import { parseDns } from './dns';
import { skip } from './state';

export const PROTO_TCP: u8 = 6;
export const PROTO_UDP: u8 = 17;
const DNS_PORT: u16 = 53;
const UDP_HDR_LEN: usize = 8;
const TCP_MIN_HDR_LEN: usize = 20;
const TCP_SYN: u32 = 0x02;
const TCP_ACK: u32 = 0x10;
const DNS_TCP_LEN_PREFIX: usize = 2; // RFC 1035 §4.2.2

/** Parses a UDP datagram at `p`; returns 0 or -reason. */
export function parseUdp(p: usize, end: usize): i32 {
  if (p + UDP_HDR_LEN > end) return -R_TRUNCATED;
  Ctx.sport = <u16>be16(p);
  Ctx.dport = <u16>be16(p + 2);
  const ulen = <usize>be16(p + 4);
  // RFC 768: the length covers the 8-byte header and cannot exceed what IP carries.
  if (ulen < UDP_HDR_LEN || p + ulen > Ctx.l4DeclaredEnd) return -R_BAD_UDP_HEADER;
  if (Ctx.sport != DNS_PORT && Ctx.dport != DNS_PORT) return -R_NOT_DNS_OR_SYN;
  if (p + ulen > end) return -R_TRUNCATED;
  return parseDns(p + UDP_HDR_LEN, p + ulen);
}

/** Parses a TCP segment at `p`: a SYN or SYN-ACK record, or the DNS messages it carries. */
export function parseTcp(p: usize, end: usize): i32 {
  if (p + TCP_MIN_HDR_LEN > end) return -R_TRUNCATED;
  Ctx.sport = <u16>be16(p);
  Ctx.dport = <u16>be16(p + 2);
  const off = <usize>(load<u8>(p, 12) >> 4) << 2;
  if (off < TCP_MIN_HDR_LEN) return -R_BAD_TCP_HEADER; // RFC 9293 §3.1: data offset >= 5
  const flags = <u32>load<u8>(p, 13);
  if (flags & TCP_SYN) {
    return emitRecord(flags & TCP_ACK ? KIND_SYNACK : KIND_SYN) == 0 ? -R_OUTPUT_OVERFLOW : 0;
  }
  if (Ctx.sport != DNS_PORT && Ctx.dport != DNS_PORT) return -R_NOT_DNS_OR_SYN;
  const segEnd = min<usize>(end, Ctx.l4DeclaredEnd);
  let q = p + off;
  if (q > segEnd) return q > end ? -R_TRUNCATED : -R_BAD_TCP_HEADER;
  if (q == segEnd) return -R_NOT_DNS_OR_SYN; // a bare ACK/FIN on port 53
  // Several messages may share one segment; each is length-prefixed (RFC 1035 §4.2.2).
  // A message continuing past this segment is skipped: streams are not reassembled.
  let first = true;
  let result: i32 = 0;
  while (q < segEnd) {
    if (q + DNS_TCP_LEN_PREFIX > segEnd) return report(first, result, -R_DNS_TCP_PARTIAL);
    const len = <usize>be16(q);
    const msg = q + DNS_TCP_LEN_PREFIX;
    if (msg + len > segEnd) return report(first, result, -R_DNS_TCP_PARTIAL);
    const r = parseDns(msg, msg + len);
    if (r == -R_OUTPUT_OVERFLOW) return r;
    if (r < 0) {
      if (first) result = r;
      else skip(-r);
      first = false;
    } else if (first) {
      first = false;
    }
    q = msg + len;
  }
  return result;
}

/** The frame's own outcome is the first message's; later failures are counted one by one. */
function report(first: bool, result: i32, reason: i32): i32 {
  if (first) return reason;
  skip(-reason);
  return result;
}
