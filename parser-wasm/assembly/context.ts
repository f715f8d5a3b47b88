// Per-frame facts the layers hand down (addresses, ports, timestamp) and the record writer.
import {
  REC_KIND, REC_TRANSPORT, REC_IPVER, REC_RCODE, REC_SPORT, REC_DPORT, REC_TS,
  REC_SRC, REC_DST, REC_NAME_OFF, REC_NAME_LEN, REC_ANSWER_COUNT, REC_ANSWER_START, REC_FRAME,
} from './layout';
import { claimRecord } from './state';

export class Ctx {
  static ts: f64 = 0;
  static frame: u32 = 0;
  static ipVer: u8 = 0;
  static src: usize = 0;
  static dst: usize = 0;
  static proto: u8 = 0;
  static sport: u16 = 0;
  static dport: u16 = 0;
  /** End of the L4 data as the IP header declares it (may lie past the captured bytes). */
  static l4DeclaredEnd: usize = 0;
}

/** Big-endian u16 at p (network order, RFC 1700). */
// @ts-ignore: decorator
@inline export function be16(p: usize): u32 {
  return <u32>bswap<u16>(load<u16>(p));
}

// @ts-ignore: decorator
@inline export function be32(p: usize): u32 {
  return bswap<u32>(load<u32>(p));
}

/** Writes the common part of a record for the current frame; returns its address, or 0 when the record area is full. */
export function emitRecord(kind: i32): usize {
  const r = claimRecord(kind);
  if (r == 0) return 0;
  store<u8>(r, <u8>kind, REC_KIND);
  store<u8>(r, Ctx.proto, REC_TRANSPORT);
  store<u8>(r, Ctx.ipVer, REC_IPVER);
  store<u8>(r, 0, REC_RCODE);
  store<u16>(r, Ctx.sport, REC_SPORT);
  store<u16>(r, Ctx.dport, REC_DPORT);
  store<f64>(r, Ctx.ts, REC_TS);
  if (Ctx.ipVer == 4) {
    store<u32>(r, load<u32>(Ctx.src), REC_SRC);
    store<u32>(r, 0, REC_SRC + 4);
    store<u64>(r, 0, REC_SRC + 8);
    store<u32>(r, load<u32>(Ctx.dst), REC_DST);
    store<u32>(r, 0, REC_DST + 4);
    store<u64>(r, 0, REC_DST + 8);
  } else {
    store<u64>(r, load<u64>(Ctx.src), REC_SRC);
    store<u64>(r, load<u64>(Ctx.src, 8), REC_SRC + 8);
    store<u64>(r, load<u64>(Ctx.dst), REC_DST);
    store<u64>(r, load<u64>(Ctx.dst, 8), REC_DST + 8);
  }
  store<u32>(r, 0, REC_NAME_OFF);
  store<u16>(r, 0, REC_NAME_LEN);
  store<u16>(r, 0, REC_ANSWER_COUNT);
  store<u32>(r, 0, REC_ANSWER_START);
  store<u32>(r, Ctx.frame, REC_FRAME);
  return r;
}
