// Test helper: builds cluster objects the way Otterize's mapper tests do (network-mapper
// src/shared/testbase/testsuitebase.go @ 52ab07d), so its resolver scenarios can be replayed as data:
// Deployment `deployment-<n>` → ReplicaSet `replicaset-<n>` → pods `<n>-<i>`; DaemonSet `daemonset-<n>`
// → pods `<n>-<i>`; Service `svc-<n>` selecting them, with its endpoints; bare pods by name.

type Obj = Record<string, unknown>;

export const TEST_NS = 'resolver-test';
/** Every object is created at this time (envtest creates them "now"; the scenarios' packet times are relative to it). */
export const CREATED = Date.parse('2026-01-01T00:00:00Z');
export const API_SERVER_CLUSTER_IP = '10.96.0.1';
export const API_SERVER_ENDPOINT = '172.18.0.2';

export class OtterizeCluster {
  readonly objects: Obj[] = [];
  private readonly at = new Date(CREATED).toISOString();

  constructor() {
    this.objects.push(
      { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node1', uid: 'node1' }, status: { addresses: [{ type: 'InternalIP', address: '192.168.0.3' }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', namespace: 'default', uid: 'svc-kubernetes', creationTimestamp: this.at },
        spec: { type: 'ClusterIP', clusterIP: API_SERVER_CLUSTER_IP, clusterIPs: [API_SERVER_CLUSTER_IP] } },
      { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
        metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
        endpoints: [{ addresses: [API_SERVER_ENDPOINT] }] },
    );
  }

  /** `completed`: the pod was created and finished this long before CREATED (phase Succeeded, podIP kept, as Kubernetes does). */
  addPod(name: string, ip: string, labels: Record<string, string> = {}, owner?: Obj, extra: { hostNetwork?: boolean; deleting?: boolean; completed?: { createdMsBefore: number; finishedMsBefore: number } } = {}): Obj {
    const done = extra.completed;
    const pod: Obj = {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name, namespace: TEST_NS, uid: `uid-${name}`, creationTimestamp: done ? new Date(CREATED - done.createdMsBefore).toISOString() : this.at, labels,
        ...(extra.deleting ? { deletionTimestamp: this.at, finalizers: ['intents.otterize.com/finalizer-so-that-object-cant-be-deleted-for-this-test'] } : {}),
        ...(owner ? { ownerReferences: [{ ...owner, controller: true }] } : {}) },
      spec: { containers: [{ name, image: 'nginx' }], ...(extra.hostNetwork ? { hostNetwork: true } : {}) },
      status: { phase: done ? 'Succeeded' : 'Running', ...(ip ? { podIP: ip, podIPs: [{ ip }] } : {}),
        ...(done ? { containerStatuses: [{ name, state: { terminated: { exitCode: 0, reason: 'Completed', finishedAt: new Date(CREATED - done.finishedMsBefore).toISOString() } } }] } : {}) },
    };
    this.objects.push(pod);
    return pod;
  }

  addDeployment(name: string, podIps: string[], labels: Record<string, string>): Obj[] {
    this.objects.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `deployment-${name}`, namespace: TEST_NS, uid: `uid-deployment-${name}` } });
    this.objects.push({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: `replicaset-${name}`, namespace: TEST_NS, uid: `uid-replicaset-${name}`,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: `deployment-${name}`, controller: true }] } });
    return podIps.map((ip, i) => this.addPod(`${name}-${i}`, ip, labels, { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `replicaset-${name}` }));
  }

  addDaemonSet(name: string, podIps: string[], labels: Record<string, string>): Obj[] {
    this.objects.push({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: `daemonset-${name}`, namespace: TEST_NS, uid: `uid-daemonset-${name}` } });
    return podIps.map((ip, i) => this.addPod(`${name}-${i}`, ip, labels, { apiVersion: 'apps/v1', kind: 'DaemonSet', name: `daemonset-${name}` }));
  }

  addService(name: string, clusterIp: string, pods: Obj[], type = 'ClusterIP'): void {
    const svc = `svc-${name}`;
    this.objects.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: svc, namespace: TEST_NS, uid: `uid-${svc}`, creationTimestamp: this.at },
      spec: { type, clusterIP: clusterIp, clusterIPs: [clusterIp], ports: [{ name: 'someport', port: 8080, protocol: 'TCP' }] } });
    this.objects.push({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
      metadata: { name: `${svc}-x`, namespace: TEST_NS, labels: { 'kubernetes.io/service-name': svc } },
      endpoints: pods.map((p) => {
        const m = p.metadata as { name: string }; const st = p.status as { podIP?: string };
        return { addresses: [st.podIP], targetRef: { kind: 'Pod', name: m.name, namespace: TEST_NS } };
      }) });
  }

  addDeploymentWithService(name: string, podIps: string[], labels: Record<string, string>, clusterIp: string): Obj[] {
    const pods = this.addDeployment(name, podIps, labels);
    this.addService(name, clusterIp, pods);
    return pods;
  }

  addDaemonSetWithService(name: string, podIps: string[], labels: Record<string, string>, clusterIp: string): Obj[] {
    const pods = this.addDaemonSet(name, podIps, labels);
    this.addService(name, clusterIp, pods);
    return pods;
  }
}
