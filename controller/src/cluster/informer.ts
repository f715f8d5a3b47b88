// The informer cluster view: one real @kubernetes/client-node informer per resource in WATCHED_RESOURCES,
// feeding the shared index with small records. An informer that stops on an error is restarted with backoff
// (1 s → 30 s); client-node itself relists after 410 Gone.

import { makeInformer, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { createClusterIndex, indexLookups, type ClusterIndexOptions } from './cluster-index.ts';
import { makeListFunction, watchPath } from './list-functions.ts';
import {
  endpointSliceRecordFromObject, nodeRecordFromObject, ownerRecordFromObject, podRecordFromObject,
  serviceRecordFromObject, type ConvertOptions,
} from './objects.ts';
import { createInterner } from './intern.ts';
import { createOwnerFetcher, type OwnerFetcherOptions } from './owner-fetcher.ts';
import { WATCHED_RESOURCES, type ApiResource } from './permissions.ts';
import type { ClusterView, OwnerRef } from './view.ts';
import { createBackoff, type Backoff } from '../../common/retry.ts';

export interface InformerViewOptions extends ConvertOptions, ClusterIndexOptions {
  /** Resources to watch (default WATCHED_RESOURCES). */
  resources?: readonly ApiResource[];
  /** Items per list page (default 500). */
  pageSize?: number;
  /** Restart backoff after an informer error: first delay and cap (defaults 1000 and 30 000 ms). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  ownerFetch?: OwnerFetcherOptions;
  /** Told about every informer error (for logs); the view restarts the informer itself. */
  onError?: (resource: string, err: unknown) => void;
}

export interface InformerViewMetrics {
  /** Informers restarted after an error. */
  informerRestarts: number;
  /** Lists after an informer's first (410 Gone, a watch too old after a restart). */
  relists: number;
  informerErrors: number;
  /** Objects that could not be converted (wrong field shapes) and were skipped. */
  objectErrors: number;
  ownerFetches: number;
  pods: number;
  gonePods: number;
  services: number;
  synced: boolean;
  /** Per resource: the delay before its next restart if it failed now (grows 1 s → 30 s while failures repeat). */
  nextBackoffMs: Record<string, number>;
}

export interface InformerView extends ClusterView {
  apiServerIps(): readonly string[];
  /** Starts every informer; resolves once all have listed (or when stopped / `signal` aborts). */
  start(signal?: AbortSignal): Promise<void>;
  stop(): Promise<void>;
  metrics(): InformerViewMetrics;
}

/** Per resource: convert a raw object to its record, store a record, forget an object. */
type Handlers = { convert(obj: any): unknown; store(rec: any): void; remove(obj: any): void };

/** What client-node's cache needs of an object: name, namespace, resourceVersion. The records hold the rest. */
function stubMetadata(m: { name?: string; namespace?: string; resourceVersion?: string }, str: (s: string) => string) {
  return { name: m.name, namespace: m.namespace === undefined ? undefined : str(m.namespace), resourceVersion: m.resourceVersion };
}

/** Reduces a watched object in place (client-node caches this very object) to its stub metadata. */
function slim(obj: KubernetesObject, str: (s: string) => string) {
  const m = obj.metadata ?? {};
  // Assign, not delete: deleting turns the object into a slow dictionary several times its size.
  for (const k of Object.keys(obj)) if (k !== 'metadata') (obj as Record<string, unknown>)[k] = undefined;
  obj.metadata = stubMetadata(m, str);
}

export function createInformerView(kc: KubeConfig, opts: InformerViewOptions = {}): InformerView {
  const index = createClusterIndex(opts);
  const intern = createInterner();
  const convert = { ...opts, intern };
  const resources = opts.resources ?? WATCHED_RESOURCES;
  const minBackoff = opts.minBackoffMs ?? 1000;
  const maxBackoff = opts.maxBackoffMs ?? 30_000;
  const owners = createOwnerFetcher(kc, opts.ownerFetch);
  const counters = { informerRestarts: 0, relists: 0, informerErrors: 0, objectErrors: 0 };
  const ns = (o: any) => o.metadata?.namespace ?? '';
  const name = (o: any) => o.metadata?.name ?? '';

  function handlersFor(r: ApiResource): Handlers | undefined {
    switch (r.kind) {
      case 'Pod': return { convert: (o) => podRecordFromObject(o, convert), store: (x) => index.upsertPod(x), remove: (o) => index.removePod(ns(o), name(o)) };
      case 'Service': return { convert: (o) => serviceRecordFromObject(o, convert), store: (x) => index.upsertService(x), remove: (o) => index.removeService(ns(o), name(o)) };
      case 'EndpointSlice': return { convert: (o) => endpointSliceRecordFromObject(o, convert), store: (x) => index.upsertSlice(x), remove: (o) => index.removeSlice(ns(o), name(o)) };
      case 'Node': return { convert: (o) => nodeRecordFromObject(o), store: (x) => index.upsertNode(x), remove: (o) => index.removeNode(name(o)) };
      case 'Namespace': return undefined;   // watched for RBAC parity with the chart; resolution reads no namespace fields
      default: {
        // List items carry no kind/apiVersion on a real API server: they come from the resource.
        const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
        return {
          convert: (o) => ownerRecordFromObject({ ...o, apiVersion: o.apiVersion ?? apiVersion, kind: o.kind ?? r.kind }, convert),
          store: (x) => index.upsertOwner(x),
          remove: (o) => index.removeOwner({ namespace: ns(o), apiVersion, kind: r.kind, name: name(o) }),
        };
      }
    }
  }

  interface Slot {
    r: ApiResource;
    informer: ReturnType<typeof makeInformer>;
    lists: number;
    synced: boolean;
    backoff: Backoff;
    startedAt: number;
    timer?: NodeJS.Timeout;
  }
  let stopped = true;
  let onSynced: (() => void) | undefined;

  const slots: Slot[] = resources.map((r) => {
    const list = makeListFunction(kc, r, opts.pageSize ?? 500);
    const slot = {} as Slot;
    const h = handlersFor(r);
    // Listed objects are converted here and handed to client-node as bare {metadata} stubs, so its cache never
    // holds the typed objects; the add/update callbacks find the record through this map.
    const converted = new WeakMap<object, unknown>();
    const informer = makeInformer(kc, watchPath(r), async () => {
      const result = await list();
      if (slot.lists++ > 0) counters.relists++;
      const items: KubernetesObject[] = [];
      for (const it of result.items) {
        const stub = { metadata: stubMetadata(it.metadata ?? {}, intern.str) };
        if (h) {
          try { converted.set(stub, h.convert(it)); } catch { counters.objectErrors++; continue; }   // skipped and counted
        }
        items.push(stub);
      }
      return { metadata: result.metadata, items } as never;
    });
    const addOrUpdate = (obj: KubernetesObject) => {
      if (!h) return slim(obj, intern.str);
      const rec = converted.get(obj);
      if (rec !== undefined) { converted.delete(obj); h.store(rec); return; }
      try { h.store(h.convert(obj)); } catch { counters.objectErrors++; }   // a malformed object is skipped and counted
      slim(obj, intern.str);
    };
    informer.on('add', addOrUpdate);
    informer.on('update', addOrUpdate);
    informer.on('delete', (o: KubernetesObject) => { try { h?.remove(o); } catch { counters.objectErrors++; } });
    informer.on('error', (err: unknown) => {
      counters.informerErrors++;
      opts.onError?.(r.resource, err);
      scheduleRestart(slot);
    });
    Object.assign(slot, { r, informer, lists: 0, synced: false, backoff: createBackoff({ initialMs: minBackoff, maxMs: maxBackoff }), startedAt: 0 });
    return slot;
  });

  function checkSynced() {
    if (slots.every((s) => s.synced)) onSynced?.();
  }

  async function runSlot(slot: Slot) {
    slot.startedAt = Date.now();
    await slot.informer.start();
    // client-node checks `stopped` only before listing: a stop() during a list still opens the watch.
    if (stopped) { await slot.informer.stop(); return; }
    if (slot.lists > 0 && !slot.synced) { slot.synced = true; checkSynced(); }
  }

  function scheduleRestart(slot: Slot) {
    if (stopped || slot.timer) return;
    // A long quiet run since the last start earns a fresh backoff; repeated failures double it up to the cap.
    if (Date.now() - slot.startedAt > maxBackoff) slot.backoff.reset();
    const delay = slot.backoff.next();
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      if (stopped) return;
      counters.informerRestarts++;
      runSlot(slot).catch((err) => { counters.informerErrors++; opts.onError?.(slot.r.resource, err); scheduleRestart(slot); });
    }, delay);
  }

  const view: InformerView = {
    ...indexLookups(index),
    async getOwner(namespace: string, ref: OwnerRef) {
      const found = index.ownerFromIndex(namespace, ref);
      if (found) return found;
      // Not watched (a custom kind), or not seen yet (the pod arrived before its ReplicaSet): read it.
      return owners.get(namespace, ref);
    },
    isSynced: () => slots.every((s) => s.synced),
    async start(signal?: AbortSignal) {
      if (!stopped || signal?.aborted) return;
      stopped = false;
      const allSynced = new Promise<void>((resolve) => {
        onSynced = resolve;
        signal?.addEventListener('abort', () => { void view.stop(); resolve(); }, { once: true });
      });
      await Promise.all(slots.map((s) => runSlot(s).catch((err) => { counters.informerErrors++; opts.onError?.(s.r.resource, err); scheduleRestart(s); })));
      checkSynced();
      await allSynced;
    },
    async stop() {
      stopped = true;
      for (const s of slots) { clearTimeout(s.timer); s.timer = undefined; }
      await Promise.all(slots.map((s) => s.informer.stop()));
      onSynced?.();
    },
    metrics() {
      const c = index.counts();
      return { ...counters, ownerFetches: owners.stats().fetches, pods: c.pods, gonePods: c.gonePods, services: c.services,
        synced: view.isSynced(), nextBackoffMs: Object.fromEntries(slots.map((s) => [s.r.resource, s.backoff.peek()])) };
    },
  };
  return view;
}
