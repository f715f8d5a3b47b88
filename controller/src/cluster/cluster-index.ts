// The in-memory index both cluster views fill: pods by IP (recently deleted ones included), services by
// ClusterIP, endpoints by Service, node IPs and owner objects. It answers every synchronous ClusterView question.

import type { EndpointsRecord, NodeRecord } from './objects.ts';
import { API_SERVER_NAMESPACE, API_SERVER_SERVICE, splitApiVersion } from './objects.ts';
import type { OwnerRecord, OwnerRef, PodRecord, ServiceRecord } from './view.ts';

export interface ClusterIndexOptions {
  /** How long a deleted pod is kept for IP-reuse decisions (default 10 minutes). */
  goneRetentionMs?: number;
  /** At most this many deleted pods are kept (default 10 000); the oldest go first. */
  maxGonePods?: number;
  now?: () => number;
}

export const DEFAULT_GONE_RETENTION_MS = 10 * 60_000;
export const DEFAULT_MAX_GONE_PODS = 10_000;

const key = (namespace: string, name: string) => `${namespace}/${name}`;

/** Owner key: group (not version: a CronJob referenced as batch/v1beta1 is the batch/v1 one), kind, namespace, name. */
export function ownerKey(namespace: string, apiVersion: string, kind: string, name: string): string {
  return `${splitApiVersion(apiVersion).group}|${kind}|${namespace}|${name}`;
}

function addTo<K, V>(m: Map<K, V[]>, k: K, v: V) {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

function removeFrom<K, V>(m: Map<K, V[]>, k: K, v: V) {
  const list = m.get(k);
  if (!list) return;
  const i = list.indexOf(v);
  if (i >= 0) list.splice(i, 1);
  if (list.length === 0) m.delete(k);
}

export type ClusterIndex = ReturnType<typeof createClusterIndex>;

export function createClusterIndex(opts: ClusterIndexOptions = {}) {
  const goneRetentionMs = opts.goneRetentionMs ?? DEFAULT_GONE_RETENTION_MS;
  const maxGonePods = opts.maxGonePods ?? DEFAULT_MAX_GONE_PODS;
  const now = opts.now ?? Date.now;

  const livePods = new Map<string, Map<string, PodRecord>>();   // namespace → name → pod (no joined keys)
  let livePodCount = 0;
  // ip → the pod, or the pods, that hold or held it. Most IPs have one pod: no array for them.
  const podsByIp = new Map<string, PodRecord | PodRecord[]>();
  const gone: PodRecord[] = [];                            // oldest goneAt first
  const services = new Map<string, ServiceRecord>();
  const servicesByIp = new Map<string, string[]>();        // ip → service keys (more than one: ambiguous)
  const slices = new Map<string, EndpointsRecord>();       // slice key → record
  const slicesByService = new Map<string, string[]>();
  const legacyEndpoints = new Map<string, EndpointsRecord>();
  const nodes = new Map<string, NodeRecord>();
  const nodeIps = new Map<string, number>();               // ip → how many nodes list it
  const owners = new Map<string, OwnerRecord>();

  function indexIp(ip: string, p: PodRecord) {
    const cur = podsByIp.get(ip);
    if (cur === undefined) podsByIp.set(ip, p);
    else if (Array.isArray(cur)) cur.push(p);
    else podsByIp.set(ip, [cur, p]);
  }
  function unindexPod(p: PodRecord) {
    for (const ip of p.ips) {
      const cur = podsByIp.get(ip);
      if (cur === p) podsByIp.delete(ip);
      else if (Array.isArray(cur)) {
        const i = cur.indexOf(p);
        if (i >= 0) cur.splice(i, 1);
        if (cur.length === 1) podsByIp.set(ip, cur[0]);
      }
    }
  }
  const getLive = (namespace: string, name: string) => livePods.get(namespace)?.get(name);
  /** The pod left the API: it stays in the IP index, bounded, so a packet seen before it went still resolves. */
  function retire(p: PodRecord) {
    p.goneAt = now();
    gone.push(p);
    pruneGone();
  }

  function pruneGone() {
    const cutoff = now() - goneRetentionMs;
    while (gone.length > 0 && (gone.length > maxGonePods || (gone[0].goneAt ?? 0) < cutoff)) unindexPod(gone.shift()!);
  }

  return {
    upsertPod(p: PodRecord) {
      let byName = livePods.get(p.namespace);
      if (!byName) livePods.set(p.namespace, (byName = new Map()));
      const old = byName.get(p.name);
      if (!old) livePodCount++;
      else if (old.uid !== p.uid && old.ips.length > 0) retire(old);   // same name, new pod (a StatefulSet's, after a missed delete)
      else unindexPod(old);
      byName.set(p.name, p);
      for (const ip of p.ips) indexIp(ip, p);
    },
    /** The pod left the API: keep it (bounded) so a packet seen before its deletion still resolves. */
    removePod(namespace: string, name: string) {
      const byName = livePods.get(namespace);
      const old = byName?.get(name);
      if (!byName || !old) return;
      byName.delete(name);
      livePodCount--;
      if (byName.size === 0) livePods.delete(namespace);
      if (old.ips.length > 0) retire(old);
    },
    upsertService(s: ServiceRecord) {
      const k = key(s.namespace, s.name);
      const old = services.get(k);
      if (old) for (const ip of old.clusterIps) removeFrom(servicesByIp, ip, k);
      services.set(k, s);
      for (const ip of s.clusterIps) addTo(servicesByIp, ip, k);
    },
    removeService(namespace: string, name: string) {
      const k = key(namespace, name);
      const old = services.get(k);
      if (!old) return;
      for (const ip of old.clusterIps) removeFrom(servicesByIp, ip, k);
      services.delete(k);
    },
    upsertSlice(e: EndpointsRecord) {
      const k = key(e.namespace, e.name);
      this.removeSlice(e.namespace, e.name);
      slices.set(k, e);
      if (e.service) addTo(slicesByService, key(e.namespace, e.service), k);
    },
    removeSlice(namespace: string, name: string) {
      const k = key(namespace, name);
      const old = slices.get(k);
      if (!old) return;
      if (old.service) removeFrom(slicesByService, key(old.namespace, old.service), k);
      slices.delete(k);
    },
    upsertEndpoints(e: EndpointsRecord) { legacyEndpoints.set(key(e.namespace, e.name), e); },
    removeEndpoints(namespace: string, name: string) { legacyEndpoints.delete(key(namespace, name)); },
    upsertNode(n: NodeRecord) {
      this.removeNode(n.name);
      nodes.set(n.name, n);
      for (const ip of n.ips) nodeIps.set(ip, (nodeIps.get(ip) ?? 0) + 1);
    },
    removeNode(name: string) {
      const old = nodes.get(name);
      if (!old) return;
      for (const ip of old.ips) {
        const c = (nodeIps.get(ip) ?? 1) - 1;
        if (c <= 0) nodeIps.delete(ip);
        else nodeIps.set(ip, c);
      }
      nodes.delete(name);
    },
    upsertOwner(o: OwnerRecord) { owners.set(ownerKey(o.namespace, o.apiVersion, o.kind, o.name), o); },
    removeOwner(o: { namespace: string; apiVersion: string; kind: string; name: string }) {
      owners.delete(ownerKey(o.namespace, o.apiVersion, o.kind, o.name));
    },
    ownerFromIndex(namespace: string, ref: OwnerRef): OwnerRecord | undefined {
      return owners.get(ownerKey(namespace, ref.apiVersion, ref.kind, ref.name));
    },

    podsByIp(ip: string): readonly PodRecord[] {
      pruneGone();
      const cur = podsByIp.get(ip);
      if (!cur) return [];
      if (!Array.isArray(cur)) return [cur];
      const list = cur;
      // Newest first: a reused IP's current holder leads; ties broken by name for a stable order.
      return [...list].sort((a, b) => b.createdAt - a.createdAt || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
    pod(namespace: string, name: string) { return getLive(namespace, name); },
    serviceByClusterIp(ip: string) {
      const keys = servicesByIp.get(ip);
      // Two Services claiming one ClusterIP cannot happen in a real cluster; treat it as ambiguous (reference §2.2).
      return keys && keys.length === 1 ? services.get(keys[0]) : undefined;
    },
    service(namespace: string, name: string) { return services.get(key(namespace, name)); },
    servicePods(namespace: string, name: string): PodRecord[] {
      const svcKey = key(namespace, name);
      const sliceKeys = slicesByService.get(svcKey);
      const sources = sliceKeys ? sliceKeys.map((k) => slices.get(k)!) : [legacyEndpoints.get(svcKey)].filter((e) => e !== undefined);
      const seen = new Set<string>();
      const out: PodRecord[] = [];
      for (const src of sources) for (const ref of src.pods) {
        const k = key(ref.namespace, ref.name);
        const p = getLive(ref.namespace, ref.name);
        if (p && !seen.has(k)) { seen.add(k); out.push(p); }
      }
      return out.sort((a, b) => (a.namespace + '/' + a.name < b.namespace + '/' + b.name ? -1 : 1));
    },
    isNodeIp(ip: string) { return nodeIps.has(ip); },
    apiServerIps(): readonly string[] {
      const svcKey = key(API_SERVER_NAMESPACE, API_SERVER_SERVICE);
      const out = new Set(services.get(svcKey)?.clusterIps ?? []);
      const sliceKeys = slicesByService.get(svcKey);
      const sources = sliceKeys ? sliceKeys.map((k) => slices.get(k)!) : [legacyEndpoints.get(svcKey)];
      for (const src of sources) for (const ip of src?.addresses ?? []) out.add(ip);
      return [...out];
    },
    counts() {
      return { pods: livePodCount, gonePods: gone.length, services: services.size, endpointSlices: slices.size,
        endpoints: legacyEndpoints.size, nodes: nodes.size, owners: owners.size };
    },
  };
}
