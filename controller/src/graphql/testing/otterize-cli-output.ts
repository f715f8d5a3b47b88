// Test helper: the Otterize CLI's output path (otterize-cli @ 6b6cb04) transcribed to TypeScript, so a
// test can render the answer of `/query` the way `otterize network-mapper list|export` would and compare
// it with our own output byte for byte. It deliberately shares no code with ../../export/.
// Transcribed: src/pkg/intentsoutput/transform.go (MapperIntentsToAPIIntents), src/cmd/networkmapper/
// shared/shared.go (RemoveExcludedServices), intentslister/lister.go, printerv2.go (the YAML template),
// encoding/json MarshalIndent of intents-operator's v2beta1.ClientIntents, and prints.PrintCliOutput.

export interface MapperIdentity {
  name: string;
  namespace: string;
  labels: Array<{ key: string; value: string }> | null;
  podOwnerKind: { group: string | null; version: string; kind: string } | null;
  kubernetesService: string | null;
}
export interface MapperIntent {
  client: MapperIdentity;
  server: MapperIdentity;
  type: string | null;
  kafkaTopics: Array<{ name: string; operations: string[] | null }> | null;
  httpResources: Array<{ path: string; methods: string[] | null }> | null;
}

interface HTTPTarget { path: string; methods: string[] }
interface Target {
  kubernetes?: { name: string; kind: string; http: HTTPTarget[] };
  service?: { name: string; http: HTTPTarget[] };
  kafka?: { name: string; topics: Array<{ name: string; operations: string[] }> };
}
export interface ApiIntents { name: string; namespace: string; workload: { name: string; kind: string }; targets: Target[] }

const KAFKA_OPS: Record<string, string> = {
  ALL: 'all', CONSUME: 'consume', PRODUCE: 'produce', CREATE: 'create', ALTER: 'alter', DELETE: 'delete',
  DESCRIBE: 'describe', CLUSTER_ACTION: 'ClusterAction', IDEMPOTENT_WRITE: 'IdempotentWrite',
  ALTER_CONFIGS: 'AlterConfigs', DESCRIBE_CONFIGS: 'DescribeConfigs',
};
const HTTP_METHODS = new Set(['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'TRACE', 'PATCH', 'CONNECT']);

function kafkaOp(op: string): string {
  const v = KAFKA_OPS[op];
  if (v === undefined) throw new Error(`should never happen: Kafka operation ${op}`);   // the CLI panics
  return v;
}

function httpToApi(resources: MapperIntent['httpResources']): HTTPTarget[] {
  return (resources ?? []).map((r) => ({
    path: r.path,
    methods: (r.methods ?? []).filter((m) => m !== 'ALL').map((m) => {
      if (!HTTP_METHODS.has(m)) throw new Error(`should never happen: HTTP method ${m}`);
      return m;
    }),
  }));
}

const goCmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const targetNameAsWritten = (t: Target): string => t.kafka?.name ?? t.service?.name ?? t.kubernetes!.name;
const targetServerName = (t: Target): string => targetNameAsWritten(t).split('.')[0];
function targetServerNamespace(t: Target, ns: string): string {
  const parts = targetNameAsWritten(t).split('.');
  return parts.length === 1 ? ns : parts[1];
}
function targetServerKind(t: Target): string {
  if (t.kubernetes && t.kubernetes.kind !== '') return t.kubernetes.kind;
  if (t.service) return 'Service';
  return 'OttrLegacy';
}
function intentType(t: Target): string {
  if (t.kubernetes && t.kubernetes.http.length > 0) return 'HTTP';
  if (t.service && t.service.http.length > 0) return 'HTTP';
  if (t.kafka) return 'KAFKA';
  return '';
}

/** transform.go MapperIntentsToAPIIntents. Go's map iteration and unstable sorts are replaced by
 *  insertion order and stable sorts (the only places the CLI's own output is not deterministic). */
export function mapperIntentsToApiIntents(intents: readonly MapperIntent[], distinctByLabel = '', asKubernetesService = false): ApiIntents[] {
  const byClient = new Map<string, ApiIntents>();
  for (const mi of intents) {
    let key = `${mi.client.name}\u0000${mi.client.namespace}`;
    if (distinctByLabel !== '') {
      const labels = mi.client.labels ?? [];
      const value = labels.length === 1 && labels[0].key === distinctByLabel ? labels[0].value : 'no_value';
      key = `${mi.client.name}\u0000\u0000${value}`;
    }
    const server = { ...mi.server };
    const isApiServer = server.name === 'kubernetes' && server.namespace === 'default';
    let serviceName = server.name;
    if (asKubernetesService && server.kubernetesService) serviceName = server.kubernetesService;
    else if (isApiServer) server.kubernetesService = 'kubernetes';
    if (server.namespace !== mi.client.namespace) serviceName = `${serviceName}.${server.namespace}`;

    let target: Target;
    if ((mi.kafkaTopics ?? []).length > 0) {
      target = { kafka: { name: serviceName, topics: mi.kafkaTopics!.map((t) => ({ name: t.name, operations: (t.operations ?? []).map(kafkaOp) })) } };
    } else if ((asKubernetesService || isApiServer) && server.kubernetesService) {
      target = { service: { name: serviceName, http: httpToApi(mi.httpResources) } };
    } else {
      target = { kubernetes: { name: serviceName, kind: server.podOwnerKind?.kind ?? '', http: httpToApi(mi.httpResources) } };
    }
    const existing = byClient.get(key);
    if (existing) existing.targets.push(target);
    else {
      byClient.set(key, {
        name: mi.client.name, namespace: mi.client.namespace,
        workload: { name: mi.client.name, kind: mi.client.podOwnerKind?.kind ?? '' }, targets: [target],
      });
    }
  }
  for (const ci of byClient.values()) {   // removeUntypedIntentsIfTypedIntentExistsForServer
    const keyOf = (t: Target) => `${targetServerName(t)}.${targetServerNamespace(t, ci.namespace)}.${targetServerKind(t)}`;
    const typed = new Set(ci.targets.filter((t) => intentType(t) !== '').map(keyOf));
    ci.targets = ci.targets.filter((t) => intentType(t) !== '' || !typed.has(keyOf(t)));
  }
  const out = [...byClient.values()];
  out.sort((a, b) => (a.name !== b.name ? goCmp(a.name, b.name) : goCmp(a.namespace, b.namespace)));
  for (const ci of out) {
    ci.targets.sort((a, b) => {
      const na = targetServerName(a), nb = targetServerName(b);
      if (na !== nb) return goCmp(na, nb);
      return goCmp(targetServerNamespace(a, ci.namespace), targetServerNamespace(b, ci.namespace));
    });
  }
  return out;
}

/** shared.go RemoveExcludedServices. */
export function removeExcludedServices(intents: readonly ApiIntents[], excluded: readonly string[]): ApiIntents[] {
  const set = new Set(excluded);
  const out: ApiIntents[] = [];
  for (const ci of intents) {
    if (set.has(ci.workload.name)) continue;
    const targets = ci.targets.filter((t) => {
      const parts = targetServerName(t).split('.');   // already without its namespace, so never two parts
      return !(set.has(targetServerName(t)) || (parts.length === 2 && set.has(parts[0])));
    });
    if (targets.length) out.push({ ...ci, targets });
  }
  return out;
}

/** Go's `fmt.Printf(s + "\n")` with no arguments: `%%` → `%`, any other verb → `%!v(MISSING)`. */
export function goPrintfNoArgs(s: string): string {
  return `${s}\n`.replace(/%(%|[-+# 0]*\d*(?:\.\d+)?([a-zA-Z]))/g, (_m, all: string, verb: string | undefined) => (all === '%' ? '%' : `%!${verb}(MISSING)`));
}

/** lister.go ListFormattedIntents: stdout of `otterize network-mapper list` (empty when nothing: the
 *  "No connections found." line goes to stderr). */
export function listText(intents: readonly ApiIntents[]): string {
  let out = '';
  for (const ci of intents) {
    out += `${ci.name} in namespace ${ci.namespace} calls:\n`;
    for (const t of ci.targets) {
      out += `  - ${targetServerName(t)} in namespace ${targetServerNamespace(t, ci.namespace)}\n`;
      // %s of a []KafkaOperation / []HTTPMethod: `[a b]`.
      for (const topic of t.kafka?.topics ?? []) out += `    - Kafka topic: ${topic.name}, operations: [${topic.operations.join(' ')}]\n`;
      for (const r of (t.kubernetes?.http ?? t.service?.http ?? [])) out += `    - path ${r.path}, methods: ${`[${r.methods.join(' ')}]`.replaceAll(' ', ',')}\n`;
    }
  }
  return out;
}

/** printerv2.go: the v2beta1 YAML template, documents joined by `\n---\n`. */
export function yamlV2(intents: readonly ApiIntents[]): string {
  return intents.map((ci) => {
    let s = `apiVersion: k8s.otterize.com/v2beta1\nkind: ClientIntents\nmetadata:\n  name: ${ci.name}`;
    if (ci.namespace) s += `\n  namespace: ${ci.namespace}`;
    s += `\nspec:\n  workload:\n    name: ${ci.workload.name}`;
    if (ci.workload.kind) s += `\n    kind: ${ci.workload.kind}`;
    s += '\n  targets:';
    const http = (list: HTTPTarget[]) => {
      if (list.length === 0) return;
      s += '\n        http:';
      for (const r of list) {
        s += `\n          - path: ${r.path}`;
        if (r.methods.length) { s += '\n            methods:'; for (const m of r.methods) s += `\n              - ${m}`; }
      }
    };
    for (const t of ci.targets) {
      if (t.kubernetes) {
        s += `\n    - kubernetes:\n        name: ${t.kubernetes.name}`;
        if (t.kubernetes.kind) s += `\n        kind: ${t.kubernetes.kind}`;
        http(t.kubernetes.http);
      }
      if (t.service) { s += `\n    - service:\n        name: ${t.service.name}`; http(t.service.http); }
      if (t.kafka) {
        s += `\n    - kafka:\n        name: ${t.kafka.name}`;
        if (t.kafka.topics.length) {
          s += '\n        topics:';
          for (const topic of t.kafka.topics) {
            s += `\n          - name: ${topic.name}`;
            if (topic.operations.length) { s += '\n            operations:'; for (const op of topic.operations) s += `\n              - ${op}`; }
          }
        }
      }
    }
    return s;
  }).join('\n---\n');
}

/** encoding/json MarshalIndent(list, "", "  ") of []v2beta1.ClientIntents (struct field order, omitempty). */
export function jsonV2(intents: readonly ApiIntents[]): string {
  const objects = intents.map((ci) => ({
    kind: 'ClientIntents',
    apiVersion: 'k8s.otterize.com/v2beta1',
    metadata: { name: ci.name, ...(ci.namespace ? { namespace: ci.namespace } : {}), creationTimestamp: null },
    spec: {
      workload: { name: ci.workload.name, ...(ci.workload.kind ? { kind: ci.workload.kind } : {}) },
      targets: ci.targets.map((t) => {
        const httpOf = (h: HTTPTarget[]) => (h.length ? { http: h.map((r) => ({ path: r.path, methods: r.methods })) } : {});
        if (t.kubernetes) return { kubernetes: { name: t.kubernetes.name, ...(t.kubernetes.kind ? { kind: t.kubernetes.kind } : {}), ...httpOf(t.kubernetes.http) } };
        if (t.service) return { service: { name: t.service.name, ...httpOf(t.service.http) } };
        return { kafka: { name: t.kafka!.name, ...(t.kafka!.topics.length ? { topics: t.kafka!.topics } : {}) } };
      }),
    },
    status: { upToDate: false, observedGeneration: 0 },
  }));
  // Go escapes <, > and & (and U+2028/9) in strings.
  return JSON.stringify(objects, null, 2).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** What `otterize network-mapper export` prints on stdout (no `-o`): the text through PrintCliOutput. */
export function exportStdout(intents: readonly ApiIntents[], format: 'yaml' | 'json'): string {
  return goPrintfNoArgs(format === 'json' ? jsonV2(intents) : yamlV2(intents));
}

/** intentsvisualizer/visualizer.go: the graph's nodes (`name.namespace`, a target name that has a dot
 *  kept as written) and one edge per target, in creation order. Images themselves are not compared. */
export function graphOf(intents: readonly ApiIntents[]): { nodes: string[]; edges: Array<[string, string]> } {
  const withNs = (ns: string, name: string) => (name.split('.').length > 1 ? name : `${name}.${ns}`);
  const nodes = new Set<string>();
  const edges: Array<[string, string]> = [];
  for (const ci of intents) {
    const client = withNs(ci.namespace, ci.workload.name);
    nodes.add(client);
    for (const t of ci.targets) {
      const target = withNs(ci.namespace, targetNameAsWritten(t));
      nodes.add(target);
      edges.push([client, target]);
    }
  }
  return { nodes: [...nodes], edges };
}
