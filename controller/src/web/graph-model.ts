// Intents → the web map's graph (graph-types.ts): one node per workload or Internet destination, one edge per
// (client, destination) with the intents of every type between them merged — times, counts, sources, Kafka
// topics and HTTP paths — so the page draws one line and shows everything about it on a click.

import type { Intent, WorkloadIdentity } from '../model.ts';
import type { GraphEdge, GraphModel, GraphNode } from './graph-types.ts';

/** Label hints offered by the exclude-labels box; a map with more distinct pairs offers the first ones. */
export const MAX_LABEL_HINTS = 500;

export const workloadId = (w: Pick<WorkloadIdentity, 'name' | 'namespace'>): string => `w:${w.namespace}/${w.name}`;

function internetNode(i: NonNullable<Intent['internet']>): GraphNode {
  const name = i.domain ?? i.ips[0] ?? '?';
  return { id: `i:${name}`, name, kind: 'Internet', internet: { ...(i.domain ? { domain: i.domain } : {}), ips: [...i.ips], ports: [...i.ports] } };
}

function upsertWorkload(nodes: Map<string, GraphNode>, w: WorkloadIdentity): string {
  const id = workloadId(w);
  const n = nodes.get(id);
  if (!n) {
    const node: GraphNode = { id, name: w.name, namespace: w.namespace, kind: w.kind ?? '' };
    if (w.labels && Object.keys(w.labels).length) node.labels = { ...w.labels };
    nodes.set(id, node);
  } else if (!n.kind && w.kind) n.kind = w.kind;
  return id;
}

const unionSorted = (a: readonly string[], b: readonly string[]): string[] => [...new Set([...a, ...b])].sort();

function mergeNamed<T extends { name?: string; path?: string }>(into: T[], more: readonly T[], key: (t: T) => string, list: (t: T) => string[], make: (k: string, l: string[]) => T): T[] {
  const m = new Map(into.map((t) => [key(t), list(t)]));
  for (const t of more) m.set(key(t), unionSorted(m.get(key(t)) ?? [], list(t)));
  return [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, l]) => make(k, l));
}

/** What the page offers to filter by: the namespaces and label pairs of the whole (unfiltered) map. */
export interface MapChoices { namespaces: string[]; labels: string[] }

/** The namespace and label choices of `all` (the unfiltered map). */
export function mapChoices(all: readonly Intent[]): MapChoices {
  const namespaces = new Set<string>();
  const labels = new Set<string>();
  for (const i of all) {
    for (const w of i.server ? [i.client, i.server] : [i.client]) {
      namespaces.add(w.namespace);
      for (const [k, v] of Object.entries(w.labels ?? {})) if (labels.size < MAX_LABEL_HINTS) labels.add(`${k}=${v}`);
    }
  }
  return { namespaces: [...namespaces].sort(), labels: [...labels].sort() };
}

/** Builds the graph from the filtered intents, offering `choices` (mapChoices of the unfiltered map) as filters. */
export function buildGraphModel(intents: readonly Intent[], choices: MapChoices, revision: number, now: Date): GraphModel {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  for (const i of intents) {
    const source = upsertWorkload(nodes, i.client);
    let target: string;
    if (i.server) target = upsertWorkload(nodes, i.server);
    else if (i.internet) {
      const n = internetNode(i.internet);
      const prev = nodes.get(n.id);
      if (prev?.internet) {
        prev.internet.ips = unionSorted(prev.internet.ips, n.internet!.ips);
        prev.internet.ports = [...new Set([...prev.internet.ports, ...n.internet!.ports])].sort((a, b) => a - b);
      } else nodes.set(n.id, n);
      target = n.id;
    } else continue;
    const id = `${source}>${target}`;
    const e = edges.get(id);
    if (!e) {
      const edge: GraphEdge = { id, source, target, types: [i.type], firstSeen: i.firstSeen, lastSeen: i.lastSeen, count: i.count, sources: [...i.sources] };
      if (i.kafkaTopics?.length) edge.topics = i.kafkaTopics.map((t) => ({ name: t.name, operations: [...t.operations] }));
      if (i.httpResources?.length) edge.paths = i.httpResources.map((r) => ({ path: r.path, methods: [...r.methods] }));
      edges.set(id, edge);
      continue;
    }
    e.types = unionSorted(e.types, [i.type]);
    if (i.firstSeen < e.firstSeen) e.firstSeen = i.firstSeen;
    if (i.lastSeen > e.lastSeen) e.lastSeen = i.lastSeen;
    e.count += i.count;
    e.sources = unionSorted(e.sources, i.sources);
    if (i.kafkaTopics?.length) e.topics = mergeNamed(e.topics ?? [], i.kafkaTopics, (t) => t.name, (t) => t.operations, (name, operations) => ({ name, operations }));
    if (i.httpResources?.length) e.paths = mergeNamed(e.paths ?? [], i.httpResources, (r) => r.path, (r) => r.methods, (path, methods) => ({ path, methods }));
  }
  return {
    revision, generatedAt: now.toISOString(),
    namespaces: [...choices.namespaces], labels: [...choices.labels],
    nodes: [...nodes.values()], edges: [...edges.values()],
  };
}
