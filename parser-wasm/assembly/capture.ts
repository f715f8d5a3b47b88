// Capture files, chunk by chunk: pcap (both byte orders, µs and ns) and pcapng (SHB, IDB,
// EPB, SPB, the obsolete PB; other blocks skipped). State survives between chunks.
import {
  CAP_NEED_MORE, CAP_OUTPUT_FULL, CAP_SKIP, CAP_END, E_BAD_LENGTH, E_NOT_A_CAPTURE, E_NOT_SET_UP,
  R_BAD_CAPTURE_RECORD, R_CAPTURE_TRUNCATED, R_OVERSIZED_BLOCK, R_UNKNOWN_INTERFACE, R_BAD_TIMESTAMP,
} from './layout';
import { inputBase, inputCap, resetOutput, skipNonFrame, recCount, recordsPerCall } from './state';
import { decodeFrame } from './frame';

const PCAP_MAGIC_US: u32 = 0xa1b2c3d4; // https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-04.html §4
const PCAP_MAGIC_NS: u32 = 0xa1b23c4d;
const PCAP_HDR_LEN: usize = 24;
const PCAP_REC_HDR_LEN: usize = 16;
/** Larger than any snaplen libpcap writes (262144); a bigger caplen means a corrupt record. */
export const MAX_CAPLEN: u32 = 1 << 20;
const LINKTYPE_MASK: u32 = 0x03ffffff; // the top bits carry FCS information

const PCAPNG_SHB: u32 = 0x0a0d0d0a; // draft-ietf-opsawg-pcapng §4.1
const PCAPNG_BOM: u32 = 0x1a2b3c4d;
const PCAPNG_IDB: u32 = 1;
const PCAPNG_PB: u32 = 2; // obsolete Packet Block (Appendix A)
const PCAPNG_SPB: u32 = 3;
const PCAPNG_EPB: u32 = 6;
const PCAPNG_MIN_BLOCK: u32 = 12;
const OPT_END: u32 = 0;
const OPT_IF_TSRESOL: u32 = 9;
const OPT_IF_TSOFFSET: u32 = 14;
const MAX_IFACES: u32 = 256;

const FORMAT_UNKNOWN: i32 = 0;
const FORMAT_PCAP: i32 = 1;
const FORMAT_PCAPNG: i32 = 2;

let format = FORMAT_UNKNOWN;
let swapped = false;
let pcapDivisor: f64 = 1e6;
let pcapLink: u32 = 0;
let status = CAP_NEED_MORE;
let skipBytes: u32 = 0;
let frameIndex: u32 = 0;
let ifCount: u32 = 0;
// Per interface: link type, units per second, whether units are a power of two, offset seconds.
const ifLink = new StaticArray<u32>(MAX_IFACES);
const ifUnits = new StaticArray<u64>(MAX_IFACES);
const ifOffset = new StaticArray<i64>(MAX_IFACES);

// @ts-ignore: decorator
@inline function rd32(p: usize): u32 {
  const v = load<u32>(p);
  return swapped ? bswap<u32>(v) : v;
}

// @ts-ignore: decorator
@inline function rd16(p: usize): u32 {
  const v = load<u16>(p);
  return <u32>(swapped ? bswap<u16>(v) : v);
}

export function captureBegin(): void {
  format = FORMAT_UNKNOWN;
  swapped = false;
  status = CAP_NEED_MORE;
  skipBytes = 0;
  frameIndex = 0;
  ifCount = 0;
}

export function captureStatus(): i32 { return status; }
export function captureSkip(): u32 { return skipBytes; }

/**
 * Decodes the complete records in input[start, len); `eof` says no more bytes will follow.
 * Returns the offset reached (the host keeps the bytes after it for the next call) or a
 * negative E_* code. Then captureStatus() says what to do next.
 */
export function captureChunk(start: u32, len: u32, eof: bool): i32 {
  if (inputBase == 0) return E_NOT_SET_UP;
  if (len > inputCap || start > len) return E_BAD_LENGTH;
  resetOutput();
  status = CAP_NEED_MORE;
  const base = inputBase;
  const end = base + <usize>len;
  let p = base + <usize>start;
  if (format == FORMAT_UNKNOWN) {
    if (len - start < 4) return eof ? E_NOT_A_CAPTURE : <i32>start;
    const magic = load<u32>(p);
    if (magic == PCAP_MAGIC_US || magic == PCAP_MAGIC_NS || bswap<u32>(magic) == PCAP_MAGIC_US || bswap<u32>(magic) == PCAP_MAGIC_NS) {
      if (len - start < <u32>PCAP_HDR_LEN) {
        if (!eof) return <i32>start;
        skipNonFrame(R_CAPTURE_TRUNCATED);
        status = CAP_END;
        return <i32>len;
      }
      swapped = magic != PCAP_MAGIC_US && magic != PCAP_MAGIC_NS;
      const m = swapped ? bswap<u32>(magic) : magic;
      pcapDivisor = m == PCAP_MAGIC_NS ? 1e9 : 1e6;
      pcapLink = rd32(p + 20) & LINKTYPE_MASK;
      format = FORMAT_PCAP;
      p += PCAP_HDR_LEN;
    } else if (magic == PCAPNG_SHB) {
      if (len - start < 12) return eof ? E_NOT_A_CAPTURE : <i32>start;
      const bom = load<u32>(p + 8);
      if (bom != PCAPNG_BOM && bom != bswap<u32>(PCAPNG_BOM)) return E_NOT_A_CAPTURE;
      format = FORMAT_PCAPNG;
    } else {
      return E_NOT_A_CAPTURE;
    }
  }
  p = format == FORMAT_PCAP ? pcapRecords(p, end) : pcapngBlocks(p, end);
  if (status == CAP_NEED_MORE && eof) {
    if (p < end) skipNonFrame(R_CAPTURE_TRUNCATED);
    p = end;
    status = CAP_END;
  }
  return <i32>(p - base);
}

function pcapRecords(p: usize, end: usize): usize {
  while (p + PCAP_REC_HDR_LEN <= end) {
    const caplen = rd32(p + 8);
    if (caplen > MAX_CAPLEN) {
      // The record framing is lost; nothing after this point can be trusted.
      skipNonFrame(R_BAD_CAPTURE_RECORD);
      status = CAP_END;
      return end;
    }
    const data = p + PCAP_REC_HDR_LEN;
    if (data + <usize>caplen > end) break;
    const ts = <f64>rd32(p) + <f64>rd32(p + 4) / pcapDivisor;
    if (!decodeFrame(data, caplen, pcapLink, ts, frameIndex)) {
      status = CAP_OUTPUT_FULL;
      return p;
    }
    frameIndex++;
    p = data + <usize>caplen;
    if (recCount >= recordsPerCall) {
      status = CAP_OUTPUT_FULL;
      return p;
    }
  }
  return p;
}

/** ECMAScript Dates end at 8.64e15 ms (ECMA-262 §21.4.1.1): later packet times cannot be printed. */
const MAX_TS_SECONDS: f64 = 8.64e12;

function pcapngTs(iface: u32, hi: u32, lo: u32): f64 {
  const t = (<u64>hi << 32) | <u64>lo;
  const units = unchecked(ifUnits[iface]);
  return <f64>(t / units) + <f64>(t % units) / <f64>units + <f64>unchecked(ifOffset[iface]);
}

function readIdb(p: usize, blen: u32): void {
  if (blen < 20) {
    skipNonFrame(R_BAD_CAPTURE_RECORD);
    return;
  }
  const link = rd16(p + 8);
  let units: u64 = 1000000; // default if_tsresol is 6: microseconds
  let offset: i64 = 0;
  let q = p + 16;
  const optEnd = p + <usize>blen - 4;
  while (q + 4 <= optEnd) {
    const code = rd16(q);
    const olen = <usize>rd16(q + 2);
    if (code == OPT_END) break;
    const v = q + 4;
    if (v + olen > optEnd) break;
    if (code == OPT_IF_TSRESOL && olen >= 1) {
      const r = <u32>load<u8>(v);
      const exp = r & 0x7f;
      if (r & 0x80) {
        if (exp <= 63) units = <u64>1 << exp;
      } else if (exp <= 19) {
        units = 1;
        for (let i: u32 = 0; i < exp; i++) units *= 10;
      }
    } else if (code == OPT_IF_TSOFFSET && olen >= 8) {
      const lo = rd32(v);
      const hi = rd32(v + 4);
      offset = swapped ? <i64>((<u64>lo << 32) | <u64>hi) : <i64>((<u64>hi << 32) | <u64>lo);
    }
    q = v + ((olen + 3) & ~3);
  }
  if (ifCount < MAX_IFACES) {
    unchecked(ifLink[ifCount] = link);
    unchecked(ifUnits[ifCount] = units);
    unchecked(ifOffset[ifCount] = offset);
  }
  ifCount++;
}

function pcapngBlocks(p: usize, end: usize): usize {
  while (p + PCAPNG_MIN_BLOCK <= end) {
    const raw = load<u32>(p);
    if (raw == PCAPNG_SHB) {
      const bom = load<u32>(p + 8);
      if (bom == PCAPNG_BOM) swapped = false;
      else if (bom == bswap<u32>(PCAPNG_BOM)) swapped = true;
      else {
        skipNonFrame(R_BAD_CAPTURE_RECORD);
        status = CAP_END;
        return end;
      }
    }
    const type = rd32(p);
    const blen = rd32(p + 4);
    if (blen < PCAPNG_MIN_BLOCK || (blen & 3) != 0) {
      skipNonFrame(R_BAD_CAPTURE_RECORD);
      status = CAP_END;
      return end;
    }
    if (p + <usize>blen > end) {
      if (blen > inputCap) {
        skipNonFrame(R_OVERSIZED_BLOCK);
        status = CAP_SKIP;
        skipBytes = blen;
      }
      return p;
    }
    if (type == PCAPNG_SHB) {
      ifCount = 0; // interfaces are numbered per section
    } else if (type == PCAPNG_IDB) {
      readIdb(p, blen);
    } else if (type == PCAPNG_EPB || type == PCAPNG_PB) {
      if (blen < 32) {
        skipNonFrame(R_BAD_CAPTURE_RECORD);
      } else {
        const iface = type == PCAPNG_EPB ? rd32(p + 8) : rd16(p + 8);
        const caplen = rd32(p + 20);
        if (<u64>caplen + 28 > <u64>(blen - 4)) {
          skipNonFrame(R_BAD_CAPTURE_RECORD);
        } else if (iface >= ifCount || iface >= MAX_IFACES) {
          skipNonFrame(R_UNKNOWN_INTERFACE);
        } else {
          const ts = pcapngTs(iface, rd32(p + 12), rd32(p + 16));
          // Per interface: its if_tsoffset and if_tsresol can put a packet outside every real time.
          if (!(ts >= 0 && ts <= MAX_TS_SECONDS)) { skipNonFrame(R_BAD_TIMESTAMP); p += <usize>blen; continue; }
          if (!decodeFrame(p + 28, caplen, unchecked(ifLink[iface]), ts, frameIndex)) {
            status = CAP_OUTPUT_FULL;
            return p;
          }
          frameIndex++;
        }
      }
    } else if (type == PCAPNG_SPB) {
      if (blen < 16) {
        skipNonFrame(R_BAD_CAPTURE_RECORD);
      } else if (ifCount == 0) {
        skipNonFrame(R_UNKNOWN_INTERFACE);
      } else {
        // SPB: no timestamp, interface 0, captured length = min(original, room in block) (§4.4).
        const caplen = min<u32>(rd32(p + 8), blen - 16);
        if (!decodeFrame(p + 12, caplen, unchecked(ifLink[0]), 0, frameIndex)) {
          status = CAP_OUTPUT_FULL;
          return p;
        }
        frameIndex++;
      }
    }
    p += <usize>blen;
    if (recCount >= recordsPerCall) {
      status = CAP_OUTPUT_FULL;
      return p;
    }
  }
  return p;
}
