// IP addresses from raw bytes to text: dotted quad, and IPv6 in RFC 5952 canonical form.

export function formatIpv4(b: Uint8Array, off: number): string {
  return `${b[off]}.${b[off + 1]}.${b[off + 2]}.${b[off + 3]}`;
}

/** RFC 5952 §4: lower-case hex, no leading zeros, the longest run (≥2) of zero groups as '::'. */
export function formatIpv6(b: Uint8Array, off: number): string {
  const g: number[] = new Array(8);
  for (let i = 0; i < 8; i++) g[i] = (b[off + 2 * i] << 8) | b[off + 2 * i + 1];
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  // RFC 5952 §5: an IPv4-mapped address keeps its dotted quad.
  if (bestStart === 0 && bestLen === 5 && g[5] === 0xffff) return `::ffff:${formatIpv4(b, off + 12)}`;
  if (bestStart < 0) return g.map((x) => x.toString(16)).join(':');
  const head = g.slice(0, bestStart).map((x) => x.toString(16)).join(':');
  const tail = g.slice(bestStart + bestLen).map((x) => x.toString(16)).join(':');
  return `${head}::${tail}`;
}
