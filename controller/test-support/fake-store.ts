// Object storage of the list/watch test server: objects kept as JSON text (cheap to list at 150k pods),
// one global resourceVersion counter, and a bounded event log per resource for watch resumption.

import { randomUUID } from 'node:crypto';

export interface FakeResource {
  group: string;
  version: string;
  /** Plural, as in URLs. */
  resource: string;
  kind: string;
  namespaced: boolean;
}

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export interface StoredEvent { rv: number; type: EventType; json: string; namespace: string }

type Obj = Record<string, any>;

export class FakeStoreError extends Error {
  override readonly name = 'FakeStoreError';
  constructor(readonly code: 'ERR_UNKNOWN_KIND' | 'ERR_BAD_OBJECT' | 'ERR_EXISTS' | 'ERR_NOT_FOUND', message: string) { super(message); }
}

const split = (apiVersion: string) => {
  const i = apiVersion.lastIndexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
};

export interface ResourceState {
  def: FakeResource;
  objects: Map<string, string>;            // namespace/name → JSON
  events: StoredEvent[];
  /** A watch from a resourceVersion below this gets 410 Gone: the events after it are no longer kept. */
  compactedRv: number;
  listeners: Set<(ev: StoredEvent) => void>;
}

export interface FakeStoreOptions {
  /** Events kept per resource for watch resumption (default 100 000); older watches get 410. */
  maxEvents?: number;
  /** Fill uid and creationTimestamp when an object has none, as the API server does (default true). */
  fillDefaults?: boolean;
  now?: () => number;
}

export function createFakeStore(resources: readonly FakeResource[], opts: FakeStoreOptions = {}) {
  const maxEvents = opts.maxEvents ?? 100_000;
  const fillDefaults = opts.fillDefaults ?? true;
  const now = opts.now ?? Date.now;
  let rv = 1000;
  const byResource = new Map<string, ResourceState>();      // group/version/resource
  const byKind = new Map<string, ResourceState>();          // group|kind

  function register(def: FakeResource) {
    const st: ResourceState = { def, objects: new Map(), events: [], compactedRv: 0, listeners: new Set() };
    byResource.set(`${def.group}/${def.version}/${def.resource}`, st);
    byKind.set(`${def.group}|${def.kind}`, st);
    return st;
  }
  resources.forEach(register);

  function stateOf(obj: Obj): ResourceState {
    if (typeof obj?.kind !== 'string' || typeof obj?.apiVersion !== 'string') throw new FakeStoreError('ERR_BAD_OBJECT', 'object needs apiVersion and kind');
    const st = byKind.get(`${split(obj.apiVersion).group}|${obj.kind}`);
    if (!st) throw new FakeStoreError('ERR_UNKNOWN_KIND', `no resource serves ${obj.apiVersion} ${obj.kind}`);
    return st;
  }
  function keyOf(st: ResourceState, obj: Obj): string {
    const name = obj.metadata?.name;
    if (typeof name !== 'string' || !name) throw new FakeStoreError('ERR_BAD_OBJECT', `${obj.kind}: metadata.name is required`);
    const ns = st.def.namespaced ? obj.metadata.namespace || 'default' : '';
    return `${ns}/${name}`;
  }
  function emit(st: ResourceState, type: EventType, json: string, at: number, key: string) {
    const ev = { rv: at, type, json, namespace: key.slice(0, key.indexOf('/')) };
    st.events.push(ev);
    if (st.events.length > maxEvents) st.compactedRv = st.events.splice(0, st.events.length - maxEvents).at(-1)!.rv;
    for (const l of st.listeners) l(ev);
  }
  function prepare(st: ResourceState, obj: Obj, existing?: string): Obj {
    // Only metadata is changed: a shallow copy of it is enough (and keeps a 150k-object load fast).
    const o: Obj = { ...obj, metadata: { ...obj.metadata } };
    if (st.def.namespaced) o.metadata.namespace = o.metadata.namespace || 'default';
    const prev = existing ? JSON.parse(existing).metadata : undefined;
    if (fillDefaults) {
      o.metadata.uid ??= prev?.uid ?? randomUUID();
      o.metadata.creationTimestamp ??= prev?.creationTimestamp ?? new Date(now()).toISOString().replace(/\.\d+Z$/, 'Z');
    }
    o.metadata.resourceVersion = String(++rv);
    return o;
  }

  return {
    register,
    resource: (group: string, version: string, resource: string) => byResource.get(`${group}/${version}/${resource}`),
    resources: () => [...byResource.values()],
    currentRv: () => rv,
    /** Creates or replaces an object; watchers get ADDED or MODIFIED. Returns the stored object. */
    apply(obj: Obj): Obj {
      const st = stateOf(obj);
      const k = keyOf(st, obj);
      const existing = st.objects.get(k);
      const o = prepare(st, obj, existing);
      const json = JSON.stringify(o);
      st.objects.set(k, json);
      emit(st, existing ? 'MODIFIED' : 'ADDED', json, rv, k);
      return o;
    },
    /** Deletes an object; watchers get DELETED with the last state at a new resourceVersion. */
    remove(ref: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }): Obj {
      const st = stateOf(ref);
      const k = keyOf(st, ref);
      const existing = st.objects.get(k);
      if (!existing) throw new FakeStoreError('ERR_NOT_FOUND', `${ref.kind} ${k} not found`);
      st.objects.delete(k);
      const o = JSON.parse(existing);
      o.metadata.resourceVersion = String(++rv);
      emit(st, 'DELETED', JSON.stringify(o), rv, k);
      return o;
    },
    /**
     * Bulk initial fill (no events: watches opened before it get 410 and relist, as after an etcd compaction).
     * Objects of kinds no resource serves are skipped and counted.
     */
    load(objects: readonly Obj[]): { loaded: number; skipped: Record<string, number> } {
      const skipped: Record<string, number> = {};
      let loaded = 0;
      const touched = new Set<ResourceState>();
      for (const obj of objects) {
        let st: ResourceState;
        try { st = stateOf(obj); } catch (err) {
          if (err instanceof FakeStoreError && err.code === 'ERR_UNKNOWN_KIND') { const k = `${obj.apiVersion} ${obj.kind}`; skipped[k] = (skipped[k] ?? 0) + 1; continue; }
          throw err;
        }
        const k = keyOf(st, obj);
        st.objects.set(k, JSON.stringify(prepare(st, obj, st.objects.get(k))));
        touched.add(st);
        loaded++;
      }
      for (const st of touched) st.compactedRv = rv;
      return { loaded, skipped };
    },
    get(group: string, resource: string, namespace: string, name: string): string | undefined {
      for (const st of byResource.values()) if (st.def.group === group && st.def.resource === resource) return st.objects.get(`${namespace}/${name}`);
      return undefined;
    },
    /** Every stored object, parsed (what a client would list). */
    objects(): Obj[] {
      const out: Obj[] = [];
      for (const st of byResource.values()) for (const j of st.objects.values()) out.push(JSON.parse(j));
      return out;
    },
    /** Makes every watch from before now too old (410 on resume), as an etcd compaction does. */
    compact() { for (const st of byResource.values()) st.compactedRv = rv; },
  };
}

export type FakeStore = ReturnType<typeof createFakeStore>;
