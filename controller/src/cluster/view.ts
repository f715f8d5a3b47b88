// The cluster view: what resolution may ask of the cluster. Two implementations share this interface
// and one conformance suite: informers over the Kubernetes API, and a static snapshot for replay.

/** A pod's ownerReferences[0] (the controller), as resolution needs it. */
export interface OwnerRef {
  apiVersion: string;
  kind: string;
  name: string;
  uid?: string;
}

/** Only the pod fields resolution needs, so memory grows slowly with the cluster. */
export interface PodRecord {
  uid: string;
  name: string;
  namespace: string;
  /** status.podIPs (IPv4 and IPv6). */
  ips: string[];
  hostNetwork: boolean;
  nodeName?: string;
  phase?: string;
  /** metadata.creationTimestamp, epoch milliseconds. */
  createdAt: number;
  /** metadata.deletionTimestamp, epoch milliseconds, once the pod is deleting. */
  deletingAt?: number;
  /** Pods in a terminal phase (Succeeded, Failed): when they stopped running, epoch milliseconds (objects.ts). */
  endedAt?: number;
  /** When the view saw the pod removed from the API (informer view only), epoch milliseconds. */
  goneAt?: number;
  labels: Record<string, string>;
  /** Only the annotations identity rules read (workload-name annotations). */
  annotations: Record<string, string>;
  owner?: OwnerRef;
  /** Container images (mesh sidecars left out); only kept when the view is asked to (`keepImages`). */
  images?: string[];
}

/** A controller object met on an owner walk (ReplicaSet, Deployment, Job, CronJob, ...). */
export interface OwnerRecord {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  uid?: string;
  owner?: OwnerRef;
}

export interface ServiceRecord {
  uid: string;
  name: string;
  namespace: string;
  /** ClusterIP, NodePort, LoadBalancer, ExternalName. */
  type: string;
  /** spec.clusterIPs; empty for headless and ExternalName services. */
  clusterIps: string[];
  headless: boolean;
  externalName?: string;
}

export interface ClusterView {
  /** Every pod known to hold or to have held `ip` (recently deleted pods included), newest first. */
  podsByIp(ip: string): readonly PodRecord[];
  pod(namespace: string, name: string): PodRecord | undefined;
  /** The Service whose ClusterIP is `ip`. */
  serviceByClusterIp(ip: string): ServiceRecord | undefined;
  service(namespace: string, name: string): ServiceRecord | undefined;
  /** Pods behind a Service through its EndpointSlices (ready and not ready endpoints with a Pod targetRef). */
  servicePods(namespace: string, name: string): PodRecord[];
  /** True for a Node's InternalIP or ExternalIP. */
  isNodeIp(ip: string): boolean;
  /** The owner object named by `ref` in `namespace`; undefined when it cannot be read (not found, forbidden,
   *  unknown kind). May fetch on demand; the informer view then rejects with OwnerReadError (code owner-read)
   *  on a transient failure (5xx, throttling, network), so no identity is settled from a half walk. */
  getOwner(namespace: string, ref: OwnerRef): Promise<OwnerRecord | undefined>;
  /** True once every initial list has been received. */
  isSynced(): boolean;
  /** The API server's addresses: the `default/kubernetes` Service's ClusterIPs and its endpoint addresses
   *  (reference §2.4). */
  apiServerIps(): readonly string[];
  /** Live pods labelled `service.istio.io/canonical-name=<name>` in `namespace`, sorted by name: how an Istio
   *  workload name becomes a pod (reference §2.5). Optional: both views here implement it, test doubles need not. */
  podsByCanonicalName?(namespace: string, name: string): readonly PodRecord[];
  /** Live meshed pods (label `security.istio.io/tlsMode`) whose Istio workload name (istio-workload.ts) is `name`. */
  podsByIstioWorkload?(namespace: string, name: string): readonly PodRecord[];
  /** True while `record` is the one this view holds for its namespace and name (not replaced by an update,
   *  not deleted): what `pod(ns, name) === record` or `service(ns, name) === record` says, without the lookup.
   *  Optional: both views here implement it; without it, resolution asks pod()/service(). */
  isCurrent?(record: PodRecord | ServiceRecord): boolean;
}
