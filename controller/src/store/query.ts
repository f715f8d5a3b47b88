// The `intents` query over stored entries, with the reference's semantics (§3.1): `namespaces` filters
// on the client; `server` keeps every intent of each client that calls it; excludeLabels drops an
// intent whose client or server carries the pair; labels are stripped unless asked for.

import type { Intent, IntentQuery, WorkloadIdentity } from '../model.ts';
import { toIntent, type Entry } from './entry.ts';

const idKey = (w: WorkloadIdentity): string => `${w.namespace}/${w.name}`;

/** `key=value`, or `key` alone meaning value "" (reference quirk kept for compatibility). */
function parseLabelPairs(pairs: readonly string[]): Array<[string, string]> {
  return pairs.map((p) => {
    const i = p.indexOf('=');
    return i < 0 ? [p, ''] : [p.slice(0, i), p.slice(i + 1)];
  });
}

function hasPair(w: WorkloadIdentity | undefined, pairs: Array<[string, string]>): boolean {
  if (!w?.labels) return false;
  return pairs.some(([k, v]) => w.labels![k] === v);
}

function shapeLabels(w: WorkloadIdentity, q: IntentQuery): void {
  if (q.includeAllLabels) { w.labels = { ...(w.labels ?? {}) }; return; }
  if (q.includeLabels?.length) {
    const out: Record<string, string> = {};
    for (const k of q.includeLabels) if (w.labels && k in w.labels) out[k] = w.labels[k];
    w.labels = out;
    return;
  }
  delete w.labels;
}

function destName(i: Intent): string {
  if (i.server) return `${i.server.namespace}\u0000${i.server.name}`;
  return `\uffff${i.internet?.domain ?? i.internet?.ips[0] ?? ''}`;
}

/** Sort by client namespace/name, then server namespace/name (Internet destinations last), then type. */
export function compareIntents(a: Intent, b: Intent): number {
  return a.client.namespace.localeCompare(b.client.namespace) || a.client.name.localeCompare(b.client.name)
    || destName(a).localeCompare(destName(b)) || a.type.localeCompare(b.type);
}

export function runQuery(entries: Iterable<Entry>, q: IntentQuery = {}): Intent[] {
  const namespaces = q.namespaces?.length ? new Set(q.namespaces) : undefined;
  const since = q.since !== undefined ? Date.parse(q.since) : undefined;
  const excluded = q.excludeLabels?.length ? parseLabelPairs(q.excludeLabels) : undefined;
  let list = [...entries];
  if (q.server) {
    const { name, namespace } = q.server;
    const callers = new Set(list.filter((e) => e.server?.name === name && e.server.namespace === namespace).map((e) => idKey(e.client)));
    list = list.filter((e) => callers.has(idKey(e.client)));
  }
  const out: Intent[] = [];
  for (const e of list) {
    if (namespaces && !namespaces.has(e.client.namespace)) continue;
    if (since !== undefined && e.lastSeen < since) continue;
    if (q.excludeInternet && e.type === 'internet') continue;
    if (excluded && (hasPair(e.client, excluded) || hasPair(e.server, excluded))) continue;
    const i = toIntent(e);
    shapeLabels(i.client, q);
    if (i.server) shapeLabels(i.server, q);
    out.push(i);
  }
  return sortIntents(out);
}

/**
 * `list.sort(compareIntents)`, faster on large lists: each field's distinct strings are ranked once
 * (localeCompare, as compareIntents does), then intents are ordered by their rank tuples — integer
 * compares instead of ~n·log n pairs of locale compares and destination strings built per compare.
 */
export function sortIntents(list: Intent[]): Intent[] {
  if (list.length < 64) return list.sort(compareIntents);
  const rankOf = (values: string[]): Map<string, number> => {
    const distinct = [...new Set(values)].sort((a, b) => a.localeCompare(b));
    const ranks = new Map<string, number>();
    // Strings localeCompare calls equal share a rank (compareIntents would go on to the next field).
    for (let i = 0, r = 0; i < distinct.length; i++) {
      if (i > 0 && distinct[i - 1]!.localeCompare(distinct[i]!) !== 0) r = i;
      ranks.set(distinct[i]!, r);
    }
    return ranks;
  };
  const ns = list.map((i) => i.client.namespace), name = list.map((i) => i.client.name), dest = list.map(destName), type = list.map((i) => i.type);
  const rNs = rankOf(ns), rName = rankOf(name), rDest = rankOf(dest), rType = rankOf(type);
  const keys = list.map((_, k) => [rNs.get(ns[k]!)!, rName.get(name[k]!)!, rDest.get(dest[k]!)!, rType.get(type[k]!)!, k] as const);
  keys.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || a[3] - b[3] || a[4] - b[4]);
  return keys.map((k) => list[k[4]]!);
}
