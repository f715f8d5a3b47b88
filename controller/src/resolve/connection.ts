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
import { clientMissReason, podAliveAt, podHolding, type PodAtOptions } from './pod-at.ts';

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

/** A Service's pod before its identity is known: the cached entry, or (a headless pod name) a pod just found. */
type ServiceSide = Pick<ServicePodEntry, 'pod' | 'kubernetesService' | 'base' | 'decorated'> | ServicePodEntry;
/** A server found: its identity (or the lookup under way), or why there is none. */
type Server = WorkloadIdentity | Promise<WorkloadIdentity> | string;

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
  const podDnsName: PodAtOptions = { createdSlackMs: deps.podDnsSlackMs ?? POD_DNS_SLACK_MS };   // and for a pod DNS name
  const serverAge: PodAtOptions = { minAgeMs: minServerAgeMs };   // podHolding's options for a TCP/socket server, made once
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

  /** Reference §2.4: API server, else the pod that held srcIp at t (the socket's hostname must match), else why not. */
  function clientSide(cluster: ClusterView, r: ConnectionRecord, t: number): PodRecord | WorkloadIdentity | string {
    const found = podHolding(cluster, r.srcIp, t);
    // The API server's address, unless a host-network pod holds it or it is a node's address (single-node
    // clusters, where the node also sources kubelet probes and masqueraded pod traffic): then never guessed.
    if (isApiServerIp(cluster, r.srcIp) && !cluster.isNodeIp(r.srcIp) && found !== 'host-network') return API_SERVER_IDENTITY;
    if (typeof found === 'string') return found === 'no-pod' && cluster.isNodeIp(r.srcIp) ? 'client-node-ip' : clientMissReason(found);
    if (r.srcHostname && found.name !== r.srcHostname) return 'hostname-mismatch';
    return found;
  }

  /** The identity of a Service's pod as reached through the Service. A cached Service pod keeps its
   *  decorated identity while the pod's identity is the same object. */
  const throughService = (s: ServiceSide): WorkloadIdentity | Promise<WorkloadIdentity> => {
    const id = identities.of(s.pod, wallMs);
    const svc = s.kubernetesService;
    if (id instanceof Promise) return id.then((x) => withKubernetesService(x, svc));
    if (s.base === id) return s.decorated!;
    const decorated = withKubernetesService(id, svc);
    if ('at' in s) { s.base = id; s.decorated = decorated; }
    return decorated;
  };

  /** `svc` is the Service named `namespace/name` in `cluster` (looked up by name or by ClusterIP). */
  function serviceServer(cluster: ClusterView, namespace: string, name: string, svc: ServiceRecord | undefined, t: number, host?: string): Server {
    if (namespace === 'default' && name === 'kubernetes') return API_SERVER_IDENTITY;
    if (!svc) return 'unknown-service';
    if (svc.type === 'ExternalName') return 'external-name-service';
    // `pod-0.svc.ns.svc.<domain>` names one pod of a headless Service; pods behind a Service are
    // otherwise assumed identical (reference §2.5), so the first valid one speaks for all.
    const first = servicePod(cluster, svc, t, host);
    if (!first) return 'service-without-pods';
    return throughService('kubernetesService' in first ? first : { pod: first, kubernetesService: svc.name });
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

  const plain = (r: ConnectionRecord, t: number, client: WorkloadIdentity, server: WorkloadIdentity): Resolution =>
    ({ client, lastSeen: t, count: r.count, source: r.source, server, type: 'plain' });

  /** The edge to a server found, or why there is none. */
  const toServer = (r: ConnectionRecord, t: number, client: WorkloadIdentity, server: Server): Resolution | Promise<Resolution> => {
    if (typeof server === 'string') return { reason: server };
    if (server instanceof Promise) return server.then((s) => plain(r, t, client, s));
    return plain(r, t, client, server);
  };

  /** The edge to an Internet destination; a DNS answer is remembered for the SYNs to its address that follow. */
  function toInternet(r: ConnectionRecord, t: number, client: WorkloadIdentity, domain: string | undefined, ip: string): Resolution {
    if (r.source === 'dns' && domain !== undefined) dnsCache.remember(clientKeyOf(client), ip, domain, t, r.ttl);
    const internet: { domain?: string; ips: string[]; ports: number[] } = { ips: [ip], ports: r.destinationPort !== undefined && r.source !== 'dns' ? [r.destinationPort] : [] };
    if (domain !== undefined) internet.domain = domain;
    return { client, lastSeen: t, count: r.count, source: r.source, internet, type: 'internet' };
  }

  /** A DNS record: the Service or pod its cluster name names, else the Internet name. */
  function toDnsName(cluster: ClusterView, r: ConnectionRecord, t: number, client: WorkloadIdentity): Resolution | Promise<Resolution> {
    const parsed = clusterName(r.destination);
    if (!parsed) return toInternet(r, t, client, r.destination, r.destinationIp);
    if (parsed.kind === 'service') {
      // The Service the name named the last time, while the view still holds that record.
      let svc = parsed.svc;
      if (!svc || !cluster.isCurrent?.(svc)) parsed.svc = svc = cluster.service(parsed.namespace, parsed.service);
      return toServer(r, t, client, serviceServer(cluster, parsed.namespace, parsed.service, svc, t, parsed.host));
    }
    if (parsed.kind === 'pod-ip') {
      const found = podHolding(cluster, parsed.ip, t, podDnsName);
      if (typeof found === 'string') return { reason: `server-${found}` };
      if (found.namespace !== parsed.namespace) return { reason: 'pod-name-namespace-mismatch' };
      return toServer(r, t, client, identities.of(found, wallMs));
    }
    return { reason: 'unsupported-cluster-name' };
  }

  /** Reference §2.5 TCP/socket: Service ClusterIP, else pod with age rules, else node (never a workload), else Internet. */
  function toAddress(cluster: ClusterView, r: ConnectionRecord, t: number, client: WorkloadIdentity): Resolution | Promise<Resolution> {
    const ip = r.destinationIp;
    const svc = cluster.serviceByClusterIp(ip);
    if (svc) return toServer(r, t, client, serviceServer(cluster, svc.namespace, svc.name, svc, t));
    if (isApiServerIp(cluster, ip)) return plain(r, t, client, API_SERVER_IDENTITY);   // the endpoint behind the ClusterIP, after DNAT
    // One look at the IP's pods: 'no-pod' is the answer exactly when the IP has none.
    const found = podHolding(cluster, ip, t, serverAge);
    if (typeof found !== 'string') return toServer(r, t, client, identities.of(found, wallMs));
    if (found !== 'no-pod') return { reason: found === 'server-too-young' ? found : `server-${found}` };
    if (cluster.isNodeIp(ip)) return { reason: 'server-node-ip' };
    const bytes = parseIp(ip);
    if (!bytes || isPrivateOrSpecial(bytes)) return { reason: 'unknown-private-ip' };
    return toInternet(r, t, client, dnsCache.lookup(clientKeyOf(client), ip, t), ip);
  }

  const finish = (r: ConnectionRecord, t: number, client: WorkloadIdentity, cluster: ClusterView): Resolution | Promise<Resolution> =>
    (r.source === 'dns' ? toDnsName(cluster, r, t, client) : toAddress(cluster, r, t, client));

  /** Resolves one record seen at `t` (epoch ms, already clamped to now by the caller) against `cluster`; `nowMs` is the wall clock.
   *  The common case allocates only the observation: pods and identities are handed on as they are, not wrapped. */
  return function resolveConnection(r: ConnectionRecord, t: number, cluster: ClusterView, nowMs: number): Resolution | Promise<Resolution> {
    wallMs = nowMs;
    const side = clientSide(cluster, r, t);
    if (typeof side === 'string') return { reason: side };
    const client = side === API_SERVER_IDENTITY ? API_SERVER_IDENTITY : identities.of(side as PodRecord, wallMs);
    if (client instanceof Promise) return client.then((c) => finish(r, t, c, cluster));
    return finish(r, t, client, cluster);
  };
}
