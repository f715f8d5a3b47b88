// The key an IP address is indexed under: a canonical dotted quad as one 32-bit integer, anything else
// (IPv6, text that is not canonical) as itself. A lookup by integer compares the number held in the
// table; by string it reads the stored key string too, a cache miss per lookup in a table of 150k pods.

import { isCanonicalIpv4 } from '../../common/ip.ts';

/** `a.b.c.d` (canonical: no leading zeros, octets ≤ 255) → a signed 32-bit integer; other text unchanged.
 *  Numbers and strings never compare equal as Map keys, so the two kinds of key cannot collide. */
export function ipKey(ip: string): number | string {
  if (!isCanonicalIpv4(ip)) return ip;
  let value = 0, octet = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 0x2e) { value = (value << 8) | octet; octet = 0; } else octet = octet * 10 + (c - 0x30);
  }
  return (value << 8) | octet;
}
