// The conformance suite both cluster views must pass: the same objects must give the same answer to every
// ClusterView question. `viewAnswers` asks them all; tests compare the answers of two views and check
// expectations that hold for any faithful view.

import { CANONICAL_NAME_LABEL, istioWorkloadName, TLS_MODE_LABEL } from './istio-workload.ts';
import type { ClusterView, OwnerRef, PodRecord } from './view.ts';

type Obj = Record<string, any>;

export interface ConformanceProbe {
  ips: string[];
  pods: [string, string][];
  services: [string, string][];
  owners: [string, OwnerRef][];
}

/** Every IP, pod, service and owner reference the objects mention, plus names and IPs no object has. */
export function probeFromObjects(objects: readonly Obj[]): ConformanceProbe {
  const ips = new Set<string>(['192.0.2.1', '2001:db8::1']);
  const pods = new Map<string, [string, string]>([['none/none', ['none', 'none']]]);
  const services = new Map<string, [string, string]>([['none/none', ['none', 'none']]]);
  const owners = new Map<string, [string, OwnerRef]>();
  for (const o of objects) {
    const ns = o.metadata?.namespace ?? '';
    const name = o.metadata?.name ?? '';
    if (o.kind === 'Pod') {
      pods.set(`${ns}/${name}`, [ns, name]);
      for (const x of o.status?.podIPs ?? []) if (x?.ip) ips.add(x.ip);
      if (o.status?.podIP) ips.add(o.status.podIP);
    }
    if (o.kind === 'Service') {
      services.set(`${ns}/${name}`, [ns, name]);
      for (const ip of o.spec?.clusterIPs ?? []) ips.add(ip);
      if (o.spec?.clusterIP) ips.add(o.spec.clusterIP);
    }
    if (o.kind === 'EndpointSlice' && o.metadata?.labels?.['kubernetes.io/service-name']) {
      services.set(`${ns}/${o.metadata.labels['kubernetes.io/service-name']}`, [ns, o.metadata.labels['kubernetes.io/service-name']]);
    }
    if (o.kind === 'Endpoints') services.set(`${ns}/${name}`, [ns, name]);
    if (o.kind === 'Node') for (const a of o.status?.addresses ?? []) if (a?.address) ips.add(a.address);
    for (const ref of o.metadata?.ownerReferences ?? []) {
      owners.set(`${ns}/${ref.apiVersion}/${ref.kind}/${ref.name}`, [ns, { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name }]);
    }
    if (o.apiVersion && o.kind && o.metadata?.namespace && !['Pod', 'Service', 'EndpointSlice', 'Endpoints'].includes(o.kind)) {
      owners.set(`${ns}/${o.apiVersion}/${o.kind}/${name}`, [ns, { apiVersion: o.apiVersion, kind: o.kind, name }]);
    }
  }
  const byKey = <T>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
  return { ips: [...ips].sort(), pods: byKey(pods), services: byKey(services), owners: byKey(owners) };
}

/** A pod as compared across views: everything but goneAt (the informer view's own clock). */
function podAnswer(p: PodRecord | undefined) {
  if (!p) return null;
  const { goneAt: _goneAt, ...rest } = p;
  return { ...rest, labels: { ...p.labels }, annotations: { ...p.annotations }, ips: [...p.ips], owner: p.owner ? { ...p.owner } : undefined };
}

/** Asks `view` every ClusterView question the probe names; the result is plain data for deep comparison. */
export async function viewAnswers(view: ClusterView, probe: ConformanceProbe): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { synced: view.isSynced() };
  for (const ip of probe.ips) {
    out[`podsByIp ${ip}`] = view.podsByIp(ip).map(podAnswer);
    out[`serviceByClusterIp ${ip}`] = view.serviceByClusterIp(ip) ?? null;
    out[`isNodeIp ${ip}`] = view.isNodeIp(ip);
  }
  for (const [ns, name] of probe.pods) {
    const pod = view.pod(ns, name);
    out[`pod ${ns}/${name}`] = podAnswer(pod);
    if (pod) out[`isCurrent pod ${ns}/${name}`] = view.isCurrent?.(pod) ?? null;
    const canonical = pod?.labels[CANONICAL_NAME_LABEL];
    if (canonical) out[`podsByCanonicalName ${ns}/${canonical}`] = view.podsByCanonicalName?.(ns, canonical).map((p) => p.name) ?? null;
    if (pod && TLS_MODE_LABEL in pod.labels) {
      const w = istioWorkloadName(pod);
      out[`podsByIstioWorkload ${ns}/${w}`] = view.podsByIstioWorkload?.(ns, w).map((p) => p.name) ?? null;
    }
  }
  for (const [ns, name] of probe.services) {
    const svc = view.service(ns, name);
    out[`service ${ns}/${name}`] = svc ?? null;
    if (svc) out[`isCurrent service ${ns}/${name}`] = view.isCurrent?.(svc) ?? null;
    out[`servicePods ${ns}/${name}`] = view.servicePods(ns, name).map((p) => `${p.namespace}/${p.name}`);
  }
  for (const [ns, ref] of probe.owners) out[`getOwner ${ns} ${ref.apiVersion} ${ref.kind} ${ref.name}`] = (await view.getOwner(ns, ref)) ?? null;
  out.apiServerIps = [...view.apiServerIps()].sort();
  return JSON.parse(JSON.stringify(out));
}
