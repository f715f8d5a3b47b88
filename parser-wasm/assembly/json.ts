// The records of the last call as JSON lines (`netmapper decode`'s output), written into a region of
// WASM memory so the host writes bytes instead of building strings. The text is exactly what
// JSON.stringify gives for the record object (parser-wasm/src/json-lines.ts, formatRecordJson):
// a record whose time this side cannot print exactly as JavaScript would is left to the host.
import {
  REC_SIZE, REC_KIND, REC_TRANSPORT, REC_IPVER, REC_RCODE, REC_SPORT, REC_DPORT, REC_TS, REC_SRC,
  REC_DST, REC_NAME_OFF, REC_NAME_LEN, REC_ANSWER_COUNT, REC_ANSWER_START, KIND_DNS, KIND_SYN,
  ANS_SIZE, ANS_TYPE, ANS_NAME_LEN, ANS_NAME_OFF, ANS_TTL, ANS_VALUE_LEN, ANS_VALUE,
  JSON_DONE, JSON_FULL, JSON_HOST,
} from './layout';
import { recBase, recCount, ansBase, nameBase } from './state';

const TYPE_A: u32 = 1;
const TYPE_AAAA: u32 = 28;
const PROTO_TCP: u8 = 6;
const TWO_30: f64 = 1073741824.0;
const TWO_31: f64 = 2147483648.0;
const USEC: f64 = 1e6;
/** Bytes a line needs besides its names: keys, addresses, numbers (an IPv6 address is at most 45). */
const LINE_FIXED: u32 = 256;
/** Per answer besides its two names: keys, type, an address or nothing, the TTL. */
const ANSWER_FIXED: u32 = 96;
/** A name's bytes at most 6 times over once escaped (`\u0001`). */
const ESCAPE_FACTOR: u32 = 6;

let outBase: usize = 0;
let outCap: u32 = 0;
let outUsed: u32 = 0;
let status: i32 = JSON_DONE;

/** Reserves the output region (once; later calls return the same one). */
export function jsonReserve(bytes: u32): usize {
  if (outBase == 0) {
    outBase = heap.alloc(<usize>bytes);
    outCap = bytes;
  }
  return outBase;
}
export function jsonBytes(): u32 { return outUsed; }
export function jsonStatus(): i32 { return status; }

// @ts-ignore: decorator
@inline function put(p: usize, c: u32): usize {
  store<u8>(p, <u8>c);
  return p + 1;
}

// Literal text (keys, fixed words) is stored once as bytes and copied 8 bytes at a time; the copy
// may run up to 7 bytes past the end, which the next write covers (the region keeps LINE_SLACK).
const LITERALS = new StaticArray<u8>(1024);
let litUsed: u32 = 0;
/** `s` (ASCII) as bytes in LITERALS: offset << 8 | length. */
function lit(s: string): u32 {
  const at = litUsed;
  for (let i = 0; i < s.length; i++) unchecked(LITERALS[at + <u32>i] = <u8>s.charCodeAt(i));
  litUsed += <u32>s.length + 8;
  return (at << 8) | <u32>s.length;
}
const LINE_SLACK: u32 = 8;
const L_DNS = lit('{"kind":"dns","ts":');
const L_SYN = lit('{"kind":"syn","ts":');
const L_SYNACK = lit('{"kind":"synack","ts":');
const L_SRC = lit(',"src":"');
const L_DST = lit('","dst":"');
const L_SPORT = lit('","sport":');
const L_DPORT = lit(',"dport":');
const L_SYN_END = lit(',"transport":"tcp"}\n');
const L_TCP_NAME = lit(',"transport":"tcp","name":');
const L_UDP_NAME = lit(',"transport":"udp","name":');
const L_RCODE = lit(',"rcode":');
const L_ANSWERS = lit(',"answers":[');
const L_ANS = lit('{"name":');
const L_A = lit(',"type":"A","value":"');
const L_AAAA = lit(',"type":"AAAA","value":"');
const L_CNAME = lit(',"type":"CNAME","value":');
const L_TTL = lit(',"ttl":');
const L_END = lit(']}\n');

// @ts-ignore: decorator
@inline function putLit(p: usize, l: u32): usize {
  const src = changetype<usize>(LITERALS) + <usize>(l >> 8);
  const n = <usize>(l & 0xff);
  for (let i: usize = 0; i < n; i += 8) store<u64>(p + i, load<u64>(src + i));
  return p + n;
}

/**
 * Copies `n` bytes of text written earlier in the region, 8 at a time: up to 7 bytes past the end
 * are written too, which the next write covers. `src` ends at least 8 bytes before `dst`.
 */
// @ts-ignore: decorator
@inline function copy(dst: usize, src: usize, n: usize): void {
  for (let i: usize = 0; i < n; i += 8) store<u64>(dst + i, load<u64>(src + i));
}

function putAscii(p: usize, s: string): usize {
  const n = s.length;
  for (let i = 0; i < n; i++) store<u8>(p + <usize>i, <u8>s.charCodeAt(i));
  return p + <usize>n;
}

/** "00" to "99": two digits per division. */
const DIGITS2 = new StaticArray<u8>(200);
for (let i = 0; i < 100; i++) {
  unchecked(DIGITS2[2 * i] = <u8>(0x30 + i / 10));
  unchecked(DIGITS2[2 * i + 1] = <u8>(0x30 + i % 10));
}

/** The last record's whole seconds and their digits (at most 10, in a 16-byte buffer). */
let lastSec: u32 = 0xffffffff;
let lastSecLen: u32 = 0;
const SEC_TEXT = new StaticArray<u8>(16);

// @ts-ignore: decorator
@inline function decimalLength(v: u32): usize {
  return v < 100000
    ? (v < 100 ? (v < 10 ? 1 : 2) : v < 1000 ? 3 : v < 10000 ? 4 : 5)
    : (v < 10000000 ? (v < 1000000 ? 6 : 7) : v < 100000000 ? 8 : v < 1000000000 ? 9 : 10);
}

function putU32(p: usize, v: u32): usize {
  const end = p + decimalLength(v);
  let q = end;
  const digits = changetype<usize>(DIGITS2);
  while (v >= 100) {
    const r = v % 100;
    v /= 100;
    q -= 2;
    store<u16>(q, load<u16>(digits + (<usize>r << 1)));
  }
  if (v >= 10) store<u16>(q - 2, load<u16>(digits + (<usize>v << 1)));
  else store<u8>(q - 1, <u8>(0x30 + v));
  return end;
}

/** Each octet's decimal text, up to 3 ASCII bytes packed little-endian, and its length. */
const OCTET_TEXT = new StaticArray<u32>(256);
const OCTET_LEN = new StaticArray<u8>(256);
for (let i = 0; i < 256; i++) {
  const len: u32 = i < 10 ? 1 : i < 100 ? 2 : 3;
  let v: u32 = 0;
  let x = <u32>i;
  for (let k = <i32>len - 1; k >= 0; k--) {
    v |= (0x30 + x % 10) << (<u32>k * 8);
    x /= 10;
  }
  unchecked(OCTET_TEXT[i] = v);
  unchecked(OCTET_LEN[i] = <u8>len);
}

// @ts-ignore: decorator
@inline function putOctet(p: usize, b: u32): usize {
  store<u32>(p, unchecked(OCTET_TEXT[b])); // writes 4 bytes; the next write covers the spare ones
  return p + <usize>unchecked(OCTET_LEN[b]);
}

function putIpv4(p: usize, a: usize): usize {
  p = putOctet(p, load<u8>(a));
  p = put(p, 0x2e);
  p = putOctet(p, load<u8>(a, 1));
  p = put(p, 0x2e);
  p = putOctet(p, load<u8>(a, 2));
  p = put(p, 0x2e);
  return putOctet(p, load<u8>(a, 3));
}

function putHex16(p: usize, v: u32): usize {
  let started = false;
  for (let shift: i32 = 12; shift >= 0; shift -= 4) {
    const d = (v >> shift) & 15;
    if (d == 0 && !started && shift != 0) continue;
    started = true;
    p = put(p, d < 10 ? 0x30 + d : 0x57 + d);
  }
  return p;
}

// @ts-ignore: decorator
@inline function group(a: usize, i: i32): u32 {
  return (<u32>load<u8>(a + <usize>(2 * i)) << 8) | <u32>load<u8>(a + <usize>(2 * i + 1));
}

/** RFC 5952: lower-case hex, no leading zeros, the first longest run (≥ 2) of zero groups as `::`; IPv4-mapped kept dotted. */
function putIpv6(p: usize, a: usize): usize {
  let bestStart: i32 = -1;
  let bestLen: i32 = 1;
  for (let i: i32 = 0; i < 8;) {
    if (group(a, i) != 0) { i++; continue; }
    let j = i;
    while (j < 8 && group(a, j) == 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  if (bestStart == 0 && bestLen == 5 && group(a, 5) == 0xffff) {
    p = putAscii(p, '::ffff:');
    return putIpv4(p, a + 12);
  }
  for (let i: i32 = 0; i < 8; i++) {
    if (i == bestStart) {
      p = put(p, 0x3a);
      p = put(p, 0x3a);
      i += bestLen - 1;
      continue;
    }
    if (i > 0 && i != bestStart + bestLen) p = put(p, 0x3a);
    p = putHex16(p, group(a, i));
  }
  return p;
}

function putIp(p: usize, a: usize, ver: u8): usize {
  return ver == 4 ? putIpv4(p, a) : putIpv6(p, a);
}

const ONES: u64 = 0x0101010101010101;
const HIGHS: u64 = 0x8080808080808080;
const PLAIN: u64 = 0x6161616161616161; // 'a' in every byte: never escaped

/** True when a byte of `w` is below 0x20, is `"` or `\`, or is 0x80 or above: it needs more than a copy. */
// @ts-ignore: decorator
@inline function needsEscape(w: u64): bool {
  const low = (w - ONES * 0x20) & ~w;
  const q = w ^ (ONES * 0x22);
  const b = w ^ (ONES * 0x5c);
  return ((low | w | ((q - ONES) & ~q) | ((b - ONES) & ~b)) & HIGHS) != 0;
}

/** A name (Latin-1 bytes) as a JSON string: `"` `\` and control characters escaped as JSON.stringify does, bytes ≥ 0x80 as UTF-8. */
function putName(p: usize, src: usize, len: u32): usize {
  p = put(p, 0x22);
  let i: usize = 0;
  // Plain names (nearly all) are copied 8 bytes at a time.
  while (i + 8 <= <usize>len) {
    const w = load<u64>(src + i);
    if (needsEscape(w)) break;
    store<u64>(p, w);
    p += 8;
    i += 8;
  }
  // The last 1–7 bytes as one word too when plain: the bytes past the name are read (WASM memory
  // goes on) and written past the end, where the closing quote and the rest of the line land.
  const rest = <usize>len - i;
  if (rest > 0 && rest < 8) {
    const keep = (<u64>1 << (<u64>rest << 3)) - 1;
    const w = load<u64>(src + i) & keep;
    if (!needsEscape(w | (PLAIN & ~keep))) {
      store<u64>(p, w);
      p += rest;
      i = <usize>len;
    }
  }
  for (; i < <usize>len; i++) {
    const c = <u32>load<u8>(src + i);
    if (c >= 0x20 && c != 0x22 && c != 0x5c && c < 0x80) { p = put(p, c); continue; }
    if (c >= 0x80) {
      p = put(p, 0xc0 | (c >> 6));
      p = put(p, 0x80 | (c & 0x3f));
      continue;
    }
    p = put(p, 0x5c);
    if (c == 0x22 || c == 0x5c) p = put(p, c);
    else if (c == 0x08) p = put(p, 0x62); // \b
    else if (c == 0x0c) p = put(p, 0x66); // \f
    else if (c == 0x0a) p = put(p, 0x6e); // \n
    else if (c == 0x0d) p = put(p, 0x72); // \r
    else if (c == 0x09) p = put(p, 0x74); // \t
    else {
      p = putAscii(p, 'u00');
      p = put(p, 0x30 + (c >> 4));
      const lo = c & 15;
      p = put(p, lo < 10 ? 0x30 + lo : 0x57 + lo);
    }
  }
  return put(p, 0x22);
}

/**
 * The time as JavaScript prints it, when that is provably `seconds.micro` with trailing zeros cut:
 * from 2^30 to 2^31 s (2004–2038) doubles are 2^-22 s apart, finer than a microsecond, so a
 * time computed as `sec + usec / 1e6` is the double nearest that decimal and no shorter decimal
 * (nor another of the same length) rounds to it. Returns 0 when the host must print it.
 */
function putTs(p: usize, ts: f64): usize {
  if (!(ts >= TWO_30 && ts < TWO_31)) return 0;
  const sec = floor(ts);
  const usec = <u32>nearest((ts - sec) * USEC);
  if (usec >= 1000000 || sec + <f64>usec / USEC != ts) return 0;
  // Consecutive records mostly share their second: its digits are kept and copied.
  const s = <u32>sec;
  if (s != lastSec) {
    lastSec = s;
    lastSecLen = <u32>(putU32(changetype<usize>(SEC_TEXT), s) - changetype<usize>(SEC_TEXT));
  }
  store<u64>(p, load<u64>(changetype<usize>(SEC_TEXT)));
  store<u64>(p, load<u64>(changetype<usize>(SEC_TEXT), 8), 8);
  p += <usize>lastSecLen;
  if (usec == 0) return p;
  // ".dddddd" as three pairs of digits, then the trailing zeros cut.
  const digits = changetype<usize>(DIGITS2);
  const hi = usec / 10000;
  const rest = usec - hi * 10000;
  const mid = rest / 100;
  store<u8>(p, 0x2e);
  store<u16>(p, load<u16>(digits + (<usize>hi << 1)), 1);
  store<u16>(p, load<u16>(digits + (<usize>mid << 1)), 3);
  store<u16>(p, load<u16>(digits + (<usize>(rest - mid * 100) << 1)), 5);
  let end = p + 7;
  while (load<u8>(end - 1) == 0x30) end--;
  return end;
}

/** Bytes an answer's line part can take at most: its two names (255 each, escaped 6×) and the rest. */
const ANSWER_MAX: u32 = ANSWER_FIXED + 2 * 255 * ESCAPE_FACTOR;

/** The most bytes record `r`'s line can take (a bound from the answer count, not a walk over the answers). */
function worstCase(r: usize): u32 {
  if (load<u8>(r, REC_KIND) != <u8>KIND_DNS) return LINE_FIXED;
  return LINE_FIXED + <u32>load<u16>(r, REC_NAME_LEN) * ESCAPE_FACTOR + <u32>load<u16>(r, REC_ANSWER_COUNT) * ANSWER_MAX;
}

/** Writes record `r`'s line at `p`; returns the end, or 0 when the host must write it. */
function putRecord(p: usize, r: usize): usize {
  const kind = <i32>load<u8>(r, REC_KIND);
  const ver = load<u8>(r, REC_IPVER);
  p = putLit(p, kind == KIND_DNS ? L_DNS : kind == KIND_SYN ? L_SYN : L_SYNACK);
  p = putTs(p, load<f64>(r, REC_TS));
  if (p == 0) return 0;
  p = putLit(p, L_SRC);
  p = putIp(p, r + REC_SRC, ver);
  p = putLit(p, L_DST);
  p = putIp(p, r + REC_DST, ver);
  p = putLit(p, L_SPORT);
  p = putU32(p, load<u16>(r, REC_SPORT));
  p = putLit(p, L_DPORT);
  p = putU32(p, load<u16>(r, REC_DPORT));
  if (kind != KIND_DNS) return putLit(p, L_SYN_END);
  p = putLit(p, load<u8>(r, REC_TRANSPORT) == PROTO_TCP ? L_TCP_NAME : L_UDP_NAME);
  const qOff = load<u32>(r, REC_NAME_OFF);
  const qLen = <u32>load<u16>(r, REC_NAME_LEN);
  const qText = p;
  p = putName(p, nameBase + <usize>qOff, qLen);
  const qTextLen = p - qText;
  p = putLit(p, L_RCODE);
  p = putU32(p, load<u8>(r, REC_RCODE));
  p = putLit(p, L_ANSWERS);
  const count = <u32>load<u16>(r, REC_ANSWER_COUNT);
  const start = load<u32>(r, REC_ANSWER_START);
  // An answer with the previous one's owner and type starts with the same text (the decoder stores
  // a repeated owner once, so the same offset means the same name): that text is copied.
  let prevOff: u32 = 0xffffffff;
  let prevLen: u32 = 0;
  let prevType: u32 = 0;
  let prefix: usize = 0;
  let prefixLen: usize = 0;
  for (let j: u32 = 0; j < count; j++) {
    const a = ansBase + <usize>(start + j) * <usize>ANS_SIZE;
    const type = <u32>load<u16>(a, ANS_TYPE);
    const off = load<u32>(a, ANS_NAME_OFF);
    const len = <u32>load<u16>(a, ANS_NAME_LEN);
    if (j != 0) p = put(p, 0x2c);
    if (off == prevOff && len == prevLen && type == prevType) {
      copy(p, prefix, prefixLen);
      p += prefixLen;
    } else {
      const at = p;
      p = putLit(p, L_ANS);
      if (off == qOff && len == qLen) {
        copy(p, qText, qTextLen); // the owner is the question's name, written above
        p += qTextLen;
      } else {
        p = putName(p, nameBase + <usize>off, len);
      }
      p = putLit(p, type == TYPE_A ? L_A : type == TYPE_AAAA ? L_AAAA : L_CNAME);
      prevOff = off;
      prevLen = len;
      prevType = type;
      prefix = at;
      prefixLen = p - at;
    }
    if (type == TYPE_A || type == TYPE_AAAA) {
      p = putIp(p, a + ANS_VALUE, type == TYPE_A ? 4 : 6);
      p = put(p, 0x22);
    } else {
      p = putName(p, nameBase + <usize>load<u32>(a, ANS_VALUE), load<u16>(a, ANS_VALUE_LEN));
    }
    p = putLit(p, L_TTL);
    p = putU32(p, load<u32>(a, ANS_TTL));
    p = put(p, 0x7d);
  }
  return putLit(p, L_END);
}

/**
 * Writes the lines of records [from, recordCount()) into the output region, from its start.
 * Returns the index of the first record not written; jsonStatus() says why it stopped: JSON_DONE
 * (all written), JSON_FULL (the region is full: take jsonBytes(), call again), JSON_HOST (that
 * record's line is the host's to write: its time, or a line bigger than the whole region).
 */
export function jsonWrite(from: u32): u32 {
  outUsed = 0;
  let p = outBase;
  const end = outBase + <usize>outCap;
  for (let i = from; i < recCount; i++) {
    const r = recBase + <usize>i * <usize>REC_SIZE;
    const need = worstCase(r);
    if (p + <usize>(need + LINE_SLACK) > end) {
      status = p == outBase ? JSON_HOST : JSON_FULL;
      return i;
    }
    const q = putRecord(p, r);
    if (q == 0) {
      status = JSON_HOST;
      return i;
    }
    p = q;
    outUsed = <u32>(p - outBase);
  }
  status = JSON_DONE;
  return recCount;
}
