// One frame from link layer to records, with the per-frame accounting every source shares.
import {
  CTR_FRAMES, CTR_BYTES, CTR_FRAMES_DECODED, CTR_NON_FRAME_SKIPS, R_NOT_DNS_OR_SYN, R_OUTPUT_OVERFLOW,
} from './layout';
import { Ctx } from './context';
import { parseLink } from './link';
import { parseIpv4, parseIpv6 } from './ip';
import { parseUdp, parseTcp, PROTO_TCP, PROTO_UDP } from './transport';
import {
  beginFrame, commitFrame, rollbackFrame, frameStartedEmpty, bump, skip, frameRecords, frameSkips, overflow,
} from './state';

function decodeLayers(p: usize, end: usize, linkType: u32): i32 {
  const l3 = parseLink(p, end, linkType);
  if (l3 < 0) return <i32>l3;
  const l4 = Ctx.ipVer == 4 ? parseIpv4(<usize>l3, end) : parseIpv6(<usize>l3, end);
  if (l4 < 0) return <i32>l4;
  const l4End = min<usize>(end, Ctx.l4DeclaredEnd);
  if (Ctx.proto == PROTO_UDP) return parseUdp(<usize>l4, l4End);
  if (Ctx.proto == PROTO_TCP) return parseTcp(<usize>l4, end);
  return -R_NOT_DNS_OR_SYN;
}

/**
 * Decodes the frame [p, p+len) captured at `ts` on a `linkType` link. Returns false when the
 * output areas filled up mid-frame: the frame is rolled back, to be decoded again after the host
 * has read the records. Every finished frame ends in exactly one outcome: it produced records,
 * or it is counted under one skip reason. Extra skips inside one frame (a second bad DNS
 * message) are also counted as non-frame skips, so frames = decoded + Σ skipped − non-frame skips.
 */
export function decodeFrame(p: usize, len: u32, linkType: u32, ts: f64, index: u32): bool {
  beginFrame();
  Ctx.ts = ts;
  Ctx.frame = index;
  Ctx.sport = 0;
  Ctx.dport = 0;
  Ctx.proto = 0;
  const r = decodeLayers(p, p + <usize>len, linkType);
  if (overflow) {
    const alone = frameStartedEmpty();
    rollbackFrame();
    if (!alone) return false;
    skip(R_OUTPUT_OVERFLOW); // cannot happen with the sizes setup() enforces; counted, not looped on
  } else if (r < 0) {
    skip(-r);
  }
  if (frameRecords == 0 && frameSkips == 0) skip(R_NOT_DNS_OR_SYN); // unreachable; keeps the sum exact
  commitFrame();
  bump(CTR_FRAMES);
  bump(CTR_BYTES, <u64>len);
  if (frameRecords > 0) {
    bump(CTR_FRAMES_DECODED);
    if (frameSkips > 0) bump(CTR_NON_FRAME_SKIPS, <u64>frameSkips);
  } else if (frameSkips > 1) {
    bump(CTR_NON_FRAME_SKIPS, <u64>(frameSkips - 1));
  }
  return true;
}
