// Intent[] → ClientIntents documents (reference §4.1): the one conversion every export format,
// the `list` text and the graph start from, so the CLI, the routes and replay agree.

import { HTTP_METHODS, KAFKA_OPERATIONS } from '../model.ts';
import type { HttpMethod, HttpResource, Intent, KafkaOperation, KafkaTopic } from '../model.ts';

export interface KubernetesTarget { kubernetes: { name: string; kind?: string; http?: HttpResource[] } }
export interface ServiceTarget { service: { name: string; http?: HttpResource[] } }
export interface KafkaTarget { kafka: { name: string; topics: KafkaTopic[] } }
export interface InternetTarget { internet: { domains?: string[]; ips?: string[]; ports?: number[] } }
export type Target = KubernetesTarget | ServiceTarget | KafkaTarget | InternetTarget;

/** One ClientIntents object, version-neutral; the renderers write it as v2beta1 or v1alpha3. */
export interface ClientIntentsDoc {
  name: string;
  namespace: string;
  workload: { name: string; kind?: string };
  targets: Target[];
}

export interface ClientIntentsOptions {
  /** Workload names (`name`) or `name.namespace` to leave out, as clients and as targets. */
  excludeServices?: string[];
  /** Keep Internet destinations as `internet` targets (default true). */
  includeInternet?: boolean;
  /** Group clients by name and this pod label's value (`no_value` when absent) instead of by namespace,
   *  as the Otterize CLI's `--distinct-by-label`; the document takes the first such client's namespace.
   *  The intents must carry that label (query with `includeLabels`). */
  distinctByLabel?: string;
  /** Name targets by the Kubernetes Service they were reached through, as `service` targets, when one is
   *  known (the Otterize CLI's `--as-kubernetes-service`). */
  asKubernetesService?: boolean;
}

/** The API server is addressed as a Service target, never as a workload (reference §4.1). */
const API_SERVER = { name: 'kubernetes', namespace: 'default' };

/** Order of the target kinds when two targets share a name (Otterize's sort is unstable there;
 *  we fix it so output is deterministic; kafka first matches Otterize's Kafka e2e oracle). */
const KIND_ORDER = ['kafka', 'kubernetes', 'service', 'internet'];

/** Converts the map's intents to ClientIntents documents, one per client, sorted. */
export function toClientIntents(intents: readonly Intent[], opts: ClientIntentsOptions = {}): ClientIntentsDoc[] {
  const includeInternet = opts.includeInternet ?? true;
  const excluded = new Set(opts.excludeServices ?? []);
  const byClient = new Map<string, { doc: ClientIntentsDoc; typed: Set<string> }>();

  for (const intent of intents) {
    const { client } = intent;
    if (excluded.has(client.name) || excluded.has(`${client.name}.${client.namespace}`)) continue;
    if (intent.type === 'internet' && !includeInternet) continue;
    const key = opts.distinctByLabel !== undefined
      ? `${client.name}\u0000\u0000${client.labels?.[opts.distinctByLabel] ?? 'no_value'}`
      : `${client.namespace}/${client.name}`;
    let entry = byClient.get(key);
    if (!entry) {
      entry = { doc: { name: client.name, namespace: client.namespace, workload: { name: client.name }, targets: [] }, typed: new Set() };
      byClient.set(key, entry);
    }
    // Target names are relative to the document's namespace: with --distinct-by-label that is the first
    // client's, and a target in another client's own namespace keeps its `.namespace` (Otterize drops it,
    // so the target reads as if it were in the first client's namespace).
    const target = toTarget(intent, opts.asKubernetesService ?? false, entry.doc.namespace);
    if (!target) continue;
    if (isExcludedTarget(target, intent, excluded)) continue;
    // Otterize takes the kind from the client's first intent; Kafka intents carry none, which made
    // its output depend on order. We take the first non-empty kind instead.
    if (!entry.doc.workload.kind && client.kind) entry.doc.workload.kind = client.kind;
    entry.doc.targets.push(target);
    const typedKey = httpTargetKey(target);
    if (typedKey !== undefined && targetHttp(target)) entry.typed.add(typedKey);
  }

  const docs: ClientIntentsDoc[] = [];
  for (const { doc, typed } of byClient.values()) {
    // An untyped target is redundant beside a typed (HTTP) target to the same name and kind (§4.1).
    doc.targets = doc.targets.filter((t) => targetHttp(t) || !typed.has(httpTargetKey(t) ?? ''));
    doc.targets = dedupeTargets(doc.targets);
    doc.targets.sort((a, b) => compareTargets(a, b, doc.namespace));
    if (doc.targets.length > 0) docs.push(doc);
  }
  docs.sort((a, b) => cmp(a.name, b.name) || cmp(a.namespace, b.namespace));
  return docs;
}

/** Which HTTP target an untyped target to the same server would duplicate: kind, name (and owner kind). */
function httpTargetKey(t: Target): string | undefined {
  if ('kubernetes' in t) return `kubernetes|${t.kubernetes.name}|${t.kubernetes.kind ?? ''}`;
  if ('service' in t) return `service|${t.service.name}`;
  return undefined;
}
const targetHttp = (t: Target): boolean => Boolean(('kubernetes' in t && t.kubernetes.http) || ('service' in t && t.service.http));

function toTarget(intent: Intent, asKubernetesService: boolean, docNamespace: string): Target | undefined {
  if (intent.type === 'internet') return intent.internet ? internetTarget(intent.internet) : undefined;
  const server = intent.server;
  if (!server) return undefined;
  const bySvc = asKubernetesService && Boolean(server.kubernetesService);
  const base = bySvc ? server.kubernetesService! : server.name;
  const name = server.namespace === docNamespace ? base : `${base}.${server.namespace}`;
  if (intent.type === 'kafka' && intent.kafkaTopics && intent.kafkaTopics.length > 0) {
    return { kafka: { name, topics: normaliseTopics(intent.kafkaTopics) } };
  }
  const http = intent.type === 'http' && intent.httpResources && intent.httpResources.length > 0
    ? normaliseHttp(intent.httpResources) : undefined;
  if (bySvc || (server.name === API_SERVER.name && server.namespace === API_SERVER.namespace)) {
    return { service: http ? { name, http } : { name } };
  }
  const kubernetes: KubernetesTarget['kubernetes'] = { name };
  if (server.kind) kubernetes.kind = server.kind;
  if (http) kubernetes.http = http;
  return { kubernetes };
}

function internetTarget(dest: NonNullable<Intent['internet']>): InternetTarget | undefined {
  const internet: InternetTarget['internet'] = {};
  // Domains when a name was seen; the IPs stand in only for destinations reached by bare address.
  if (dest.domain) internet.domains = [dest.domain];
  else if (dest.ips.length > 0) internet.ips = [...new Set(dest.ips)].sort(cmp);
  else return undefined;
  const ports = [...new Set(dest.ports)].filter((p) => Number.isInteger(p) && p > 0 && p < 65536).sort((a, b) => a - b);
  if (ports.length > 0) internet.ports = ports;
  return { internet };
}

/** Topics by name, operations alphabetically, only the CRD's operation values (as Otterize's oracle shows). */
function normaliseTopics(topics: readonly KafkaTopic[]): KafkaTopic[] {
  const merged = new Map<string, Set<KafkaOperation>>();
  for (const t of topics) {
    const ops = merged.get(t.name) ?? new Set();
    for (const op of t.operations) if ((KAFKA_OPERATIONS as readonly string[]).includes(op)) ops.add(op);
    merged.set(t.name, ops);
  }
  return [...merged].sort(([a], [b]) => cmp(a, b)).map(([name, ops]) => ({ name, operations: [...ops].sort(cmp) }));
}

/** Paths sorted; methods upper-case in the CRD's enum order, `ALL` and unknown methods dropped (§4.1). */
function normaliseHttp(resources: readonly HttpResource[]): HttpResource[] {
  const merged = new Map<string, Set<string>>();
  for (const r of resources) {
    const methods = merged.get(r.path) ?? new Set();
    for (const m of r.methods) methods.add(String(m).toUpperCase());
    merged.set(r.path, methods);
  }
  return [...merged].sort(([a], [b]) => cmp(a, b))
    .map(([path, methods]) => ({ path, methods: HTTP_METHODS.filter((m): m is HttpMethod => methods.has(m)) }));
}

function isExcludedTarget(target: Target, intent: Intent, excluded: Set<string>): boolean {
  if (excluded.size === 0) return false;
  if ('internet' in target) return (target.internet.domains ?? []).some((d) => excluded.has(d));
  const s = intent.server!;
  return excluded.has(s.name) || excluded.has(`${s.name}.${s.namespace}`);
}

/** Same kind and same name: one target (the store keys by type, so this only merges odd input). */
function dedupeTargets(targets: Target[]): Target[] {
  const seen = new Set<string>();
  return targets.filter((t) => {
    const key = JSON.stringify(t);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function targetKind(t: Target): 'kubernetes' | 'service' | 'kafka' | 'internet' {
  if ('kubernetes' in t) return 'kubernetes';
  if ('service' in t) return 'service';
  if ('kafka' in t) return 'kafka';
  return 'internet';
}

/** The target's `name` field, or undefined for Internet targets. */
export function targetName(t: Target): string | undefined {
  if ('kubernetes' in t) return t.kubernetes.name;
  if ('service' in t) return t.service.name;
  if ('kafka' in t) return t.kafka.name;
  return undefined;
}

/** Splits a target name `x` or `x.ns` into name and namespace, defaulting to the client's. */
export function splitTargetName(name: string, clientNamespace: string): { name: string; namespace: string } {
  const dot = name.indexOf('.');
  return dot < 0 ? { name, namespace: clientNamespace } : { name: name.slice(0, dot), namespace: name.slice(dot + 1) };
}

/** The label an Internet target is shown by: its domain, else its first IP. */
export function internetLabel(t: InternetTarget): string {
  return t.internet.domains?.[0] ?? t.internet.ips?.join(', ') ?? '';
}

/** Otterize order (§4.1): bare target name, then namespace; then kind, so ties are deterministic.
 *  Internet targets go after every in-cluster target, by domain (or first IP). */
function compareTargets(a: Target, b: Target, clientNs: string): number {
  const an = targetName(a);
  const bn = targetName(b);
  if (an === undefined || bn === undefined) {
    if (an !== undefined) return -1;
    if (bn !== undefined) return 1;
    return cmp(internetLabel(a as InternetTarget), internetLabel(b as InternetTarget));
  }
  const as = splitTargetName(an, clientNs);
  const bs = splitTargetName(bn, clientNs);
  return cmp(as.name, bs.name) || cmp(as.namespace, bs.namespace)
    || KIND_ORDER.indexOf(targetKind(a)) - KIND_ORDER.indexOf(targetKind(b));
}

/** Byte-wise string order, as Go's `<` on strings (not locale order). */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
