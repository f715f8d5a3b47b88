// Builds, from one ApiResource declaration, the informer's watch path and a list function that pages
// through the collection with limit/continue (so a 150k-pod list never arrives as one response).

import { AppsV1Api, BatchV1Api, CoreV1Api, DiscoveryV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { ApiResource } from './permissions.ts';

/** Cluster-scoped resources among the watched ones; everything else is listed across all namespaces. */
export const CLUSTER_SCOPED_RESOURCES = new Set(['nodes', 'namespaces']);

const API_CLIENTS = {
  'v1': CoreV1Api,
  'apps/v1': AppsV1Api,
  'batch/v1': BatchV1Api,
  'discovery.k8s.io/v1': DiscoveryV1Api,
} as const;

export const apiVersionOf = (r: Pick<ApiResource, 'group' | 'version'>) => (r.group ? `${r.group}/${r.version}` : r.version);

/** `/api/v1/pods`, `/apis/apps/v1/replicasets`: the path client-node's informer watches. */
export function watchPath(r: ApiResource): string {
  return r.group ? `/apis/${r.group}/${r.version}/${r.resource}` : `/api/${r.version}/${r.resource}`;
}

export interface ListResult { metadata: { resourceVersion?: string }; items: any[] }
type PagedList = (p: { limit?: number; _continue?: string }) => Promise<{ metadata?: { resourceVersion?: string; _continue?: string }; items: any[] }>;

/**
 * The list function of one watched resource: `list<Kind>ForAllNamespaces` (or `list<Kind>` when cluster-scoped)
 * on the typed client of its group, called page by page. Throws at start-up for a resource no client serves.
 */
export function makeListFunction(kc: KubeConfig, r: ApiResource, pageSize: number): () => Promise<ListResult> {
  const Client = API_CLIENTS[apiVersionOf(r) as keyof typeof API_CLIENTS];
  if (!Client) throw new Error(`no typed client for ${apiVersionOf(r)} (resource ${r.resource})`);
  const client = kc.makeApiClient(Client as typeof CoreV1Api) as unknown as Record<string, PagedList>;
  const method = `list${r.kind}${CLUSTER_SCOPED_RESOURCES.has(r.resource) ? '' : 'ForAllNamespaces'}`;
  if (typeof client[method] !== 'function') throw new Error(`${Client.name} has no ${method} (resource ${r.resource})`);
  const list = client[method].bind(client);
  return async () => {
    const items: any[] = [];
    let cont: string | undefined;
    let resourceVersion: string | undefined;
    do {
      const page = await list({ limit: pageSize, _continue: cont });
      for (const it of page.items) items.push(it);
      cont = page.metadata?._continue || undefined;
      resourceVersion = page.metadata?.resourceVersion;   // every page carries the first page's version
    } while (cont);
    return { metadata: { resourceVersion }, items };
  };
}
