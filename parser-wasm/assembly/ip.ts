// IPv4 and IPv6 headers: addresses and protocol into Ctx; returns the transport header pointer.
import {
  R_TRUNCATED, R_BAD_IP_HEADER, R_IP_FRAGMENT, R_BAD_IPV6_EXT_HEADER, R_NOT_DNS_OR_SYN,
} from './layout';
import { Ctx, be16 } from './context';

const IPV4_MIN_LEN: usize = 20;
const IPV6_HDR_LEN: usize = 40;
const IPV4_MF_OFFSET_MASK: u32 = 0x3fff; // More Fragments flag + fragment offset (RFC 791 §3.1)
const MAX_EXT_HEADERS: i32 = 16;

const NH_HOP_BY_HOP: u32 = 0;
const NH_ROUTING: u32 = 43;
const NH_FRAGMENT: u32 = 44;
const NH_ESP: u32 = 50;
const NH_AH: u32 = 51;
const NH_NONE: u32 = 59;
const NH_DEST_OPTS: u32 = 60;
const NH_MOBILITY: u32 = 135;
const NH_HIP: u32 = 139;
const NH_SHIM6: u32 = 140;

/**
 * Parses an IPv4 header at `p`; returns the payload pointer or -reason. Ctx.l4DeclaredEnd gets
 * the end the header declares; `end` is where the captured bytes stop (Ethernet padding trimmed).
 */
export function parseIpv4(p: usize, end: usize): isize {
  if (p + IPV4_MIN_LEN > end) return -R_TRUNCATED;
  const vihl = <u32>load<u8>(p);
  if (vihl >> 4 != 4) return -R_BAD_IP_HEADER;
  const ihl = <usize>(vihl & 0x0f) << 2;
  const total = <usize>be16(p + 2);
  // RFC 791 §3.1: IHL is at least 5 words and the total length covers the header.
  if (ihl < IPV4_MIN_LEN || total < ihl) return -R_BAD_IP_HEADER;
  if (p + ihl > end) return -R_TRUNCATED;
  // Fragments are skipped, not reassembled (RFC 791 §3.2).
  if ((be16(p + 6) & IPV4_MF_OFFSET_MASK) != 0) return -R_IP_FRAGMENT;
  Ctx.proto = load<u8>(p, 9);
  Ctx.src = p + 12;
  Ctx.dst = p + 16;
  Ctx.l4DeclaredEnd = p + total;
  return <isize>(p + ihl);
}

/** Parses an IPv6 header and its extension headers at `p`; returns the upper-layer pointer or -reason. */
export function parseIpv6(p: usize, end: usize): isize {
  if (p + IPV6_HDR_LEN > end) return -R_TRUNCATED;
  if (<u32>load<u8>(p) >> 4 != 6) return -R_BAD_IP_HEADER;
  const payload = <usize>be16(p + 4);
  Ctx.src = p + 8;
  Ctx.dst = p + 24;
  // A zero payload length means a jumbogram (RFC 2675); then the captured length is all we know.
  Ctx.l4DeclaredEnd = payload == 0 ? end : p + IPV6_HDR_LEN + payload;
  let nh = <u32>load<u8>(p, 6);
  let q = p + IPV6_HDR_LEN;
  // Every extension header is at least 8 bytes long (RFC 8200 §4), so the walk always advances.
  for (let i = 0; i < MAX_EXT_HEADERS; i++) {
    if (nh == NH_HOP_BY_HOP || nh == NH_ROUTING || nh == NH_DEST_OPTS || nh == NH_MOBILITY || nh == NH_HIP || nh == NH_SHIM6) {
      if (q + 8 > end) return -R_TRUNCATED;
      const len = (<usize>load<u8>(q, 1) + 1) << 3;
      if (q + len > end) return -R_TRUNCATED;
      nh = <u32>load<u8>(q);
      q += len;
    } else if (nh == NH_FRAGMENT) {
      if (q + 8 > end) return -R_TRUNCATED;
      // RFC 8200 §4.5: offset in the top 13 bits, M flag in bit 0. An atomic fragment
      // (offset 0, M 0; RFC 6946) carries a whole packet and is decoded.
      if ((be16(q + 2) & 0xfff9) != 0) return -R_IP_FRAGMENT;
      nh = <u32>load<u8>(q);
      q += 8;
    } else if (nh == NH_AH) {
      if (q + 8 > end) return -R_TRUNCATED;
      // RFC 4302 §2.2: payload length in 4-octet units, minus 2.
      const len = (<usize>load<u8>(q, 1) + 2) << 2;
      if (q + len > end) return -R_TRUNCATED;
      nh = <u32>load<u8>(q);
      q += len;
    } else if (nh == NH_ESP || nh == NH_NONE) {
      return -R_NOT_DNS_OR_SYN;
    } else {
      if (q > Ctx.l4DeclaredEnd) return -R_BAD_IPV6_EXT_HEADER;
      Ctx.proto = <u8>nh;
      return <isize>q;
    }
  }
  return -R_BAD_IPV6_EXT_HEADER;
}
