// namespace → name → value. Two-level maps instead of joined `namespace/name` keys: a joined key is one more
// string (often a 32-byte cons string) per object held, which at 150k pods is megabytes.

export class NsMap<V> {
  private readonly outer = new Map<string, Map<string, V>>();
  size = 0;

  get(namespace: string, name: string): V | undefined {
    return this.outer.get(namespace)?.get(name);
  }

  set(namespace: string, name: string, value: V): void {
    let inner = this.outer.get(namespace);
    if (!inner) this.outer.set(namespace, (inner = new Map()));
    if (!inner.has(name)) this.size++;
    inner.set(name, value);
  }

  delete(namespace: string, name: string): boolean {
    const inner = this.outer.get(namespace);
    if (!inner || !inner.delete(name)) return false;
    this.size--;
    if (inner.size === 0) this.outer.delete(namespace);
    return true;
  }
}

/** `list` plus `v`, as a new exact-size array (a pushed-to array keeps 16+ slots of slack). */
export function withItem<T>(list: readonly T[] | undefined, v: T): T[] {
  return list ? [...list, v] : [v];
}

/** `list` without `v`, or undefined when nothing is left. */
export function withoutItem<T>(list: readonly T[] | undefined, v: T): T[] | undefined {
  if (!list) return undefined;
  const out = list.filter((x) => x !== v);
  return out.length > 0 ? out : undefined;
}
