// A per-report memo over the cluster view: within one report the same Service, IP and API server
// addresses are asked about again and again, and the view builds a fresh sorted array each time.
// Only lives for one ingest call, so it never serves stale answers across reports.

import type { ClusterView, PodRecord, ServiceRecord } from '../cluster/view.ts';

export function memoView(view: ClusterView): ClusterView {
  const byIp = new Map<string, readonly PodRecord[]>();
  const svcPods = new Map<string, PodRecord[]>();
  const svcByIp = new Map<string, ServiceRecord | undefined>();
  let apiIps: readonly string[] | undefined;
  const memo: ClusterView = {
    podsByIp(ip) {
      let v = byIp.get(ip);
      if (!v) { v = view.podsByIp(ip); byIp.set(ip, v); }
      return v;
    },
    pod: (ns, name) => view.pod(ns, name),
    serviceByClusterIp(ip) {
      if (svcByIp.has(ip)) return svcByIp.get(ip);
      const s = view.serviceByClusterIp(ip);
      svcByIp.set(ip, s);
      return s;
    },
    service: (ns, name) => view.service(ns, name),
    servicePods(ns, name) {
      const k = `${ns}/${name}`;
      let v = svcPods.get(k);
      if (!v) { v = view.servicePods(ns, name); svcPods.set(k, v); }
      return v;
    },
    isNodeIp: (ip) => view.isNodeIp(ip),
    getOwner: (ns, ref) => view.getOwner(ns, ref),
    isSynced: () => view.isSynced(),
    apiServerIps: () => (apiIps ??= view.apiServerIps()),
  };
  if (view.podsByCanonicalName) memo.podsByCanonicalName = (ns, name) => view.podsByCanonicalName!(ns, name);
  if (view.podsByIstioWorkload) memo.podsByIstioWorkload = (ns, name) => view.podsByIstioWorkload!(ns, name);
  if (view.isCurrent) memo.isCurrent = (record) => view.isCurrent!(record);
  return memo;
}
