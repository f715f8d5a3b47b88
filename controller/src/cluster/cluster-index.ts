// The in-memory index both cluster views fill: pods by IP (recently deleted ones included), services by
// ClusterIP, endpoints by Service, node IPs and owner objects. It answers every synchronous ClusterView question.

import { NsMap, withItem, withoutItem } from './ns-map.ts';
import type { EndpointsRecord, NodeRecord } from './objects.ts';
import { API_SERVER_NAMESPACE, API_SERVER_SERVICE, splitApiVersion } from './objects.ts';
import { CANONICAL_NAME_LABEL, istioWorkloadName, TLS_MODE_LABEL } from './istio-workload.ts';
import { setHiddenMark } from '../../common/hidden-mark.ts';
import { ipKey } from './ip-key.ts';
import type { ClusterView, OwnerRecord, OwnerRef, PodRecord, ServiceRecord } from './view.ts';

export interface ClusterIndexOptions {
  /** How long a deleted pod is kept for IP-reuse decisions (default 10 minutes). */
  goneRetentionMs?: number;
  /** At most this many deleted pods are kept (default 10 000); the oldest go first. */
  maxGonePods?: number;
  now?: () => number;
}

export const DEFAULT_GONE_RETENTION_MS = 10 * 60_000;
export const DEFAULT_MAX_GONE_PODS = 10_000;

/** Owners match on group (not version: a CronJob referenced as batch/v1beta1 is the batch/v1 one) and kind. */
const sameOwnerType = (o: OwnerRecord, apiVersion: string, kind: string) =>
  o.kind === kind && splitApiVersion(o.apiVersion).group === splitApiVersion(apiVersion).group;

const byNamespaceName = (a: PodRecord, b: PodRecord) =>
  a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
/** The holders of one IP in the order podsByIp answers: newest first (a reused IP's current holder leads), ties by name. */
const newestFirst = (a: PodRecord, b: PodRecord) => b.createdAt - a.createdAt || byNamespaceName(a, b);

/** On a pod or Service record: the index that holds it now (cleared when it is replaced or removed), so
 *  `isCurrent` reads the record it was handed instead of looking its name up in a table of every pod. */
const HELD_BY = Symbol('netmapper.heldBy');
type Held = { [HELD_BY]?: object };
/** Not enumerable: a spread copy of a record (`{ ...pod }`) is not the record held. (A record that cannot take
 *  the mark is never current: resolution then asks by name.) */
const hold = (r: PodRecord | ServiceRecord, by: object): void => { setHiddenMark(r, HELD_BY, by); };
const release = (r: PodRecord | ServiceRecord | undefined, next?: PodRecord | ServiceRecord): void => {
  if (r && r !== next && (r as Held)[HELD_BY] !== undefined) (r as Held)[HELD_BY] = undefined;   // only a record that took the mark
};

/** On a Service's array of slices (a new array whenever one of its slices changes): the pods they pointed at,
 *  sorted, and whether every endpoint had its pod. Reused while each of those pods is still the one held. */
const SLICE_PODS = Symbol('netmapper.slicePods');
type WithSlicePods = readonly EndpointsRecord[] & { [SLICE_PODS]?: { pods: PodRecord[]; complete: boolean } };

export type ClusterIndex = ReturnType<typeof createClusterIndex>;

/**
 * `ask`, remembering the last two IPs asked and their answers while `version()` stays the same.
 * Resolution asks about the same addresses record after record: a report's records come sorted by
 * client, and a TCP record asks podsByIp of its client, then of its server. A repeat is one string
 * comparison, usually of the same string, instead of parsing the address and a table lookup.
 */
function rememberLast<T>(ask: (ip: string) => T, version: () => number): (ip: string) => T {
  let ipA: string | undefined, ipB: string | undefined;
  let answerA: T, answerB: T;
  let at = -1;
  return (ip) => {
    const v = version();
    if (v !== at) { at = v; ipA = ipB = undefined; }
    if (ip === ipA) return answerA!;
    const answer = ip === ipB ? answerB! : ask(ip);   // the one asked before the last, or neither
    ipB = ipA; answerB = answerA;
    ipA = ip; answerA = answer;
    return answer;
  };
}

export function createClusterIndex(opts: ClusterIndexOptions = {}) {
  const goneRetentionMs = opts.goneRetentionMs ?? DEFAULT_GONE_RETENTION_MS;
  const maxGonePods = opts.maxGonePods ?? DEFAULT_MAX_GONE_PODS;
  const now = opts.now ?? Date.now;

  const self = {};   // what HELD_BY names: records of another index are never current here
  const livePods = new NsMap<PodRecord>();
  // ip (ipKey) → the pod, or the pods (kept newestFirst), that hold or held it. Most IPs have one pod: no array for them.
  const podsByIp = new Map<number | string, PodRecord | PodRecord[]>();
  const gone: PodRecord[] = [];                                  // oldest goneAt first
  const services = new NsMap<ServiceRecord>();
  const servicesByIp = new Map<number | string, ServiceRecord[]>();   // ipKey → services; more than one: ambiguous
  const slices = new NsMap<EndpointsRecord>();
  const slicesByService = new NsMap<EndpointsRecord[]>();        // namespace, service name → its slices
  const legacyEndpoints = new NsMap<EndpointsRecord>();
  const nodes = new Map<string, NodeRecord>();
  const nodeIps = new Map<number | string, number>();            // ipKey → how many nodes list it
  const owners = new NsMap<OwnerRecord[]>();                     // namespace, name → owners of any kind
  const byCanonicalName = new NsMap<PodRecord[]>();             // namespace, service.istio.io/canonical-name → live pods
  const byIstioWorkload = new NsMap<PodRecord[]>();             // namespace, Istio workload name → live meshed pods
  let ownerCount = 0;
  /** Bumped by every change to pods' IPs, Services, endpoints or nodes: the answers remembered below hold until then. */
  let version = 0;
  const currentVersion = () => version;
  let apiIps: { version: number; ips: readonly string[] } | undefined;

  function indexIp(ip: string, p: PodRecord) {
    version++;
    const key = ipKey(ip);
    const cur = podsByIp.get(key);
    podsByIp.set(key, cur === undefined ? p : (Array.isArray(cur) ? withItem(cur, p) : [cur, p]).sort(newestFirst));
  }
  function unindexPod(p: PodRecord) {
    version++;
    for (const ip of p.ips) {
      const key = ipKey(ip);
      const cur = podsByIp.get(key);
      if (cur === p) podsByIp.delete(key);
      else if (Array.isArray(cur)) {
        const rest = withoutItem(cur, p)!;
        podsByIp.set(key, rest.length === 1 ? rest[0] : rest);
      }
    }
  }
  function pruneGone() {
    if (gone.length === 0) return;
    const cutoff = now() - goneRetentionMs;
    while (gone.length > 0 && (gone.length > maxGonePods || (gone[0].goneAt ?? 0) < cutoff)) unindexPod(gone.shift()!);
  }
  /** The pod left the API: it stays in the IP index, bounded, so a packet seen before it went still resolves. */
  function retire(p: PodRecord) {
    p.goneAt = now();
    gone.push(p);
    pruneGone();
  }
  const podsAt = rememberLast((ip): readonly PodRecord[] => {
    const cur = podsByIp.get(ipKey(ip));
    if (!cur) return [];
    // The array itself (readonly to callers): sorted when it changes, not per question.
    return Array.isArray(cur) ? cur : [cur];
  }, currentVersion);
  const serviceAt = rememberLast((ip): ServiceRecord | undefined => {
    const list = servicesByIp.get(ipKey(ip));
    // Two Services claiming one ClusterIP cannot happen in a real cluster; treat it as ambiguous (reference §2.2).
    return list && list.length === 1 ? list[0] : undefined;
  }, currentVersion);
  const nodeAt = rememberLast((ip) => nodeIps.has(ipKey(ip)), currentVersion);

  function endpointSources(namespace: string, name: string): readonly EndpointsRecord[] {
    const fromSlices = slicesByService.get(namespace, name);
    if (fromSlices) return fromSlices;
    const legacy = legacyEndpoints.get(namespace, name);   // old dumps: a Service with no slice
    return legacy ? [legacy] : [];
  }

  /** The Istio names of a meshed pod: its canonical-name label, and the workload name its metrics carry. */
  function istioKeys(p: PodRecord): [NsMap<PodRecord[]>, string][] {
    const keys: [NsMap<PodRecord[]>, string][] = [];
    const canonical = p.labels[CANONICAL_NAME_LABEL];
    if (canonical) keys.push([byCanonicalName, canonical]);
    if (TLS_MODE_LABEL in p.labels) keys.push([byIstioWorkload, istioWorkloadName(p)]);
    return keys;
  }
  function indexCanonical(p: PodRecord) {
    for (const [map, name] of istioKeys(p)) map.set(p.namespace, name, withItem(map.get(p.namespace, name), p));
  }
  function unindexCanonical(p: PodRecord) {
    for (const [map, name] of istioKeys(p)) {
      const rest = withoutItem(map.get(p.namespace, name), p);
      if (rest) map.set(p.namespace, name, rest);
      else map.delete(p.namespace, name);
    }
  }

  return {
    upsertPod(p: PodRecord) {
      const old = livePods.get(p.namespace, p.name);
      if (old && old.uid !== p.uid && old.ips.length > 0) retire(old);   // same name, new pod (a StatefulSet's, after a missed delete)
      else if (old) unindexPod(old);
      if (old) unindexCanonical(old);
      release(old, p);
      livePods.set(p.namespace, p.name, p);
      hold(p, self);
      for (const ip of p.ips) indexIp(ip, p);
      indexCanonical(p);
    },
    removePod(namespace: string, name: string) {
      const old = livePods.get(namespace, name);
      if (!old) return;
      livePods.delete(namespace, name);
      release(old);
      unindexCanonical(old);
      if (old.ips.length > 0) retire(old);
    },
    upsertService(s: ServiceRecord) {
      this.removeService(s.namespace, s.name);
      version++;
      services.set(s.namespace, s.name, s);
      hold(s, self);
      for (const ip of s.clusterIps) { const key = ipKey(ip); servicesByIp.set(key, withItem(servicesByIp.get(key), s)); }
    },
    removeService(namespace: string, name: string) {
      const old = services.get(namespace, name);
      if (!old) return;
      version++;
      for (const ip of old.clusterIps) {
        const key = ipKey(ip);
        const rest = withoutItem(servicesByIp.get(key), old);
        if (rest) servicesByIp.set(key, rest);
        else servicesByIp.delete(key);
      }
      services.delete(namespace, name);
      release(old);
    },
    upsertSlice(e: EndpointsRecord) {
      this.removeSlice(e.namespace, e.name);
      version++;
      slices.set(e.namespace, e.name, e);
      if (e.service) slicesByService.set(e.namespace, e.service, withItem(slicesByService.get(e.namespace, e.service), e));
    },
    removeSlice(namespace: string, name: string) {
      const old = slices.get(namespace, name);
      if (!old) return;
      version++;
      if (old.service) {
        const rest = withoutItem(slicesByService.get(namespace, old.service), old);
        if (rest) slicesByService.set(namespace, old.service, rest);
        else slicesByService.delete(namespace, old.service);
      }
      slices.delete(namespace, name);
    },
    upsertEndpoints(e: EndpointsRecord) { version++; legacyEndpoints.set(e.namespace, e.name, e); },
    removeEndpoints(namespace: string, name: string) { version++; legacyEndpoints.delete(namespace, name); },
    upsertNode(n: NodeRecord) {
      this.removeNode(n.name);
      version++;
      nodes.set(n.name, n);
      for (const ip of n.ips) { const key = ipKey(ip); nodeIps.set(key, (nodeIps.get(key) ?? 0) + 1); }
    },
    removeNode(name: string) {
      const old = nodes.get(name);
      if (!old) return;
      version++;
      for (const ip of old.ips) {
        const key = ipKey(ip);
        const c = (nodeIps.get(key) ?? 1) - 1;
        if (c <= 0) nodeIps.delete(key);
        else nodeIps.set(key, c);
      }
      nodes.delete(name);
    },
    upsertOwner(o: OwnerRecord) {
      this.removeOwner(o);
      owners.set(o.namespace, o.name, withItem(owners.get(o.namespace, o.name), o));
      ownerCount++;
    },
    removeOwner(o: { namespace: string; apiVersion: string; kind: string; name: string }) {
      const list = owners.get(o.namespace, o.name);
      const old = list?.find((x) => sameOwnerType(x, o.apiVersion, o.kind));
      if (!old) return;
      const rest = withoutItem(list, old);
      if (rest) owners.set(o.namespace, o.name, rest);
      else owners.delete(o.namespace, o.name);
      ownerCount--;
    },
    ownerFromIndex(namespace: string, ref: OwnerRef): OwnerRecord | undefined {
      return owners.get(namespace, ref.name)?.find((o) => sameOwnerType(o, ref.apiVersion, ref.kind));
    },

    podsByIp(ip: string): readonly PodRecord[] {
      pruneGone();
      return podsAt(ip);
    },
    pod(namespace: string, name: string) { return livePods.get(namespace, name); },
    serviceByClusterIp(ip: string) { return serviceAt(ip); },
    service(namespace: string, name: string) { return services.get(namespace, name); },
    servicePods(namespace: string, name: string): PodRecord[] {
      const sources = endpointSources(namespace, name) as WithSlicePods;
      // The same slices, every pod they named found then and each still the record held: the same answer,
      // without a lookup per endpoint in the table of every pod.
      const known = sources[SLICE_PODS];
      if (known && known.complete && known.pods.every((p) => (p as Held)[HELD_BY] === self)) return known.pods.slice();
      const out = new Set<PodRecord>();
      let complete = true;
      for (const src of sources) for (const ref of src.pods) {
        const p = livePods.get(ref.namespace, ref.name);
        if (p) out.add(p);
        else complete = false;
      }
      const pods = [...out].sort(byNamespaceName);
      if (Object.isExtensible(sources)) sources[SLICE_PODS] = { pods, complete };
      return pods.slice();
    },
    isNodeIp(ip: string) { return nodeAt(ip); },
    isCurrent(record: PodRecord | ServiceRecord) { return (record as Held)[HELD_BY] === self; },
    /** Live pods labelled `service.istio.io/canonical-name=<name>` in `namespace`, by pod name. */
    podsByCanonicalName(namespace: string, name: string): readonly PodRecord[] {
      const list = byCanonicalName.get(namespace, name);
      return list ? [...list].sort(byNamespaceName) : [];
    },
    /** Live meshed pods whose Istio workload name (Deployment, CronJob, controller or pod name) is `name`, by pod name. */
    podsByIstioWorkload(namespace: string, name: string): readonly PodRecord[] {
      const list = byIstioWorkload.get(namespace, name);
      return list ? [...list].sort(byNamespaceName) : [];
    },
    /** Asked once per report by resolution: made again only after a change. */
    apiServerIps(): readonly string[] {
      if (apiIps?.version === version) return apiIps.ips;
      const out = new Set(services.get(API_SERVER_NAMESPACE, API_SERVER_SERVICE)?.clusterIps ?? []);
      for (const src of endpointSources(API_SERVER_NAMESPACE, API_SERVER_SERVICE)) for (const ip of src.addresses ?? []) out.add(ip);
      apiIps = { version, ips: Object.freeze([...out]) };
      return apiIps.ips;
    },
    counts() {
      return { pods: livePods.size, gonePods: gone.length, services: services.size, endpointSlices: slices.size,
        endpoints: legacyEndpoints.size, nodes: nodes.size, owners: ownerCount };
    },
  };
}

/** The lookups both cluster views (snapshot.ts, informer.ts) answer straight from their index; each adds
 *  its own getOwner and isSynced. */
export type IndexLookups = Omit<Required<ClusterView>, 'getOwner' | 'isSynced'>;

export function indexLookups(index: ClusterIndex): IndexLookups {
  return {
    podsByIp: (ip) => index.podsByIp(ip),
    pod: (ns, name) => index.pod(ns, name),
    serviceByClusterIp: (ip) => index.serviceByClusterIp(ip),
    service: (ns, name) => index.service(ns, name),
    servicePods: (ns, name) => index.servicePods(ns, name),
    isNodeIp: (ip) => index.isNodeIp(ip),
    apiServerIps: () => index.apiServerIps(),
    podsByCanonicalName: (ns, name) => index.podsByCanonicalName(ns, name),
    podsByIstioWorkload: (ns, name) => index.podsByIstioWorkload(ns, name),
    isCurrent: (record) => index.isCurrent(record),
  };
}
