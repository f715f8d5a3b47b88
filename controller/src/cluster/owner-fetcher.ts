// On-demand reads of owner objects the informers do not watch (custom kinds such as Argo Rollouts), or that
// they have not seen yet, with a bounded cache of answers (a miss is remembered for a while too).

import { KubernetesObjectApi, type KubeConfig } from '@kubernetes/client-node';
import { ownerRecordFromObject } from './objects.ts';
import type { OwnerRecord, OwnerRef } from './view.ts';

export interface OwnerFetcherOptions {
  /** Answers kept (default 10 000). */
  cacheSize?: number;
  /** How long a found owner is reused (default 5 minutes). */
  ttlMs?: number;
  /** How long "not found" / "forbidden" is reused (default 30 s). Other errors are not cached. */
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

  async function fetchOwner(namespace: string, ref: OwnerRef): Promise<{ value: OwnerRecord | undefined; cacheable: boolean }> {
    counters.fetches++;
    try {
      const obj = await api.read({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace } });
      return { value: ownerRecordFromObject(obj as unknown as Record<string, unknown>), cacheable: true };
    } catch (err) {
      const code = (err as { code?: number }).code;
      if (code === 404 || code === 403) return { value: undefined, cacheable: true };
      counters.fetchErrors++;
      return { value: undefined, cacheable: false };   // unknown kind, server error: cannot be read now
    }
  }

  return {
    get(namespace: string, ref: OwnerRef): Promise<OwnerRecord | undefined> {
      const key = `${ref.apiVersion}|${ref.kind}|${namespace}|${ref.name}`;
      const hit = cache.get(key);
      if (hit && now() - hit.at < (hit.found === false ? missTtlMs : ttlMs)) return hit.value;
      const entry: { at: number; value: Promise<OwnerRecord | undefined>; found?: boolean } = { at: now(), value: Promise.resolve(undefined) };
      entry.value = fetchOwner(namespace, ref).then(({ value, cacheable }) => {
        entry.found = value !== undefined;
        if (!cacheable && cache.get(key) === entry) cache.delete(key);
        return value;
      });
      cache.delete(key);
      cache.set(key, entry);
      while (cache.size > cacheSize) cache.delete(cache.keys().next().value!);
      return entry.value;
    },
    stats: () => ({ ...counters, cached: cache.size }),
  };
}
