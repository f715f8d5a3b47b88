// A synthetic cluster for the controller benchmark: `pods` pods in Deployments of 10 (ReplicaSet,
// Service, EndpointSlice each), spread over 100 namespaces and pods/100 nodes. Objects look like
// real API output (labels, owner references, containers, conditions), so list and watch sizes are honest.

export const PODS_PER_DEPLOYMENT = 10;
export const NAMESPACES = 100;

export const nsOf = (d: number): string => `ns-${d % NAMESPACES}`;
export const podIp = (i: number): string => `10.${(i >> 16) + 1}.${(i >> 8) & 255}.${i & 255}`;
export const serviceIp = (d: number): string => `172.20.${d >> 8}.${d & 255}`;
export const nodeIp = (n: number): string => `192.168.${(n + 1) >> 8}.${(n + 1) & 255}`;
export const podName = (i: number): string => `app-${Math.floor(i / PODS_PER_DEPLOYMENT)}-7d9f8b6c5-${(i % PODS_PER_DEPLOYMENT).toString(36).padStart(5, 'x')}`;
export const deploymentOf = (i: number): number => Math.floor(i / PODS_PER_DEPLOYMENT);

const CREATED = '2026-01-01T00:00:00Z';

export function* clusterObjects(pods: number): Generator<Record<string, unknown>> {
  const deployments = Math.ceil(pods / PODS_PER_DEPLOYMENT);
  const nodes = Math.max(1, Math.ceil(pods / 100));
  for (let n = 0; n < NAMESPACES; n++) yield { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${n}` } };
  for (let n = 0; n < nodes; n++) {
    yield {
      apiVersion: 'v1', kind: 'Node', metadata: { name: `node-${n}`, labels: { 'kubernetes.io/hostname': `node-${n}`, 'kubernetes.io/os': 'linux' } },
      status: { addresses: [{ type: 'InternalIP', address: nodeIp(n) }, { type: 'Hostname', address: `node-${n}` }], capacity: { cpu: '8', memory: '32Gi', pods: '110' } },
    };
  }
  yield { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', namespace: 'default' }, spec: { type: 'ClusterIP', clusterIP: '172.19.0.1', clusterIPs: ['172.19.0.1'], ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] } };
  for (let d = 0; d < deployments; d++) {
    const ns = nsOf(d), app = `app-${d}`, rs = `${app}-7d9f8b6c5`;
    const labels = { app, 'app.kubernetes.io/name': app, 'pod-template-hash': '7d9f8b6c5' };
    yield { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: app, namespace: ns, uid: `dep-${d}`, labels: { app } }, spec: { replicas: PODS_PER_DEPLOYMENT, selector: { matchLabels: { app } } } };
    yield { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: rs, namespace: ns, uid: `rs-${d}`, labels, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: app, uid: `dep-${d}`, controller: true, blockOwnerDeletion: true }] }, spec: { replicas: PODS_PER_DEPLOYMENT } };
    yield { apiVersion: 'v1', kind: 'Service', metadata: { name: app, namespace: ns, uid: `svc-${d}` }, spec: { type: 'ClusterIP', clusterIP: serviceIp(d), clusterIPs: [serviceIp(d)], selector: { app }, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }] } };
    const endpoints = [];
    for (let i = d * PODS_PER_DEPLOYMENT; i < Math.min(pods, (d + 1) * PODS_PER_DEPLOYMENT); i++) {
      endpoints.push({ addresses: [podIp(i)], conditions: { ready: true, serving: true, terminating: false }, nodeName: `node-${i % nodes}`, targetRef: { kind: 'Pod', name: podName(i), namespace: ns, uid: `pod-${i}` } });
      yield {
        apiVersion: 'v1', kind: 'Pod',
        metadata: {
          name: podName(i), namespace: ns, uid: `pod-${i}`, creationTimestamp: CREATED, labels, generateName: `${rs}-`,
          annotations: { 'kubectl.kubernetes.io/restartedAt': CREATED, 'prometheus.io/scrape': 'true' },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs, uid: `rs-${d}`, controller: true, blockOwnerDeletion: true }],
        },
        spec: {
          nodeName: `node-${i % nodes}`, serviceAccountName: 'default', restartPolicy: 'Always', dnsPolicy: 'ClusterFirst',
          containers: [{ name: 'app', image: `registry.example.com/team/${app}:1.2.3`, ports: [{ containerPort: 8080, protocol: 'TCP' }],
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
            env: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'PORT', value: '8080' }],
            volumeMounts: [{ name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }] }],
          volumes: [{ name: 'kube-api-access', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }] } }],
        },
        status: {
          phase: 'Running', hostIP: nodeIp(i % nodes), podIP: podIp(i), podIPs: [{ ip: podIp(i) }], startTime: CREATED, qosClass: 'Burstable',
          conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastTransitionTime: CREATED })),
          containerStatuses: [{ name: 'app', ready: true, restartCount: 0, image: `registry.example.com/team/${app}:1.2.3`, imageID: `registry.example.com/team/${app}@sha256:${'ab'.repeat(32)}`, containerID: `containerd://${'cd'.repeat(32)}`, started: true, state: { running: { startedAt: CREATED } } }],
        },
      };
    }
    yield { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: `${app}-abcde`, namespace: ns, labels: { 'kubernetes.io/service-name': app, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' } }, addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], endpoints };
  }
}
