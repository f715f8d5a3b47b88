// Resolves one DNS, TCP or socket record to an intent observation: the client pod that held the
// source IP then, and the destination (a Service's pods, a pod, the API server, or an Internet name or IP).

import type { ClusterView, PodRecord } from '../cluster/view.ts';
import type { ConnectionRecord } from '../contract.ts';
import type { WorkloadIdentity } from '../model.ts';
import type { IntentObservation } from '../store/entry.ts';
import { parseClusterName } from './cluster-name.ts';
import type { DnsCache } from './dns-cache.ts';
import { API_SERVER_IDENTITY, type IdentityCache } from './identities.ts';
import { isPrivateOrSpecial, parseIp } from './ip.ts';
import { podAt, servicePodsAt } from './pod-at.ts';

export type Resolution = { observation: IntentObservation } | { reason: string };

export interface ConnectionResolverDeps {
  cluster: ClusterView;
  identities: IdentityCache;
  dnsCache: DnsCache;
  clusterDomain: string;
  /** TCP/socket servers must be at least this old at the packet (reference: 5 minutes). */
  minServerAgeMs: number;
  /** Pod DNS names accept pods created up to this long after the packet (reference: 5 minutes). */
  podDnsSlackMs?: number;
}

const POD_DNS_SLACK_MS = 5 * 60_000;

type Target = { server: WorkloadIdentity } | { internet: { domain?: string; ip: string } } | { reason: string };

export function createConnectionResolver(deps: ConnectionResolverDeps) {
  const { cluster, identities, dnsCache, clusterDomain, minServerAgeMs } = deps;
  const podDnsSlackMs = deps.podDnsSlackMs ?? POD_DNS_SLACK_MS;

  /** The `default/kubernetes` ClusterIPs and, when the view knows them, its endpoint addresses. */
  const isApiServerIp = (ip: string): boolean =>
    (cluster.apiServerIps?.() ?? cluster.service('default', 'kubernetes')?.clusterIps ?? []).includes(ip);

  async function identityOf(pod: PodRecord, kubernetesService?: string): Promise<WorkloadIdentity> {
    const id = await identities.of(pod);
    return kubernetesService ? { ...id, kubernetesService } : id;
  }

  /** Reference §2.4: API server, else the pod that held srcIp at t; the socket's hostname must match. */
  async function resolveClient(r: ConnectionRecord, t: number): Promise<WorkloadIdentity | { reason: string }> {
    const found = podAt(cluster, r.srcIp, t);
    // Reference §2.4: the API server's address, unless a host-network pod holds it (then never guessed).
    if (isApiServerIp(r.srcIp) && !('reason' in found && found.reason === 'host-network')) return API_SERVER_IDENTITY;
    if ('reason' in found) {
      if (found.reason === 'no-pod') return { reason: cluster.isNodeIp(r.srcIp) ? 'client-node-ip' : 'no-client-pod' };
      return { reason: found.reason === 'host-network' ? 'client-host-network' : `client-${found.reason}` };
    }
    if (r.srcHostname && found.pod.name !== r.srcHostname) return { reason: 'hostname-mismatch' };
    return identityOf(found.pod);
  }

  async function serviceTarget(namespace: string, name: string, t: number, host?: string): Promise<Target> {
    if (namespace === 'default' && name === 'kubernetes') return { server: API_SERVER_IDENTITY };
    const svc = cluster.service(namespace, name);
    if (!svc) return { reason: 'unknown-service' };
    if (svc.type === 'ExternalName') return { reason: 'external-name-service' };
    const pods = servicePodsAt(cluster, namespace, name, t);
    if (pods.length === 0) return { reason: 'service-without-pods' };
    // `pod-0.svc.ns.svc.<domain>` names one pod of a headless Service; pods behind a Service are
    // otherwise assumed identical (reference §2.5), so the first valid one speaks for all.
    const pod = (host && pods.find((p) => p.name === host)) || pods[0];
    return { server: await identityOf(pod, svc.name) };
  }

  async function dnsTarget(r: ConnectionRecord, t: number): Promise<Target> {
    const parsed = parseClusterName(r.destination, clusterDomain);
    if (!parsed) return { internet: { domain: r.destination, ip: r.destinationIp } };
    if (parsed.kind === 'service') return serviceTarget(parsed.namespace, parsed.service, t, parsed.host);
    if (parsed.kind === 'pod-ip') {
      const found = podAt(cluster, parsed.ip, t, { createdSlackMs: podDnsSlackMs });
      if ('reason' in found) return { reason: `server-${found.reason}` };
      if (found.pod.namespace !== parsed.namespace) return { reason: 'pod-name-namespace-mismatch' };
      return { server: await identityOf(found.pod) };
    }
    return { reason: 'unsupported-cluster-name' };
  }

  /** Reference §2.5 TCP/socket: Service ClusterIP, else node (never a workload), else pod with age rules, else Internet. */
  async function ipTarget(r: ConnectionRecord, t: number, clientKey: string): Promise<Target> {
    const ip = r.destinationIp;
    const svc = cluster.serviceByClusterIp(ip);
    if (svc) return serviceTarget(svc.namespace, svc.name, t);
    if (isApiServerIp(ip)) return { server: API_SERVER_IDENTITY };   // the endpoint behind the ClusterIP, after DNAT
    if (cluster.podsByIp(ip).length > 0) {
      const found = podAt(cluster, ip, t, { minAgeMs: minServerAgeMs });
      if ('reason' in found) return { reason: found.reason === 'server-too-young' ? found.reason : `server-${found.reason}` };
      return { server: await identityOf(found.pod) };
    }
    if (cluster.isNodeIp(ip)) return { reason: 'server-node-ip' };
    const bytes = parseIp(ip);
    if (!bytes || isPrivateOrSpecial(bytes)) return { reason: 'unknown-private-ip' };
    return { internet: { domain: dnsCache.lookup(clientKey, ip, t), ip } };
  }

  /** Resolves one record seen at `t` (epoch ms, already clamped to now by the caller). */
  return async function resolveConnection(r: ConnectionRecord, t: number): Promise<Resolution> {
    const client = await resolveClient(r, t);
    if ('reason' in client) return client;
    const clientKey = `${client.namespace}/${client.name}`;
    const target = r.source === 'dns' ? await dnsTarget(r, t) : await ipTarget(r, t, clientKey);
    if ('reason' in target) return target;
    const base = { client, lastSeen: t, count: r.count, source: r.source } as const;
    if ('server' in target) return { observation: { ...base, server: target.server, type: 'plain' } };
    const { domain, ip } = target.internet;
    if (r.source === 'dns' && domain !== undefined) dnsCache.remember(clientKey, ip, domain, t, r.ttl);
    const internet = { ips: [ip], ports: r.destinationPort !== undefined && r.source !== 'dns' ? [r.destinationPort] : [] } as { domain?: string; ips: string[]; ports: number[] };
    if (domain !== undefined) internet.domain = domain;
    return { observation: { ...base, internet, type: 'internet' } };
  };
}
