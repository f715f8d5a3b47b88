// Sharing of repeated values between records (namespaces, label sets, owner references): pods of one
// ReplicaSet have identical labels and owner, so the view holds one copy. Keeps the view under ~1 KB per pod.

/** Values kept before the table is cleared (sharing is an optimisation: clearing only loses it). */
const MAX_INTERNED = 200_000;

export interface Interner {
  str(s: string): string;
  /** The shared, frozen copy of an equal string map. */
  map(m: Record<string, string>): Record<string, string>;
  /** The shared, frozen copy of an equal object of string fields (an OwnerRef). */
  obj<T extends object>(o: T): T;
}

export const EMPTY_MAP: Record<string, string> = Object.freeze({}) as Record<string, string>;

export function createInterner(): Interner {
  const strings = new Map<string, string>();
  const objects = new Map<string, object>();
  const keep = <T>(m: Map<string, T>, k: string, v: T): T => {
    if (m.size >= MAX_INTERNED) m.clear();
    m.set(k, v);
    return v;
  };
  const str = (s: string) => strings.get(s) ?? keep(strings, s, s);
  return {
    str,
    map(m) {
      const keys = Object.keys(m);
      if (keys.length === 0) return EMPTY_MAP;
      const k = JSON.stringify(m);
      const hit = objects.get(k) as Record<string, string> | undefined;
      if (hit) return hit;
      const copy: Record<string, string> = {};
      for (const key of keys) copy[str(key)] = str(m[key]);
      return keep(objects, k, Object.freeze(copy)) as Record<string, string>;
    },
    obj(o) {
      const k = JSON.stringify(o);
      const hit = objects.get(k);
      if (hit) return hit as typeof o;
      const copy = { ...o } as Record<string, unknown>;
      for (const key of Object.keys(copy)) if (typeof copy[key] === 'string') copy[key] = str(copy[key] as string);
      return keep(objects, k, Object.freeze(copy)) as typeof o;
    },
  };
}
