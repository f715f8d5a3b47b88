// The key an IP address is indexed under: a canonical dotted quad as one 32-bit integer, anything else
// (IPv6, text that is not canonical) as itself. A lookup by integer compares the number held in the
// table; by string it reads the stored key string too, a cache miss per lookup in a table of 150k pods.

/** `a.b.c.d` (canonical: no leading zeros, octets ≤ 255) → a signed 32-bit integer; other text unchanged.
 *  Numbers and strings never compare equal as Map keys, so the two kinds of key cannot collide.
 *  One pass, checking and computing together: it runs on every address resolution asks about. */
export function ipKey(ip: string): number | string {
  const n = ip.length;
  if (n < 7 || n > 15) return ip;
  let value = 0, octet = 0, digits = 0, dots = 0;
  for (let i = 0; i < n; i++) {
    const c = ip.charCodeAt(i);
    if (c === 0x2e) {
      if (digits === 0 || ++dots > 3) return ip;
      value = (value << 8) | octet;
      octet = 0; digits = 0;
    } else {
      const d = c - 0x30;
      if (d < 0 || d > 9 || (digits === 1 && octet === 0)) return ip;   // not a digit, or after a leading zero
      octet = octet * 10 + d;
      if (octet > 255) return ip;   // also a fourth digit: no leading zero, so 1000 or more
      digits++;
    }
  }
  return dots === 3 && digits > 0 ? (value << 8) | octet : ip;
}
