// IP address text in one canonical form, so that the same address from the API, a dump and a sniffer is the same
// map key: IPv4 dotted decimal; IPv6 lower case with the longest run of zero groups compressed (RFC 5952 §4).

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const MAPPED = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/;

/**
 * The canonical text of an IPv4 or IPv6 address, or undefined when `text` is not one (zones such as `%eth0`
 * are not pod or service addresses and are refused).
 * @example canonicalIp('FD00:10:244:0:0:0:0:30') === 'fd00:10:244::30'
 */
export function canonicalIp(text: string): string | undefined {
  if (IPV4.test(text)) return text;
  if (!text.includes(':') || text.includes('%') || text.includes('[')) return undefined;
  let host: string;
  try {
    host = new URL(`http://[${text}]`).hostname;   // WHATWG's IPv6 serializer is RFC 5952's compression
  } catch {
    return undefined;
  }
  host = host.slice(1, -1);
  // IPv4-mapped addresses keep the dotted quad (RFC 5952 §5).
  const m = MAPPED.exec(host);
  if (m) {
    const [hi, lo] = [parseInt(m[1], 16), parseInt(m[2], 16)];
    return `::ffff:${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return host;
}
