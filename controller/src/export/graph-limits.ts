// How big a map the image formats draw. Past these bounds Graphviz takes tens of seconds and the picture is a smear
// (60 workloads once made a 21,096 × 4,136 PNG in 29.5 s), so the map is refused with the filters that would help.

import { NetmapperError } from '../../common/errors.ts';
import type { ClientIntentsDoc } from './client-intents.ts';
import { internetLabel, splitTargetName } from './client-intents.ts';

/** Raster resolution: Graphviz lays out in points; 192 dpi (2 CSS px per px) keeps small labels readable. */
export const DEFAULT_DPI = 192;
/** Longest side of a raster image: bigger drawings are scaled down to it (image viewers choke past ~16k). */
export const DEFAULT_MAX_SIDE = 8192;

export interface GraphLimits { maxNodes: number; maxEdges: number }
export const DEFAULT_GRAPH_LIMITS: GraphLimits = { maxNodes: 300, maxEdges: 900 };

/** A map too big to draw readably; the message says why. Callers add the filters their users have. */
export class GraphTooLargeError extends NetmapperError {
  constructor(message: string) { super('graph-too-large', message); }
}

export interface GraphSize { nodes: number; edges: number; perNamespace: Map<string, number> }

/** Nodes and edges as renderDot draws them. */
export function graphSize(docs: readonly ClientIntentsDoc[]): GraphSize {
  const nodes = new Map<string, string>();
  let edges = 0;
  for (const d of docs) {
    nodes.set(`${d.name}.${d.namespace}`, d.namespace);
    for (const t of d.targets) {
      edges++;
      if ('internet' in t) { nodes.set(`${internetLabel(t)} (Internet)`, 'Internet'); continue; }
      const name = 'kubernetes' in t ? t.kubernetes.name : 'service' in t ? t.service.name : t.kafka.name;
      const s = splitTargetName(name, d.namespace);
      nodes.set(`${s.name}.${s.namespace}`, s.namespace);
    }
  }
  const perNamespace = new Map<string, number>();
  for (const ns of nodes.values()) perNamespace.set(ns, (perNamespace.get(ns) ?? 0) + 1);
  return { nodes: nodes.size, edges, perNamespace };
}

/** Throws GraphTooLargeError when `docs` exceed `limits`; the message names the biggest namespaces. */
export function checkGraphSize(docs: readonly ClientIntentsDoc[], limits: GraphLimits = DEFAULT_GRAPH_LIMITS): GraphSize {
  const size = graphSize(docs);
  if (size.nodes <= limits.maxNodes && size.edges <= limits.maxEdges) return size;
  const biggest = [...size.perNamespace].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([ns, n]) => `${ns} ${n}`).join(', ');
  throw new GraphTooLargeError(`the map has ${size.nodes} nodes and ${size.edges} connections, more than an image can show readably`
    + ` (at most ${limits.maxNodes} nodes and ${limits.maxEdges} connections; largest namespaces: ${biggest})`);
}

/** The filter names a CLI user and an API user have, for the refusal's advice. */
export const CLI_FILTER_ADVICE = 'narrow it with --namespaces, --server, --exclude-labels, --exclude-services or --exclude-internet (or raise --max-nodes), or open the interactive map (netmapper serve)';
export const HTTP_FILTER_ADVICE = 'narrow it with the namespaces, server, since, excludeLabels, excludeServices or excludeInternet parameters, or use the interactive map at /';
