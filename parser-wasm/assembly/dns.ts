// DNS responses (RFC 1035 §4.1): queried name, A/AAAA/CNAME answers with TTL, rcode.
import {
  KIND_DNS, REC_RCODE, REC_NAME_OFF, REC_NAME_LEN, REC_ANSWER_COUNT, REC_ANSWER_START,
  ANS_SIZE, ANS_TYPE, ANS_NAME_LEN, ANS_NAME_OFF, ANS_TTL, ANS_VALUE_LEN, ANS_VALUE,
  R_DNS_QUERY, R_DNS_TRUNCATED, R_DNS_BAD_COUNT, R_DNS_POINTER_LOOP, R_DNS_BAD_POINTER,
  R_DNS_LABEL_TOO_LONG, R_DNS_NAME_TOO_LONG, R_DNS_BAD_RDATA, R_OUTPUT_OVERFLOW,
} from './layout';
import { ansBase, ansCount, setAnsCount, nameBase, nameUsed, setNameUsed, nameFits, answerFits } from './state';
import { emitRecord, be16, be32 } from './context';

const DNS_HDR_LEN: usize = 12;
const QR_FLAG: u32 = 0x8000; // RFC 1035 §4.1.1
const RCODE_MASK: u32 = 0x000f;
const TYPE_A: u32 = 1;
const TYPE_CNAME: u32 = 5;
const TYPE_AAAA: u32 = 28;
const MAX_NAME_WIRE: u32 = 255; // RFC 1035 §2.3.4, counting length octets and the root
const POINTER_MASK: u32 = 0xc0;
const MIN_QUESTION: u32 = 5; // root name + type + class
const MIN_RR: u32 = 11; // root name + type, class, ttl, rdlength
const TTL_TOP_BIT: u32 = 0x80000000;

const HEPTETS: u64 = 0x7f7f7f7f7f7f7f7f;
const HIGH_BITS: u64 = 0x8080808080808080;

/** Eight bytes with each of 'A'..'Z' lower-cased: a byte's high bit marks it ≥ 'A' and ≤ 'Z' and ASCII. */
// @ts-ignore: decorator
@inline function lower8(w: u64): u64 {
  const h = w & HEPTETS;
  const aboveZ = h + 0x2525252525252525; // high bit set where the byte's low 7 bits > 0x5a
  const fromA = h + 0x3f3f3f3f3f3f3f3f; // high bit set where they are ≥ 0x41
  return w | (((aboveZ ^ fromA) & ~w & HIGH_BITS) >> 2);
}

/** Length in bytes of the last name written by readName. */
let lastNameLen: u32 = 0;

/**
 * Reads the domain name at `p` in the message [msg, end), writing it lower-case and dotted at
 * `out`. Returns the position just past the name where it was encoded, or -reason.
 */
function readName(msg: usize, end: usize, p: usize, out: usize): isize {
  let wire: u32 = 1;
  let written: u32 = 0;
  let next: usize = 0;
  let jumped = false;
  // RFC 1035 §4.1.4: a pointer refers to a *prior* occurrence. Each pointer must go strictly
  // before every byte read so far, so the walk always terminates.
  let lowest = p;
  // Highest byte read so far: a pointer into [lowest, highest] goes back into this very walk.
  let highest = p;
  while (true) {
    if (p >= end) return -R_DNS_TRUNCATED;
    const len = <u32>load<u8>(p);
    if (len == 0) {
      if (!jumped) next = p + 1;
      break;
    }
    const top = len & POINTER_MASK;
    if (top == POINTER_MASK) {
      if (p + 2 > end) return -R_DNS_TRUNCATED;
      const target = msg + ((<usize>(len & 0x3f) << 8) | <usize>load<u8>(p, 1));
      highest = max<usize>(highest, p + 1);
      if (!jumped) {
        next = p + 2;
        jumped = true;
      }
      if (target >= lowest) return target <= highest ? -R_DNS_POINTER_LOOP : -R_DNS_BAD_POINTER;
      lowest = target;
      p = target;
      continue;
    }
    // RFC 1035 §2.3.4: labels are 63 octets or less; 0x40 and 0x80 prefixes are not lengths
    // (extended label types were retired by RFC 6891 §5).
    if (top != 0) return -R_DNS_LABEL_TOO_LONG;
    if (p + 1 + <usize>len > end) return -R_DNS_TRUNCATED;
    highest = max<usize>(highest, p + <usize>len);
    wire += len + 1;
    if (wire > MAX_NAME_WIRE) return -R_DNS_NAME_TOO_LONG;
    if (written != 0) {
      store<u8>(out + <usize>written, 0x2e);
      written++;
    }
    const src = p + 1;
    const dst = out + <usize>written;
    // ASCII lower-case (RFC 4343), 8 bytes at a time: 'A'..'Z' get 0x20 added, nothing else changes.
    // The last word runs up to 7 bytes past the label on both sides: WASM memory goes on after
    // the input, the next label or the next name overwrites the spare bytes, and the name area
    // has NAME_SLACK bytes past its end for the last one.
    for (let i: usize = 0; i < <usize>len; i += 8) store<u64>(dst + i, lower8(load<u64>(src + i)));
    written += len;
    p += 1 + <usize>len;
  }
  lastNameLen = written;
  return <isize>next;
}

// Names this message has decoded, by where they start in it: an answer's owner (and often a CNAME
// target) is a compression pointer to one of them, so it is that name again (RFC 1035 §4.1.4),
// already lower-cased in the name area. The walk from the pointer could not end differently: every
// pointer of the earlier walk went before each byte read, and the new walk only adds the pointer
// itself, after them all.
const NAME_CACHE: i32 = 8;
const cacheWire = new StaticArray<u32>(NAME_CACHE);
const cacheOff = new StaticArray<u32>(NAME_CACHE);
const cacheLen = new StaticArray<u32>(NAME_CACHE);
let cacheCount: i32 = 0;
/** Where (in the name area) the name readCached found or wrote is, and whether it was found. */
let lastNameOff: u32 = 0;
let lastNameHit = false;

/** readName, or the name already decoded when `p` holds only a pointer to one; writes at `used` otherwise. */
// @ts-ignore: decorator
@inline function readCached(msg: usize, end: usize, p: usize, used: u32): isize {
  if (p + 2 <= end) {
    const b = <u32>load<u8>(p);
    if ((b & POINTER_MASK) == POINTER_MASK) {
      const target = ((b & 0x3f) << 8) | <u32>load<u8>(p, 1);
      if (msg + <usize>target < p) {
        for (let k = 0; k < cacheCount; k++) {
          if (unchecked(cacheWire[k]) == target) {
            lastNameOff = unchecked(cacheOff[k]);
            lastNameLen = unchecked(cacheLen[k]);
            lastNameHit = true;
            return <isize>(p + 2);
          }
        }
      }
    }
  }
  lastNameHit = false;
  lastNameOff = used;
  return readName(msg, end, p, nameBase + <usize>used);
}

/** Remembers that the name starting at `p` is `len` bytes at `off` in the name area. */
// @ts-ignore: decorator
@inline function remember(msg: usize, p: usize, off: u32, len: u32): void {
  if (cacheCount < NAME_CACHE) {
    unchecked(cacheWire[cacheCount] = <u32>(p - msg));
    unchecked(cacheOff[cacheCount] = off);
    unchecked(cacheLen[cacheCount] = len);
    cacheCount++;
  }
}

/** Walks over a name without writing it; returns the position after it or -reason. */
function skipName(msg: usize, end: usize, p: usize, used: u32): isize {
  // Questions after the first are rare; reuse readName with the scratch space past `used`.
  if (!nameFits(used)) return -R_OUTPUT_OVERFLOW;
  return readName(msg, end, p, nameBase + <usize>used);
}

/**
 * Decodes one DNS message [msg, end). Emits a record for a response (QR=1); returns 0, or
 * -reason with nothing emitted.
 */
export function parseDns(msg: usize, end: usize): i32 {
  if (msg + DNS_HDR_LEN > end) return -R_DNS_TRUNCATED;
  const flags = be16(msg + 2);
  if ((flags & QR_FLAG) == 0) return -R_DNS_QUERY;
  const qd = be16(msg + 4);
  const an = be16(msg + 6);
  const room = <u32>(end - msg - DNS_HDR_LEN);
  // Counts that cannot fit the message are a lie, not a truncation (RFC 1035 §4.1.1).
  if (qd * MIN_QUESTION + an * MIN_RR > room) return -R_DNS_BAD_COUNT;

  const nameStart = nameUsed;
  cacheCount = 0;
  // Nothing is committed until the message decodes whole: a failure just returns.
  const ansStart = ansCount;
  let p = msg + DNS_HDR_LEN;
  let qnameLen: u32 = 0;
  let used = nameUsed;
  for (let i: u32 = 0; i < qd; i++) {
    if (!nameFits(used)) return -R_OUTPUT_OVERFLOW;
    const r = i == 0 ? readName(msg, end, p, nameBase + <usize>used) : skipName(msg, end, p, used);
    if (r < 0) return <i32>r;
    if (i == 0) {
      qnameLen = lastNameLen;
      remember(msg, p, used, qnameLen);
      used += qnameLen;
    }
    p = <usize>r + 4;
    if (p > end) return -R_DNS_TRUNCATED;
  }

  // The last name stored: an answer's owner usually repeats it (the question, or the previous
  // CNAME target), and then shares its bytes, so the host decodes each distinct name once.
  let prevOff = nameStart;
  let prevLen = qnameLen;
  let ans = ansCount;
  for (let i: u32 = 0; i < an; i++) {
    // Room for the owner and a CNAME target, checked before writing (RFC 1035 §2.3.4 caps each at 255).
    if (!nameFits(used + 256) || !answerFits(ans)) return -R_OUTPUT_OVERFLOW;
    const ownerAt = p;
    const r = readCached(msg, end, p, used);
    if (r < 0) return <i32>r;
    let ownerOff = lastNameOff;
    const ownerLen = lastNameLen;
    const ownerHit = lastNameHit;
    p = <usize>r;
    if (p + 10 > end) return -R_DNS_TRUNCATED;
    const type = be16(p);
    // RFC 2181 §8: a TTL is 0..2^31-1; a value with the top bit set is treated as zero.
    const rawTtl = be32(p + 4);
    const ttl = rawTtl & TTL_TOP_BIT ? 0 : rawTtl;
    const rdlen = <usize>be16(p + 8);
    const rdata = p + 10;
    const rdEnd = rdata + rdlen;
    if (rdEnd > end) return -R_DNS_TRUNCATED;
    p = rdEnd;
    if (type != TYPE_A && type != TYPE_AAAA && type != TYPE_CNAME) continue; // owner bytes reused
    const a = ansBase + <usize>ans * <usize>ANS_SIZE;
    if (ownerHit) {
      prevOff = ownerOff;
      prevLen = ownerLen;
    } else {
      if (ownerLen == prevLen && memory.compare(nameBase + <usize>used, nameBase + <usize>prevOff, <usize>ownerLen) == 0) {
        ownerOff = prevOff;
      } else {
        used += ownerLen;
        prevOff = ownerOff;
        prevLen = ownerLen;
      }
      remember(msg, ownerAt, ownerOff, ownerLen);
    }
    store<u16>(a, <u16>type, ANS_TYPE);
    store<u16>(a, <u16>ownerLen, ANS_NAME_LEN);
    store<u32>(a, ownerOff, ANS_NAME_OFF);
    store<u32>(a, ttl, ANS_TTL);
    if (type == TYPE_A) {
      if (rdlen != 4) return -R_DNS_BAD_RDATA; // RFC 1035 §3.4.1
      store<u16>(a, 4, ANS_VALUE_LEN);
      store<u32>(a, load<u32>(rdata), ANS_VALUE);
    } else if (type == TYPE_AAAA) {
      if (rdlen != 16) return -R_DNS_BAD_RDATA; // RFC 3596 §2.2
      store<u16>(a, 16, ANS_VALUE_LEN);
      store<u64>(a, load<u64>(rdata), ANS_VALUE);
      store<u64>(a, load<u64>(rdata, 8), ANS_VALUE + 8);
    } else {
      const t = readCached(msg, end, rdata, used);
      if (t < 0) return <i32>t;
      // RFC 1035 §3.3.1: the CNAME's RDATA is exactly one name.
      if (<usize>t > rdEnd) return -R_DNS_BAD_RDATA;
      store<u16>(a, <u16>lastNameLen, ANS_VALUE_LEN);
      store<u32>(a, lastNameOff, ANS_VALUE);
      prevOff = lastNameOff;
      prevLen = lastNameLen;
      if (!lastNameHit) {
        remember(msg, rdata, used, lastNameLen);
        used += lastNameLen;
      }
    }
    ans++;
  }

  setAnsCount(ans);
  setNameUsed(used);
  const rec = emitRecord(KIND_DNS);
  if (rec == 0) return -R_OUTPUT_OVERFLOW;
  store<u8>(rec, <u8>(flags & RCODE_MASK), REC_RCODE);
  store<u32>(rec, nameStart, REC_NAME_OFF);
  store<u16>(rec, <u16>qnameLen, REC_NAME_LEN);
  store<u16>(rec, <u16>(ans - ansStart), REC_ANSWER_COUNT);
  store<u32>(rec, ansStart, REC_ANSWER_START);
  return 0;
}

