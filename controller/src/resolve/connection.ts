// Resolves one DNS, TCP or socket record to an intent observation: the client pod that held the
// source IP then, and the destination (a Service's pods, a pod, the API server, or an Internet name or IP).
// Pods are found synchronously; identities come from a cache and are awaited only on a miss, so the
// common case costs no promise.

import type { ClusterView, PodRecord, ServiceRecord } from '../cluster/view.ts';
import type { ConnectionRecord } from '../../contract/schema.ts';
import type { WorkloadIdentity } from '../model.ts';
import type { IntentObservation } from '../store/entry.ts';
import { parseClusterName, type ClusterName } from './cluster-name.ts';
import type { DnsCache } from './dns-cache.ts';
import { API_SERVER_IDENTITY, withKubernetesService, type IdentityCache } from './identities.ts';
import { isPrivateOrSpecial, parseIp, parseIpv4, sameIpv4Prefix } from '../../common/ip.ts';
import { podAliveAt, podAt } from './pod-at.ts';

/** The observation itself (no wrapper: one object less per record), or why there is none. */
export type Resolution = IntentObservation | { reason: string };

export interface ConnectionResolverDeps {
  identities: IdentityCache;
  dnsCache: DnsCache;
  clusterDomain: string;
  /** TCP/socket servers must be at least this old at the packet (reference: 5 minutes). */
  minServerAgeMs: number;
  /** Pod DNS names accept pods created up to this long after the packet (reference: 5 minutes). */
  podDnsSlackMs?: number;
  /** How long a Service's chosen pod is reused before its EndpointSlices are read again. */
  servicePodTtlMs?: number;
  /** IPv4 prefix length around each API-server endpoint address that also counts as the control plane
   *  (`--control-plane-cidr-prefix`; 32: the addresses only; GKE's control plane answers from a /28). */
  controlPlaneIpv4PrefixLength?: number;
}

/** Reading a Service's pods sorts its endpoints each time; the chosen pod is reused this long while it lives. */
export const SERVICE_POD_TTL_MS = 10_000;
const CLUSTER_NAME_CACHE_MAX = 1 << 16;

const POD_DNS_SLACK_MS = 5 * 60_000;

/** The DNS cache's key for a client workload: built only when an Internet destination needs it. */
const clientKeyOf = (client: WorkloadIdentity): string => `${client.namespace}/${client.name}`;

/** A Service's chosen pod, reused while it lives, with the last identity decorated with the Service's name. */
interface ServicePodEntry {
  /** The resolver that chose it: several resolvers may see the same Service records. */
  owner: object;
  pod: PodRecord;
  kubernetesService: string;
  at: number;
  /** The pod's identity the last time, and that identity through this Service (withKubernetesService). */
  base?: WorkloadIdentity;
  decorated?: WorkloadIdentity;
}

/** A side of the edge before its identity is known: a pod (identity to look up) or a fixed identity. */
type Side = { pod: PodRecord; kubernetesService?: string; base?: WorkloadIdentity; decorated?: WorkloadIdentity } | { identity: WorkloadIdentity };
type Target = Side | { internet: { domain?: string; ip: string } } | { reason: string };

/** Where a Service record keeps its chosen pod (a record is one version of the Service): a hit reads the record
 *  already in hand instead of a table of every Service. Symbol-keyed: JSON and Object.keys never see it. */
const SERVICE_POD = Symbol('netmapper.servicePod');
type WithServicePod = ServiceRecord & { [SERVICE_POD]?: ServicePodEntry };

/** A parsed cluster DNS name, with the Service record it named the last time. */
type NamedTarget = ClusterName & { svc?: ServiceRecord };

/** True while the view still holds `pod` as the live record of its name (not updated since, not deleted). */
const isCurrentPod = (cluster: ClusterView, pod: PodRecord, namespace: string): boolean =>
  cluster.isCurrent ? cluster.isCurrent(pod) : cluster.pod(namespace, pod.name) === pod;

export function createConnectionResolver(deps: ConnectionResolverDeps) {
  const { identities, dnsCache, clusterDomain, minServerAgeMs } = deps;
  const podDnsSlackMs = deps.podDnsSlackMs ?? POD_DNS_SLACK_MS;
  const serverAge = { minAgeMs: minServerAgeMs };   // podAt's options for a TCP/socket server, made once
  const servicePodTtlMs = deps.servicePodTtlMs ?? SERVICE_POD_TTL_MS;
  const owner = {};   // marks this resolver's entries on Service records (SERVICE_POD)
  /** Wall clock of the report being resolved (set per call). */
  let wallMs = 0;

  /** The first valid pod behind a Service, from the cache while that pod is unchanged, alive and not stale
   *  (without `host`, the cache entry itself: it is the server side of the edge). */
  function servicePod(cluster: ClusterView, svc: ServiceRecord, t: number, host?: string): PodRecord | ServicePodEntry | undefined {
    const { namespace, name } = svc;
    if (!host) {
      // Keyed by the Service's record: an updated Service is a new record, and no key string is built per record.
      const hit = (svc as WithServicePod)[SERVICE_POD];
      if (hit && hit.owner === owner && wallMs - hit.at < servicePodTtlMs && podAliveAt(hit.pod, t) && isCurrentPod(cluster, hit.pod, namespace)) return hit;
    }
    let first: PodRecord | undefined;
    for (const p of cluster.servicePods(namespace, name)) {
      if (p.hostNetwork || !podAliveAt(p, t)) continue;
      if (host && p.name === host) { first = p; break; }
      first ??= p;
      if (!host) break;
    }
    if (first && !host) {
      const entry: ServicePodEntry = { owner, pod: first, kubernetesService: svc.name, at: wallMs, base: undefined, decorated: undefined };
      (svc as WithServicePod)[SERVICE_POD] = entry;
      return entry;
    }
    return first;
  }

  const cpPrefix = deps.controlPlaneIpv4PrefixLength ?? 32;
  /** The `default/kubernetes` ClusterIPs and, when the view knows them, its endpoint addresses; with a
   *  control-plane prefix under 32, also any IPv4 address in that prefix around an endpoint address. */
  const isApiServerIp = (cluster: ClusterView, ip: string): boolean => {
    const known = cluster.apiServerIps();
    if (known.includes(ip)) return true;
    if (cpPrefix >= 32) return false;
    const addr = parseIpv4(ip);
    if (!addr) return false;
    const clusterIps = cluster.service('default', 'kubernetes')?.clusterIps ?? [];
    return known.some((e) => !clusterIps.includes(e) && sameIpv4Prefix(addr, parseIpv4(e), cpPrefix));
  };

  /** Reference §2.4: API server, else the pod that held srcIp at t; the socket's hostname must match. */
  function clientSide(cluster: ClusterView, r: ConnectionRecord, t: number): Side | { reason: string } {
    const found = podAt(cluster, r.srcIp, t);
    // The API server's address, unless a host-network pod holds it or it is a node's address (single-node
    // clusters, where the node also sources kubelet probes and masqueraded pod traffic): then never guessed.
    if (isApiServerIp(cluster, r.srcIp) && !cluster.isNodeIp(r.srcIp) && !('reason' in found && found.reason === 'host-network')) {
      return { identity: API_SERVER_IDENTITY };
    }
    if ('reason' in found) {
      if (found.reason === 'no-pod') return { reason: cluster.isNodeIp(r.srcIp) ? 'client-node-ip' : 'no-client-pod' };
      return { reason: found.reason === 'host-network' ? 'client-host-network' : `client-${found.reason}` };
    }
    if (r.srcHostname && found.pod.name !== r.srcHostname) return { reason: 'hostname-mismatch' };
    return found;
  }

  /** `svc` is the Service named `namespace/name` in `cluster` (looked up by name or by ClusterIP). */
  function serviceTarget(cluster: ClusterView, namespace: string, name: string, svc: ServiceRecord | undefined, t: number, host?: string): Target {
    if (namespace === 'default' && name === 'kubernetes') return { identity: API_SERVER_IDENTITY };
    if (!svc) return { reason: 'unknown-service' };
    if (svc.type === 'ExternalName') return { reason: 'external-name-service' };
    // `pod-0.svc.ns.svc.<domain>` names one pod of a headless Service; pods behind a Service are
    // otherwise assumed identical (reference §2.5), so the first valid one speaks for all.
    const first = servicePod(cluster, svc, t, host);
    if (!first) return { reason: 'service-without-pods' };
    return 'kubernetesService' in first ? first : { pod: first, kubernetesService: svc.name };
  }

  // What a DNS name names depends on the name alone (the domain is fixed): read each once.
  const clusterNames = new Map<string, NamedTarget | undefined>();
  function clusterName(name: string): NamedTarget | undefined {
    let parsed = clusterNames.get(name);
    if (parsed === undefined && !clusterNames.has(name)) {
      parsed = parseClusterName(name, clusterDomain);
      if (clusterNames.size >= CLUSTER_NAME_CACHE_MAX) clusterNames.clear();
      clusterNames.set(name, parsed);
    }
    return parsed;
  }

  function dnsTarget(cluster: ClusterView, r: ConnectionRecord, t: number): Target {
    const parsed = clusterName(r.destination);
    if (!parsed) return { internet: { domain: r.destination, ip: r.destinationIp } };
    if (parsed.kind === 'service') {
      // The Service the name named the last time, while the view still holds that record.
      let svc = parsed.svc;
      if (!svc || !cluster.isCurrent?.(svc)) parsed.svc = svc = cluster.service(parsed.namespace, parsed.service);
      return serviceTarget(cluster, parsed.namespace, parsed.service, svc, t, parsed.host);
    }
    if (parsed.kind === 'pod-ip') {
      const found = podAt(cluster, parsed.ip, t, { createdSlackMs: podDnsSlackMs });
      if ('reason' in found) return { reason: `server-${found.reason}` };
      if (found.pod.namespace !== parsed.namespace) return { reason: 'pod-name-namespace-mismatch' };
      return { pod: found.pod };
    }
    return { reason: 'unsupported-cluster-name' };
  }

  /** Reference §2.5 TCP/socket: Service ClusterIP, else pod with age rules, else node (never a workload), else Internet. */
  function ipTarget(cluster: ClusterView, r: ConnectionRecord, t: number, client: WorkloadIdentity): Target {
    const ip = r.destinationIp;
    const svc = cluster.serviceByClusterIp(ip);
    if (svc) return serviceTarget(cluster, svc.namespace, svc.name, svc, t);
    if (isApiServerIp(cluster, ip)) return { identity: API_SERVER_IDENTITY };   // the endpoint behind the ClusterIP, after DNAT
    // One look at the IP's pods: 'no-pod' is podAt's answer exactly when the IP has none.
    const found = podAt(cluster, ip, t, serverAge);
    if (!('reason' in found)) return found;
    if (found.reason !== 'no-pod') return { reason: found.reason === 'server-too-young' ? found.reason : `server-${found.reason}` };
    if (cluster.isNodeIp(ip)) return { reason: 'server-node-ip' };
    const bytes = parseIp(ip);
    if (!bytes || isPrivateOrSpecial(bytes)) return { reason: 'unknown-private-ip' };
    return { internet: { domain: dnsCache.lookup(clientKeyOf(client), ip, t), ip } };
  }

  const identityOf = (s: Side): WorkloadIdentity | Promise<WorkloadIdentity> => {
    if ('identity' in s) return s.identity;
    const id = identities.of(s.pod, wallMs);
    if (!s.kubernetesService) return id;
    const svc = s.kubernetesService;
    if (id instanceof Promise) return id.then((x) => withKubernetesService(x, svc));
    // A Service's cached pod keeps its decorated identity while the pod's identity is the same object.
    if (s.base === id) return s.decorated!;
    const decorated = withKubernetesService(id, svc);
    if ('at' in s) { s.base = id; s.decorated = decorated; }
    return decorated;
  };

  const plain = (r: ConnectionRecord, t: number, client: WorkloadIdentity, server: WorkloadIdentity): Resolution =>
    ({ client, lastSeen: t, count: r.count, source: r.source, server, type: 'plain' });

  function finish(r: ConnectionRecord, t: number, client: WorkloadIdentity, cluster: ClusterView, serverSide?: Side): Resolution | Promise<Resolution> {
    const target = serverSide ?? (r.source === 'dns' ? dnsTarget(cluster, r, t) : ipTarget(cluster, r, t, client));
    if ('reason' in target) return target;
    if ('internet' in target) {
      const { domain, ip } = target.internet;
      if (r.source === 'dns' && domain !== undefined) dnsCache.remember(clientKeyOf(client), ip, domain, t, r.ttl);
      const internet: { domain?: string; ips: string[]; ports: number[] } = { ips: [ip], ports: r.destinationPort !== undefined && r.source !== 'dns' ? [r.destinationPort] : [] };
      if (domain !== undefined) internet.domain = domain;
      return { client, lastSeen: t, count: r.count, source: r.source, internet, type: 'internet' };
    }
    const server = identityOf(target);
    if (server instanceof Promise) return server.then((s) => plain(r, t, client, s));
    return plain(r, t, client, server);
  }

  /** Resolves one record seen at `t` (epoch ms, already clamped to now by the caller) against `cluster`; `nowMs` is the wall clock. */
  return function resolveConnection(r: ConnectionRecord, t: number, cluster: ClusterView, nowMs: number): Resolution | Promise<Resolution> {
    wallMs = nowMs;
    const side = clientSide(cluster, r, t);
    if ('reason' in side) return side;
    const client = identityOf(side);
    if (client instanceof Promise) return client.then((c) => finish(r, t, c, cluster));
    return finish(r, t, client, cluster);
  };
}
