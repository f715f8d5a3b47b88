// Remembers which name a client resolved to which Internet IP, so that a later SYN or socket to that
// IP joins the named Internet intent instead of making a bare-IP one. Bounded, with per-entry expiry
// from the DNS TTL, on the records' own clock (so replay behaves as live capture).

/** Reference §2.5: entries live for the DNS TTL, 120 s when none was given; we keep at least a minute. */
export const DEFAULT_DNS_TTL_S = 120;
export const MIN_DNS_TTL_S = 60;
export const DEFAULT_DNS_CACHE_MAX = 100_000;

export interface DnsCache {
  remember(clientKey: string, ip: string, name: string, seenAt: number, ttlS?: number): void;
  lookup(clientKey: string, ip: string, at: number): string | undefined;
  size(): number;
}

export function createDnsCache(max = DEFAULT_DNS_CACHE_MAX): DnsCache {
  const entries = new Map<string, { name: string; expires: number }>();
  return {
    remember(clientKey, ip, name, seenAt, ttlS) {
      const key = `${clientKey}|${ip}`;
      const expires = seenAt + Math.max(ttlS ?? DEFAULT_DNS_TTL_S, MIN_DNS_TTL_S) * 1000;
      const prev = entries.get(key);
      if (prev && prev.expires > expires) return;
      entries.delete(key);                       // re-insert: Map order is the eviction order
      entries.set(key, { name, expires });
      if (entries.size > max) entries.delete(entries.keys().next().value as string);
    },
    lookup(clientKey, ip, at) {
      const e = entries.get(`${clientKey}|${ip}`);
      return e && at <= e.expires ? e.name : undefined;
    },
    size: () => entries.size,
  };
}
