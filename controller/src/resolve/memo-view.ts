// A per-report memo over the cluster view: within one report the same Services and API server addresses
// are asked about again and again, and the view builds a fresh sorted array of a Service's pods each time.
// (IP questions go straight to the view: its index answers them by integer key, cheaper than a memo by
// string.) Only lives for one ingest call, so it never serves stale answers across reports.

import type { ClusterView, PodRecord } from '../cluster/view.ts';

export function memoView(view: ClusterView): ClusterView {
  const svcPods = new Map<string, PodRecord[]>();
  let apiIps: readonly string[] | undefined;
  const memo: ClusterView = {
    podsByIp: (ip) => view.podsByIp(ip),
    pod: (ns, name) => view.pod(ns, name),
    serviceByClusterIp: (ip) => view.serviceByClusterIp(ip),
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
