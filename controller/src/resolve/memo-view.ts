// A per-report memo over the cluster view: within one report the same Services and API server addresses
// are asked about again and again, and the view builds a fresh sorted array of a Service's pods each time.
// (IP questions go straight to the view: its index answers them by integer key, cheaper than a memo by
// string.) Only lives for one ingest call, so it never serves stale answers across reports.
// A class, not an object of closures: one is made per report, and a single-record report should not pay
// for a dozen functions.

import type { ClusterView, OwnerRef, PodRecord, ServiceRecord } from '../cluster/view.ts';

class MemoView implements ClusterView {
  /** Made on the first Service asked about: a single-record report may ask none. */
  private svcPods: Map<string, PodRecord[]> | undefined;
  private apiIps: readonly string[] | undefined;
  // Optional questions: present exactly when the view answers them (istio.ts tells "no index" by absence).
  podsByCanonicalName?: ClusterView['podsByCanonicalName'];
  podsByIstioWorkload?: ClusterView['podsByIstioWorkload'];
  isCurrent?: ClusterView['isCurrent'];

  constructor(private readonly view: ClusterView) {
    if (view.podsByCanonicalName) this.podsByCanonicalName = forwardCanonicalName;
    if (view.podsByIstioWorkload) this.podsByIstioWorkload = forwardIstioWorkload;
    if (view.isCurrent) this.isCurrent = forwardIsCurrent;
  }

  podsByIp(ip: string) { return this.view.podsByIp(ip); }
  pod(ns: string, name: string) { return this.view.pod(ns, name); }
  serviceByClusterIp(ip: string) { return this.view.serviceByClusterIp(ip); }
  service(ns: string, name: string) { return this.view.service(ns, name); }
  servicePods(ns: string, name: string) {
    const k = `${ns}/${name}`;
    const memo = (this.svcPods ??= new Map());
    let v = memo.get(k);
    if (!v) { v = this.view.servicePods(ns, name); memo.set(k, v); }
    return v;
  }
  isNodeIp(ip: string) { return this.view.isNodeIp(ip); }
  getOwner(ns: string, ref: OwnerRef) { return this.view.getOwner(ns, ref); }
  isSynced() { return this.view.isSynced(); }
  apiServerIps() { return (this.apiIps ??= this.view.apiServerIps()); }
  /** The view underneath (for the optional forwards below). */
  get inner(): ClusterView { return this.view; }
}

function forwardCanonicalName(this: MemoView, ns: string, name: string) { return this.inner.podsByCanonicalName!(ns, name); }
function forwardIstioWorkload(this: MemoView, ns: string, name: string) { return this.inner.podsByIstioWorkload!(ns, name); }
function forwardIsCurrent(this: MemoView, record: PodRecord | ServiceRecord) { return this.inner.isCurrent!(record); }

export function memoView(view: ClusterView): ClusterView {
  return new MemoView(view);
}
