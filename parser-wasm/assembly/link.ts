// Link layers: find the IP header inside a frame of a given DLT and say which IP version it is.
import { R_TRUNCATED, R_UNSUPPORTED_LINK_TYPE, R_NOT_IP } from './layout';
import { Ctx, be16 } from './context';

export const DLT_NULL: u32 = 0;
export const DLT_EN10MB: u32 = 1;
export const DLT_RAW_OPENBSD: u32 = 12; // DLT_RAW on most BSDs
export const DLT_RAW_BSDOS: u32 = 14;
export const DLT_LOOP: u32 = 108;
export const LINKTYPE_RAW: u32 = 101;
export const LINKTYPE_LINUX_SLL: u32 = 113;
export const LINKTYPE_LINUX_SLL2: u32 = 276;
export const LINKTYPE_IPV4: u32 = 228;
export const LINKTYPE_IPV6: u32 = 229;

const ETHERTYPE_IPV4: u32 = 0x0800;
const ETHERTYPE_IPV6: u32 = 0x86dd;
const ETHERTYPE_VLAN: u32 = 0x8100; // IEEE 802.1Q
const ETHERTYPE_QINQ: u32 = 0x88a8; // IEEE 802.1ad
const ETHERTYPE_QINQ_OLD: u32 = 0x9100; // pre-standard QinQ
const MAX_VLAN_TAGS: i32 = 8;
const ETHER_HDR_LEN: usize = 14;
const SLL_HDR_LEN: usize = 16;
const SLL2_HDR_LEN: usize = 20;
const NULL_HDR_LEN: usize = 4;

// BSD address families as they appear in DLT_NULL headers (Linux, NetBSD/OpenBSD, FreeBSD, Darwin).
const AF_INET: u32 = 2;

// @ts-ignore: decorator
@inline function isAfInet6(af: u32): bool {
  return af == 10 || af == 24 || af == 28 || af == 30;
}

/** Sets Ctx.ipVer from an ethertype after skipping VLAN tags at `q`; returns the IP header pointer. */
function afterEthertype(q: usize, end: usize, etherType: u32): isize {
  let et = etherType;
  let tags = 0;
  while (et == ETHERTYPE_VLAN || et == ETHERTYPE_QINQ || et == ETHERTYPE_QINQ_OLD) {
    if (++tags > MAX_VLAN_TAGS) return -R_NOT_IP;
    if (q + 4 > end) return -R_TRUNCATED;
    et = be16(q + 2);
    q += 4;
  }
  if (et == ETHERTYPE_IPV4) Ctx.ipVer = 4;
  else if (et == ETHERTYPE_IPV6) Ctx.ipVer = 6;
  else return -R_NOT_IP;
  return <isize>q;
}

/** Ctx.ipVer from the version nibble of a raw IP packet. */
function rawIp(p: usize, end: usize): isize {
  if (p >= end) return -R_TRUNCATED;
  const v = load<u8>(p) >> 4;
  if (v == 4) Ctx.ipVer = 4;
  else if (v == 6) Ctx.ipVer = 6;
  else return -R_NOT_IP;
  return <isize>p;
}

/** Parses the link header of a `linkType` frame at `p`; returns the IP header pointer or -reason. */
export function parseLink(p: usize, end: usize, linkType: u32): isize {
  if (linkType == DLT_EN10MB) {
    if (p + ETHER_HDR_LEN > end) return -R_TRUNCATED;
    return afterEthertype(p + ETHER_HDR_LEN, end, be16(p + 12));
  }
  if (linkType == LINKTYPE_LINUX_SLL) {
    // https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html: protocol type at 14.
    if (p + SLL_HDR_LEN > end) return -R_TRUNCATED;
    return afterEthertype(p + SLL_HDR_LEN, end, be16(p + 14));
  }
  if (linkType == LINKTYPE_LINUX_SLL2) {
    // https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL2.html: protocol type at 0.
    if (p + SLL2_HDR_LEN > end) return -R_TRUNCATED;
    return afterEthertype(p + SLL2_HDR_LEN, end, be16(p));
  }
  if (linkType == LINKTYPE_RAW || linkType == DLT_RAW_OPENBSD || linkType == DLT_RAW_BSDOS) return rawIp(p, end);
  if (linkType == LINKTYPE_IPV4) { Ctx.ipVer = 4; return <isize>p; }
  if (linkType == LINKTYPE_IPV6) { Ctx.ipVer = 6; return <isize>p; }
  if (linkType == DLT_NULL || linkType == DLT_LOOP) {
    if (p + NULL_HDR_LEN > end) return -R_TRUNCATED;
    // DLT_NULL stores the family in the capturing host's byte order, DLT_LOOP in network order.
    let af = load<u32>(p);
    if (linkType == DLT_LOOP || af > 0xffff) af = bswap<u32>(af);
    if (af == AF_INET) Ctx.ipVer = 4;
    else if (isAfInet6(af)) Ctx.ipVer = 6;
    else {
      // Some systems write an ethertype into bytes 2-3 instead (Wireshark's packet-null.c accepts it).
      const et = be16(p + 2);
      if (et == ETHERTYPE_IPV4) Ctx.ipVer = 4;
      else if (et == ETHERTYPE_IPV6) Ctx.ipVer = 6;
      else return -R_NOT_IP;
    }
    return <isize>(p + NULL_HDR_LEN);
  }
  return -R_UNSUPPORTED_LINK_TYPE;
}
