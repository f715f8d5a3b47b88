// One stored intent and how observations merge into it (reference §2.6: topics union by name with
// operations uniqued, HTTP resources union by path with methods uniqued, labels replaced by the latest).

import type { HttpMethod, Intent, IntentSource, IntentType, InternetDestination, KafkaOperation, WorkloadIdentity } from '../model.ts';

/** What resolution hands the store: one resolved record. */
export interface IntentObservation {
  client: WorkloadIdentity;
  server?: WorkloadIdentity;
  internet?: InternetDestination;
  type: IntentType;
  kafkaTopics?: Array<{ name: string; operations: KafkaOperation[] }>;
  httpResources?: Array<{ path: string; methods: HttpMethod[] }>;
  /** Epoch milliseconds. */
  lastSeen: number;
  count: number;
  source: IntentSource;
}

/** Internet destinations keep at most this many IPs and ports each, so one busy name cannot grow without bound. */
export const MAX_INTERNET_VALUES = 64;
/** Kafka topics / HTTP paths kept per intent. */
export const MAX_SUB_ITEMS = 256;

export interface Entry {
  key: string;
  client: WorkloadIdentity;
  server?: WorkloadIdentity;
  internet?: { domain?: string; ips: Set<string>; ports: Set<number> };
  type: IntentType;
  kafkaTopics?: Map<string, Set<KafkaOperation>>;
  httpResources?: Map<string, Set<HttpMethod>>;
  firstSeen: number;
  lastSeen: number;
  count: number;
  sources: Set<IntentSource>;
  /** The store's snapshot epoch the entry belongs to; an older entry is copied before it changes. */
  epoch?: number;
}

/** A deep copy (sets and maps too): what a store mutates after a snapshot has taken the original. */
export function cloneEntry(e: Entry): Entry {
  const c: Entry = { ...e, sources: new Set(e.sources) };
  if (e.internet) c.internet = { domain: e.internet.domain, ips: new Set(e.internet.ips), ports: new Set(e.internet.ports) };
  if (e.kafkaTopics) c.kafkaTopics = new Map([...e.kafkaTopics].map(([k, v]) => [k, new Set(v)]));
  if (e.httpResources) c.httpResources = new Map([...e.httpResources].map(([k, v]) => [k, new Set(v)]));
  return c;
}

const idKey = (w: WorkloadIdentity): string => `${w.namespace}/${w.name}`;

/** The store key: (client, server or internet destination, type). */
export function intentKey(o: Pick<IntentObservation, 'client' | 'server' | 'internet' | 'type'>): string {
  const dest = o.internet ? (o.internet.domain !== undefined ? `dns:${o.internet.domain}` : `ip:${o.internet.ips[0] ?? ''}`)
    : o.server ? idKey(o.server) : '';
  return `${idKey(o.client)}|${dest}|${o.type}`;
}

function addBounded<T>(set: Set<T>, values: Iterable<T>, max: number): void {
  for (const v of values) { if (set.size >= max) break; set.add(v); }
}

export function newEntry(key: string, o: IntentObservation): Entry {
  const e: Entry = {
    key, client: o.client, server: o.server, type: o.type,
    firstSeen: o.lastSeen, lastSeen: o.lastSeen, count: 0, sources: new Set(),
  };
  if (o.internet) e.internet = { domain: o.internet.domain, ips: new Set(), ports: new Set() };
  mergeInto(e, o);
  return e;
}

/** Folds one observation into an entry. Identities are replaced by the latest one seen (labels change). */
export function mergeInto(e: Entry, o: IntentObservation): void {
  if (o.lastSeen >= e.lastSeen) {
    e.lastSeen = o.lastSeen;
    e.client = o.client;
    if (o.server) e.server = o.server;
  }
  if (o.lastSeen < e.firstSeen) e.firstSeen = o.lastSeen;
  e.count += o.count;
  e.sources.add(o.source);
  if (o.internet && e.internet) {
    addBounded(e.internet.ips, o.internet.ips, MAX_INTERNET_VALUES);
    addBounded(e.internet.ports, o.internet.ports, MAX_INTERNET_VALUES);
  }
  // `if` first: `?? []` would make an empty array per merge, and most observations have neither list.
  if (o.kafkaTopics) for (const t of o.kafkaTopics) {
    e.kafkaTopics ??= new Map();
    let ops = e.kafkaTopics.get(t.name);
    if (!ops) { if (e.kafkaTopics.size >= MAX_SUB_ITEMS) continue; ops = new Set(); e.kafkaTopics.set(t.name, ops); }
    for (const op of t.operations) ops.add(op);
  }
  if (o.httpResources) for (const r of o.httpResources) {
    e.httpResources ??= new Map();
    let ms = e.httpResources.get(r.path);
    if (!ms) { if (e.httpResources.size >= MAX_SUB_ITEMS) continue; ms = new Set(); e.httpResources.set(r.path, ms); }
    for (const m of r.methods) ms.add(m);
  }
}

/** The public, plain-JSON form of an entry (identities copied; labels as stored). */
export function toIntent(e: Entry): Intent {
  const out: Intent = {
    client: { ...e.client }, type: e.type,
    firstSeen: new Date(e.firstSeen).toISOString(), lastSeen: new Date(e.lastSeen).toISOString(),
    count: e.count, sources: [...e.sources].sort(),
  };
  if (e.server) out.server = { ...e.server };
  if (e.internet) {
    out.internet = { ips: [...e.internet.ips].sort(), ports: [...e.internet.ports].sort((a, b) => a - b) };
    if (e.internet.domain !== undefined) out.internet.domain = e.internet.domain;
  }
  if (e.kafkaTopics) out.kafkaTopics = [...e.kafkaTopics].sort(([a], [b]) => a.localeCompare(b)).map(([name, ops]) => ({ name, operations: [...ops].sort() }));
  if (e.httpResources) out.httpResources = [...e.httpResources].sort(([a], [b]) => a.localeCompare(b)).map(([path, ms]) => ({ path, methods: [...ms].sort() }));
  return out;
}

/** The inverse of toIntent, for snapshots: an entry with every source, first and last seen restored. */
export function fromIntent(key: string, i: Intent): Entry {
  const e = newEntry(key, {
    client: i.client, server: i.server, internet: i.internet, type: i.type,
    kafkaTopics: i.kafkaTopics, httpResources: i.httpResources,
    lastSeen: Date.parse(i.lastSeen), count: i.count, source: i.sources[0],
  });
  e.firstSeen = Math.min(Date.parse(i.firstSeen), e.lastSeen);
  for (const s of i.sources) e.sources.add(s);
  return e;
}
