// The key an IP address is indexed under: a canonical dotted quad as one 32-bit integer, anything else
// (IPv6, text that is not canonical) as itself. A lookup by integer compares the number held in the
// table; by string it reads the stored key string too, a cache miss per lookup in a table of 150k pods.

import { canonicalIpv4Key } from '../../common/ip.ts';

/** `a.b.c.d` (canonical: no leading zeros, octets ≤ 255) → a signed 32-bit integer; other text unchanged.
 *  Numbers and strings never compare equal as Map keys, so the two kinds of key cannot collide.
 *  One pass over the text, checking and computing together (common/ip.ts): it runs on every address
 *  resolution asks about. */
export const ipKey: (ip: string) => number | string = canonicalIpv4Key;
