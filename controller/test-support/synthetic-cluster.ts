// A synthetic cluster of any size for scale tests and benchmarks: Deployments → ReplicaSets → Pods, one
// Service (ClusterIP, dual-stack) with an EndpointSlice per Deployment, Nodes. Objects are shaped like the
// real dumps in fixtures/k8s (same fields a kubelet/API server fills), but small: about 1 KB of JSON per pod.

type Obj = Record<string, any>;

export interface SyntheticClusterOptions {
  pods: number;
  /** Pods per Deployment (default 10). */
  podsPerDeployment?: number;
  /** Pods per Node (default 100). */
  podsPerNode?: number;
  /** Namespaces the Deployments are spread over (default 20). */
  namespaces?: number;
}

/** The IPv4 address of pod number `i` (10.128.0.0/9), and its IPv6 twin (fd00:10:244::/64). */
export function syntheticPodIps(i: number): [string, string] {
  const v4 = `10.${128 + ((i >> 16) & 127)}.${(i >> 8) & 255}.${i & 255}`;
  return [v4, `fd00:10:244::${(i + 1).toString(16)}`];
}

/** The ClusterIP of Deployment number `d`'s Service (10.96.0.0/12), and its IPv6 twin. */
export function syntheticServiceIps(d: number): [string, string] {
  return [`10.${96 + ((d >> 16) & 15)}.${(d >> 8) & 255}.${d & 255}`, `fd00:10:96::${(d + 1).toString(16)}`];
}

export function syntheticCluster(opts: SyntheticClusterOptions): Obj[] {
  const perDep = opts.podsPerDeployment ?? 10;
  const perNode = opts.podsPerNode ?? 100;
  const nsCount = opts.namespaces ?? 20;
  const created = '2026-01-01T00:00:00Z';
  const out: Obj[] = [];
  const deployments = Math.ceil(opts.pods / perDep);
  for (let n = 0; n < Math.ceil(opts.pods / perNode); n++) {
    out.push({ apiVersion: 'v1', kind: 'Node', metadata: { name: `node-${n}`, uid: `node-uid-${n}`, creationTimestamp: created, labels: { 'kubernetes.io/hostname': `node-${n}` } },
      status: { addresses: [{ type: 'InternalIP', address: `172.16.${n >> 8}.${n & 255}` }, { type: 'Hostname', address: `node-${n}` }] } });
  }
  for (let d = 0; d < deployments; d++) {
    const ns = `ns-${d % nsCount}`;
    const app = `app-${d}`;
    const rs = `${app}-5d8f7c9b6`;
    const labels = { app, 'app.kubernetes.io/name': app, 'pod-template-hash': '5d8f7c9b6' };
    out.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: app, namespace: ns, uid: `dep-${d}`, creationTimestamp: created, labels: { app } },
      spec: { replicas: perDep, selector: { matchLabels: { app } } } });
    out.push({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: rs, namespace: ns, uid: `rs-${d}`, creationTimestamp: created, labels,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: app, uid: `dep-${d}`, controller: true, blockOwnerDeletion: true }] },
    spec: { replicas: perDep, selector: { matchLabels: { app } } } });
    const [v4, v6] = syntheticServiceIps(d);
    out.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: app, namespace: ns, uid: `svc-${d}`, creationTimestamp: created, labels: { app } },
      spec: { type: 'ClusterIP', clusterIP: v4, clusterIPs: [v4, v6], ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'PreferDualStack',
        selector: { app }, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }] } });
    const endpoints: Obj[] = [];
    for (let k = 0; k < perDep; k++) {
      const i = d * perDep + k;
      if (i >= opts.pods) break;
      const name = `${rs}-${i.toString(36).padStart(5, '0')}`;
      const [ip4, ip6] = syntheticPodIps(i);
      const nodeName = `node-${Math.floor(i / perNode)}`;
      out.push({ apiVersion: 'v1', kind: 'Pod',
        metadata: { name, namespace: ns, uid: `pod-${i}`, creationTimestamp: created, labels, generateName: `${rs}-`,
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs, uid: `rs-${d}`, controller: true, blockOwnerDeletion: true }] },
        spec: { nodeName, serviceAccountName: 'default', restartPolicy: 'Always', dnsPolicy: 'ClusterFirst',
          containers: [{ name: 'app', image: `registry.example/${app}:1.0.0`, ports: [{ containerPort: 8080, protocol: 'TCP' }],
            resources: { requests: { cpu: '10m', memory: '32Mi' } } }] },
        status: { phase: 'Running', hostIP: `172.16.${Math.floor(i / perNode) >> 8}.${Math.floor(i / perNode) & 255}`, podIP: ip4, podIPs: [{ ip: ip4 }, { ip: ip6 }],
          startTime: created, qosClass: 'Burstable', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: created }] } });
      endpoints.push({ addresses: [ip4], conditions: { ready: true, serving: true, terminating: false }, nodeName, targetRef: { kind: 'Pod', name, namespace: ns, uid: `pod-${i}` } });
    }
    out.push({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
      metadata: { name: `${app}-abcde`, namespace: ns, uid: `eps-${d}`, creationTimestamp: created, labels: { 'kubernetes.io/service-name': app } },
      endpoints, ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] });
  }
  return out;
}
