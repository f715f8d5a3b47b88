// On-demand reads of owner objects the informers do not watch (custom kinds such as Argo Rollouts), or that
// they have not seen yet, with a bounded cache of answers (a miss is remembered for a while too).

import { KubernetesObjectApi, type KubeConfig } from '@kubernetes/client-node';
import { OwnerReadError } from './errors.ts';
import { ownerRecordFromObject } from './objects.ts';
import type { OwnerRecord, OwnerRef } from './view.ts';

export interface OwnerFetcherOptions {
  /** Answers kept (default 10 000). */
  cacheSize?: number;
  /** How long a found owner is reused (default 5 minutes). */
  ttlMs?: number;
  /** How long "not found" / "forbidden" / "no such kind" is reused (default 30 s). Transient errors are not cached. */
  missTtlMs?: number;
  now?: () => number;
}

export function createOwnerFetcher(kc: KubeConfig, opts: OwnerFetcherOptions = {}) {
  const api = KubernetesObjectApi.makeApiClient(kc);
  const cacheSize = opts.cacheSize ?? 10_000;
  const ttlMs = opts.ttlMs ?? 5 * 60_000;
  const missTtlMs = opts.missTtlMs ?? 30_000;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { at: number; value: Promise<OwnerRecord | undefined>; found?: boolean }>();
  const counters = { fetches: 0, fetchErrors: 0 };

  /** Found, or definitively unreadable (404, 403, a kind the server does not serve): a value. Else throws. */
  async function fetchOwner(namespace: string, ref: OwnerRef): Promise<OwnerRecord | undefined> {
    counters.fetches++;
    let obj: unknown;
    try {
      obj = await api.read({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace } });
    } catch (err) {
      const code = (err as { code?: number }).code;
      if (code === 401 || code === 403 || code === 404 || code === 410) return undefined;
      if (code === undefined && /Unrecognized API version and kind/.test(String((err as Error)?.message))) return undefined;
      counters.fetchErrors++;
      throw new OwnerReadError(ref.apiVersion, ref.kind, namespace, ref.name, { cause: err });
    }
    try {
      return ownerRecordFromObject(obj as Record<string, unknown>);
    } catch {
      return undefined;   // a malformed owner object cannot be read: the walk stops at the reference's name
    }
  }

  return {
    /** The owner, undefined when it cannot be read; rejects with OwnerReadError on a transient failure. */
    get(namespace: string, ref: OwnerRef): Promise<OwnerRecord | undefined> {
      const key = `${ref.apiVersion}|${ref.kind}|${namespace}|${ref.name}`;
      const hit = cache.get(key);
      if (hit && now() - hit.at < (hit.found === false ? missTtlMs : ttlMs)) return hit.value;
      const entry: { at: number; value: Promise<OwnerRecord | undefined>; found?: boolean } = { at: now(), value: Promise.resolve(undefined) };
      entry.value = fetchOwner(namespace, ref).then((value) => { entry.found = value !== undefined; return value; });
      // A transient failure is not remembered: the next walk asks again.
      entry.value.catch(() => { if (cache.get(key) === entry) cache.delete(key); });
      cache.delete(key);
      cache.set(key, entry);
      while (cache.size > cacheSize) cache.delete(cache.keys().next().value!);
      return entry.value;
    },
    stats: () => ({ ...counters, cached: cache.size }),
  };
}
