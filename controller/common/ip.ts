// The one IP module for every role: parse text (RFC 791 dotted quad, RFC 4291 §2.2 IPv6), print the
// canonical text (RFC 5952, through the decoder's byte formatter so the sniffer, the decoder and the
// controller key an address identically), and the address classes the roles need. No `node:net`,
// so the controller's app stays runtime-agnostic.

import { formatIpv4, formatIpv6 as formatIpv6Bytes } from '../../parser-wasm/src/ip-format.ts';

export type IpBytes = Uint8Array; // 4 or 16 bytes

const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** Parses dotted-quad IPv4 (RFC 791, no leading zeros, no short forms); undefined when not one. */
export function parseIpv4(s: string): IpBytes | undefined {
  // Four parts of 1–3 digits, no leading zero, each at most 255: one pass, no split or regex.
  const out = new Uint8Array(4);
  let part = 0;
  let digits = 0;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === DOT) {
      if (digits === 0 || part === 3 || n > 255) return undefined;
      out[part++] = n;
      digits = 0;
      n = 0;
      continue;
    }
    if (c < DIGIT_0 || c > DIGIT_9 || digits === 3 || (digits === 1 && n === 0)) return undefined;
    n = n * 10 + (c - DIGIT_0);
    digits++;
  }
  if (part !== 3 || digits === 0 || n > 255) return undefined;
  out[3] = n;
  return out;
}

/** Parses IPv6 text (RFC 4291 §2.2: `::` once, embedded IPv4 tail); zone ids are refused (not pod addresses). */
export function parseIpv6(s: string): IpBytes | undefined {
  if (s.length < 2 || s.length > 45 || s.includes('%')) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string, last: boolean): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    const parts = h.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (last && i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIpv4(p);
        if (!v4) return undefined;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return undefined;
        out.push(parseInt(p, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0], halves.length === 1);
  const tail = halves.length === 2 ? groups(halves[1], true) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return groupsToBytes(all);
}

export function parseIp(s: string): IpBytes | undefined {
  return s.includes(':') ? parseIpv6(s) : parseIpv4(s);
}

function groupsToBytes(groups: ArrayLike<number>): IpBytes {
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) { out[2 * i] = groups[i]! >> 8; out[2 * i + 1] = groups[i]! & 0xff; }
  return out;
}

/** Text of 4 or 16 bytes: dotted quad, or RFC 5952 §4 IPv6 with IPv4-mapped addresses dotted (§5). */
export function formatIp(b: IpBytes): string {
  return b.length === 4 ? formatIpv4(b, 0) : formatIpv6Bytes(b, 0);
}

/** Eight 16-bit groups (as /proc/net/tcp6 gives them) → RFC 5952 text. */
export function formatIpv6Groups(groups: ArrayLike<number>): string {
  return formatIpv6Bytes(groupsToBytes(groups), 0);
}

/**
 * The one canonical text of an address, or undefined when `text` is not one. Every map key in the
 * controller (cluster index, reports, snapshots) goes through here.
 * @example canonicalIp('FD00:10:244:0:0:0:0:30') === 'fd00:10:244::30'
 * @example canonicalIp('::FFFF:10.0.0.1') === '::ffff:10.0.0.1'   (IPv4-mapped stays IPv6, dotted)
 */
export function canonicalIp(text: string): string | undefined {
  if (isCanonicalIpv4(text)) return text;   // most addresses: already canonical, no lookup (the cache thrashes past 64k pod IPs)
  let c = canonical.get(text);
  if (c === undefined && !canonical.has(text)) {
    const b = parseIp(text);
    c = b && formatIp(b);
    if (canonical.size >= CANONICAL_CACHE_MAX) canonical.clear();
    canonical.set(text, c);
  }
  return c;
}

/** A dotted quad already in canonical form (four decimal octets ≤ 255, no leading zeros) → a signed 32-bit
 *  integer; any other text is returned as it is. Checked and computed in one pass: cluster/ip-key.ts keys its
 *  tables by it, on every address resolution asks about. */
export function canonicalIpv4Key(s: string): number | string {
  const n = s.length;
  if (n < 7 || n > 15) return s;
  let value = 0, octet = 0, digits = 0, dots = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2e) {
      if (digits === 0 || ++dots > 3) return s;
      value = (value << 8) | octet;
      octet = 0; digits = 0;
    } else {
      const d = c - 0x30;
      if (d < 0 || d > 9 || (digits === 1 && octet === 0)) return s;   // not a digit, or after a leading zero
      octet = octet * 10 + d;
      if (octet > 255) return s;   // also a fourth digit: no leading zero, so 1000 or more
      digits++;
    }
  }
  return dots === 3 && digits > 0 ? (value << 8) | octet : s;
}

/** True for a dotted quad already in canonical form: four decimal octets ≤ 255 without leading zeros. */
export function isCanonicalIpv4(s: string): boolean {
  return typeof canonicalIpv4Key(s) === 'number';
}

/** canonicalIp runs on every address of every record: the same few thousand addresses, mostly. */
const CANONICAL_CACHE_MAX = 1 << 16;
const canonical = new Map<string, string | undefined>();

/** `::ffff:a.b.c.d` (RFC 4291 §2.5.5.2) as eight groups → the dotted IPv4 it carries, else undefined.
 *  For sockets: an IPv4 connection on a dual-stack socket is an IPv4 flow on the wire. */
export function unmappedIpv4(groups: ArrayLike<number>): string | undefined {
  for (let i = 0; i < 5; i++) if (groups[i] !== 0) return undefined;
  if (groups[5] !== 0xffff) return undefined;
  const hi = groups[6]!, lo = groups[7]!;
  return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
}

/** 127.0.0.0/8 (RFC 1122 §3.2.1.3), ::1 (RFC 4291 §2.5.3) and their IPv4-mapped forms; canonical text in. */
export function isLoopback(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1' || ip.startsWith('::ffff:127.');
}

/** Ranges that are never "the Internet": RFC 1918, RFC 6598 CGNAT, loopback, link-local, RFC 4193 ULA, ... */
export function isPrivateOrSpecial(b: IpBytes): boolean {
  if (b.length === 4) {
    const [a, c] = b;
    return a === 10 || a === 127 || a === 0 || (a === 172 && (c & 0xf0) === 16) || (a === 192 && c === 168)
      || (a === 169 && c === 254) || (a === 100 && (c & 0xc0) === 64) || a >= 224;
  }
  if (b.every((x) => x === 0)) return true;                                    // ::
  if (b.slice(0, 15).every((x) => x === 0) && b[15] === 1) return true;        // ::1
  if ((b[0] & 0xfe) === 0xfc) return true;                                     // fc00::/7 (RFC 4193)
  if (b[0] === 0xfe && (b[1] & 0xc0) === 0x80) return true;                    // fe80::/10
  if (b[0] === 0xff) return true;                                              // multicast
  if (b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) {
    return isPrivateOrSpecial(b.slice(12));                                    // ::ffff:a.b.c.d
  }
  return false;
}

/** True when IPv4 addresses `a` and `b` share their first `prefix` bits (`b` undefined: false). */
export function sameIpv4Prefix(a: IpBytes, b: IpBytes | undefined, prefix: number): boolean {
  if (!b || a.length !== 4 || b.length !== 4) return false;
  const n = (x: IpBytes) => ((x[0] << 24) | (x[1] << 16) | (x[2] << 8) | x[3]) >>> 0;
  const mask = prefix <= 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return ((n(a) & mask) >>> 0) === ((n(b) & mask) >>> 0);
}
