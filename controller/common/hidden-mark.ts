// A mark kept on an object the code holds (a cluster record, an identity), read back from the object in hand
// instead of looked up in a table keyed by it. Not enumerable: a spread copy (`{ ...record }`), JSON and
// Object.keys never see it, so a copy is never mistaken for the object that was marked.

/** Sets `key` on `target` to `value`, not enumerable; false (nothing set) when `target` cannot take a new
 *  property (frozen, sealed), so the caller falls back to asking by content. */
export function setHiddenMark(target: object, key: symbol, value: unknown): boolean {
  if (!Object.isExtensible(target)) return false;
  if (Object.prototype.hasOwnProperty.call(target, key)) (target as Record<symbol, unknown>)[key] = value;   // already defined: a plain write
  else Object.defineProperty(target, key, { value, writable: true, enumerable: false, configurable: true });
  return true;
}
