// IP address helpers shared by the socket scan and the record mapping: text forms that match what
// the decoder prints (dotted IPv4, RFC 5952 IPv6) so that the same address always makes the same key.

/** RFC 5952 §4: lower case, no leading zeros, the longest run (≥ 2) of zero groups as `::`, leftmost on a tie. */
export function formatIpv6(groups: ArrayLike<number>): string {
  let bestStart = -1, bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => groups[from + k]!.toString(16)).join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLen, 8)}`;
}

/** `::ffff:a.b.c.d` (RFC 4291 §2.5.5.2) as groups → the dotted IPv4 it carries, else undefined. */
export function mappedIpv4(groups: ArrayLike<number>): string | undefined {
  for (let i = 0; i < 5; i++) if (groups[i] !== 0) return undefined;
  if (groups[5] !== 0xffff) return undefined;
  const hi = groups[6]!, lo = groups[7]!;
  return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
}

/** 127.0.0.0/8 (RFC 1122 §3.2.1.3), ::1 (RFC 4291 §2.5.3) and their IPv4-mapped forms. */
export function isLoopback(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1' || ip.startsWith('::ffff:127.');
}
