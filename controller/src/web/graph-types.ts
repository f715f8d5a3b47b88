// The wire shape of `GET /api/v1/graph.json`: what the web map draws. Shared by the route (graph-model.ts)
// and the browser bundle (client/), so it imports nothing.

/** A workload (`w:<namespace>/<name>`) or an Internet destination (`i:<domain or ip>`). */
export interface GraphNode {
  id: string;
  name: string;
  /** Workloads only. */
  namespace?: string;
  /** Root owner kind (Deployment, StatefulSet, ...), '' when unknown, 'Internet' for destinations outside. */
  kind: string;
  internet?: { domain?: string; ips: string[]; ports: number[] };
  labels?: Record<string, string>;
}

/** Every intent from one client to one destination, merged (one line on the map). */
export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  /** plain, kafka, http, internet: the intent types merged into this edge. */
  types: string[];
  /** RFC 3339. */
  firstSeen: string;
  lastSeen: string;
  count: number;
  /** dns, tcp, socket, kafka, istio. */
  sources: string[];
  topics?: Array<{ name: string; operations: string[] }>;
  paths?: Array<{ path: string; methods: string[] }>;
}

export interface GraphModel {
  /** The store's revision when this was read; the events stream announces newer ones. */
  revision: number;
  generatedAt: string;
  /** Every namespace of the map before filtering, sorted: what the namespace filter offers. */
  namespaces: string[];
  /** Every `key=value` label seen on the map's workloads before filtering (bounded): exclude-label hints. */
  labels: string[];
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** Query parameters the page sends to graph.json and the exports (the `GET /api/v1/intents` filters). */
export const GRAPH_FILTER_PARAMS = ['namespaces', 'excludeLabels', 'excludeInternet', 'since'] as const;

export const GRAPH_JSON_PATH = 'api/v1/graph.json';
export const GRAPH_EVENTS_PATH = 'api/v1/graph/events';
