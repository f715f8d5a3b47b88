// A small bounded cache with a time to live, for authentication and authorization answers: a busy
// caller costs one review per TTL, and a flood of distinct tokens cannot grow memory past `max`.

export interface TtlCache<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  size(): number;
}

export function createTtlCache<V>(ttlMs: number, max: number, now: () => number = Date.now): TtlCache<V> {
  const map = new Map<string, { at: number; value: V }>();
  return {
    get(key) {
      const hit = map.get(key);
      if (!hit) return undefined;
      if (now() - hit.at >= ttlMs) { map.delete(key); return undefined; }
      return hit.value;
    },
    set(key, value) {
      map.delete(key);
      // Oldest first out: Map iteration is insertion order.
      while (map.size >= max) map.delete(map.keys().next().value as string);
      map.set(key, { at: now(), value });
    },
    size: () => map.size,
  };
}
