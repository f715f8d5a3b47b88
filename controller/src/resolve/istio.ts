// Resolves the Istio watcher's records (reference §2.5): each workload name Istio reported is turned
// into a pod — the first pod labelled `service.istio.io/canonical-name=<workload>` in that namespace, or
// failing that a meshed pod Istio gives that workload name — and that pod into the normal identity (annotation, owner walk, kind). So the HTTP target and the plain
// target of one client→server pair name the same workload and export as one target with its paths.
// A method outside the CRD's eight (Otterize's `ALL`) keeps the path with no methods.

import type { ClusterView, PodRecord } from '../cluster/view.ts';
import type { HttpRecord } from '../../contract/schema.ts';
import { HTTP_METHODS, type HttpMethod, type WorkloadIdentity } from '../model.ts';
import type { IdentityCache } from './identities.ts';
import type { Resolution } from './connection.ts';
import { podAliveAt } from './pod-at.ts';

const HTTP_SET = new Set<string>(HTTP_METHODS);

/** Istio's name for a peer it could not identify. */
const unnamed = (v: string) => v === '' || v === 'unknown';

/**
 * The pod standing for an Istio workload at `t`: the pods labelled with it as their canonical name
 * (Otterize's rule), else — where the canonical name is not the workload name, as for versioned
 * Deployments like bookinfo's `reviews-v1` — the meshed pods whose Istio workload name it is. Among
 * them the first by name that was alive then, else the first by name (a workload that rolled since).
 */
export function podForWorkload(view: ClusterView, namespace: string, workload: string, t: number): PodRecord | undefined {
  for (const pods of [view.podsByCanonicalName?.(namespace, workload) ?? [], view.podsByIstioWorkload?.(namespace, workload) ?? []]) {
    const pod = pods.find((p) => !p.hostNetwork && podAliveAt(p, t)) ?? pods.find((p) => !p.hostNetwork);
    if (pod) return pod;
  }
  return undefined;
}

export function createIstioResolver(deps: { identities: IdentityCache }) {
  const { identities } = deps;

  return async function resolveHttp(r: HttpRecord, t: number, view: ClusterView): Promise<Resolution> {
    if (unnamed(r.srcWorkload) || unnamed(r.srcWorkloadNamespace) || unnamed(r.dstWorkload) || unnamed(r.dstWorkloadNamespace)) {
      return { reason: 'istio-unknown-workload' };
    }
    if (!view.podsByCanonicalName && !view.podsByIstioWorkload) return { reason: 'istio-no-canonical-index' };
    const clientPod = podForWorkload(view, r.srcWorkloadNamespace, r.srcWorkload, t);
    if (!clientPod) return { reason: 'istio-no-client-pod' };
    const serverPod = podForWorkload(view, r.dstWorkloadNamespace, r.dstWorkload, t);
    if (!serverPod) return { reason: 'istio-no-server-pod' };
    const [client, serverId] = await Promise.all([identities.of(clientPod), identities.of(serverPod)]);
    // As the reference: the Service Istio named is kept only for a server with an owner object.
    const server: WorkloadIdentity = r.dstServiceName && serverId.kind ? { ...serverId, kubernetesService: r.dstServiceName } : serverId;
    const methods = [...new Set(r.methods.map((m) => m.toUpperCase()))].filter((m): m is HttpMethod => HTTP_SET.has(m));
    return { client, server, type: 'http', httpResources: [{ path: r.path, methods }], lastSeen: t, count: 1, source: 'istio' };
  };
}
