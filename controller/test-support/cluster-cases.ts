// The objects the conformance suite and the informer tests feed to both cluster views: the real dumps
// (popeye's ownership graph, k9s, kubectl-neat), plus a few objects derived from them for the cases the dumps
// lack (the API server Service and its EndpointSlice, a dual-stack pod, IP reuse, a deleting pod, host network).

import { fixtureFiles, fixtureObjects } from './fixtures.ts';

type Obj = Record<string, any>;

export function realDumpObjects(): Obj[] {
  return [...fixtureObjects(fixtureFiles('popeye')), ...fixtureObjects(fixtureFiles('k9s')), ...fixtureObjects(fixtureFiles('kubectl-neat'))];
}

/** A copy of the k9s sidecar pod (real dump) with a new name, IPs and metadata. */
export function derivedPod(name: string, namespace: string, ips: string[], extra: { metadata?: Obj; spec?: Obj } = {}): Obj {
  const base = fixtureObjects(fixtureFiles('k9s').filter((f) => f.endsWith('po_sidecar.json')))[0];
  const p: Obj = structuredClone(base);
  p.metadata = { ...p.metadata, name, namespace, uid: `uid-${namespace}-${name}`, ...extra.metadata };
  delete p.metadata.resourceVersion;
  p.spec = { ...p.spec, ...extra.spec };
  p.status = { ...p.status, podIP: ips[0], podIPs: ips.map((ip) => ({ ip })) };
  return p;
}

export function derivedObjects(): Obj[] {
  return [
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', namespace: 'default', uid: 'uid-svc-kubernetes', creationTimestamp: '2024-01-01T00:00:00Z' },
      spec: { type: 'ClusterIP', clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1', 'fd00:10:96::1'], ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] } },
    { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' }, creationTimestamp: '2024-01-01T00:00:00Z' },
      endpoints: [{ addresses: ['172.18.0.2'], conditions: { ready: true } }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] },
    // popeye's svc1 through an EndpointSlice (wins over its legacy Endpoints): a ready and a not-ready pod.
    { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
      metadata: { name: 'svc1-abcde', namespace: 'default', labels: { 'kubernetes.io/service-name': 'svc1' } },
      endpoints: [
        { addresses: ['10.244.1.27'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'p1', namespace: 'default' } },
        { addresses: ['10.244.1.28'], conditions: { ready: false }, targetRef: { kind: 'Pod', name: 'p2', namespace: 'default' } },
      ] },
    derivedPod('dual', 'default', ['10.244.0.30', 'fd00:10:244::30'], { metadata: { creationTimestamp: '2024-05-01T00:00:00Z' } }),
    // IP reuse: 10.244.0.40 held first by old-holder, now by new-holder.
    derivedPod('old-holder', 'default', ['10.244.0.40'], { metadata: { creationTimestamp: '2024-05-01T00:00:00Z', deletionTimestamp: '2024-05-02T00:00:00Z' } }),
    derivedPod('new-holder', 'default', ['10.244.0.40'], { metadata: { creationTimestamp: '2024-05-02T00:01:00Z' } }),
    derivedPod('hostnet', 'kube-system', ['192.168.64.107'], { spec: { hostNetwork: true }, metadata: { creationTimestamp: '2024-05-01T00:00:00Z' } }),
  ];
}

/**
 * EndpointSlices for legacy Endpoints that have none, as the EndpointSlice mirroring controller makes them.
 * The informer view watches EndpointSlices only (a cluster since 1.21 always has them); the snapshot view also
 * reads legacy Endpoints, for old dumps. Mirroring makes one object set mean the same to both.
 */
export function mirrorEndpoints(objects: readonly Obj[]): Obj[] {
  const sliced = new Set(objects.filter((o) => o.kind === 'EndpointSlice').map((o) => `${o.metadata?.namespace}/${o.metadata?.labels?.['kubernetes.io/service-name']}`));
  const out: Obj[] = [];
  for (const e of objects) {
    if (e.kind !== 'Endpoints' || sliced.has(`${e.metadata.namespace}/${e.metadata.name}`)) continue;
    const endpoints: Obj[] = [];
    for (const s of e.subsets ?? []) {
      for (const a of s.addresses ?? []) endpoints.push({ addresses: [a.ip], conditions: { ready: true }, nodeName: a.nodeName, targetRef: a.targetRef });
      for (const a of s.notReadyAddresses ?? []) endpoints.push({ addresses: [a.ip], conditions: { ready: false }, nodeName: a.nodeName, targetRef: a.targetRef });
    }
    out.push({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
      metadata: { name: `${e.metadata.name}-mirror`, namespace: e.metadata.namespace,
        labels: { 'kubernetes.io/service-name': e.metadata.name, 'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io' } },
      endpoints });
  }
  return out;
}

export function conformanceObjects(): Obj[] {
  const all = [...realDumpObjects(), ...derivedObjects()];
  return [...all, ...mirrorEndpoints(all)];
}
