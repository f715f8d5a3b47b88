// IP address parsing, canonical text (RFC 5952 for IPv6) and the "private or special" ranges,
// without Node's `net` so that the app stays runtime-agnostic.

export type IpBytes = Uint8Array; // 4 or 16 bytes

/** Parses dotted-quad IPv4 (RFC 791, no leading zeros, no short forms); undefined when not one. */
export function parseIpv4(s: string): IpBytes | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i];
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

/** Parses IPv6 text (RFC 4291 §2.2: `::` once, embedded IPv4 tail); zone ids are rejected. */
export function parseIpv6(s: string): IpBytes | undefined {
  if (s.length < 2 || s.length > 45 || s.includes('%')) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    const parts = h.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (i === parts.length - 1 && p.includes('.')) {
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
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((g, i) => { out[2 * i] = g >> 8; out[2 * i + 1] = g & 0xff; });
  return out;
}

export function parseIp(s: string): IpBytes | undefined {
  return s.includes(':') ? parseIpv6(s) : parseIpv4(s);
}

/** One canonical text form for the whole controller (the cluster index keys on it): dotted quad, RFC 5952
 *  IPv6 with IPv4-mapped addresses kept dotted (§5), as the decoder prints them. */
export { canonicalIp } from '../cluster/ip.ts';

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
