// Which pods are brokers: explicit `pod.namespace` names (Otterize's `kafka-servers` form) and label
// selectors per namespace (`namespace:selector`, e.g. `kafka:app.kubernetes.io/name=kafka`). Selectors
// use the Kubernetes label-selector grammar: `k=v`, `k==v`, `k!=v`, `k`, `!k`, `k in (a,b)`, `k notin (a,b)`.

import type { Broker } from './accesses.ts';

export class TargetError extends Error {
  readonly code = 'ERR_KAFKA_WATCHER_TARGET';
  override name = 'TargetError';
}

type Requirement = { key: string; op: 'in' | 'notin' | 'exists' | '!exists'; values: string[] };
export interface Selector { namespace: string; text: string; requirements: Requirement[] }
export interface BrokerTargets { names: Broker[]; selectors: Selector[] }

/** RFC 1123 label (namespaces) and subdomain (pod names). */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** `kafka-0.kafka` → pod kafka-0 in namespace kafka (namespaces hold no dots, pod names may). */
export function parseBrokerName(text: string): Broker {
  const dot = text.lastIndexOf('.');
  const name = text.slice(0, dot);
  const namespace = text.slice(dot + 1);
  if (dot <= 0 || !DNS_SUBDOMAIN.test(name) || !DNS_LABEL.test(namespace)) {
    throw new TargetError(`broker ${JSON.stringify(text)}: expected <pod>.<namespace>, e.g. kafka-0.kafka`);
  }
  return { name, namespace };
}

/** Splits on commas outside parentheses. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0, start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')') depth--;
    else if (s[i] === ',' && depth === 0) { out.push(s.slice(start, i)); start = i + 1; }
  }
  out.push(s.slice(start));
  return out.map((x) => x.trim());
}

export function parseSelector(text: string): Selector {
  const colon = text.indexOf(':');
  const namespace = text.slice(0, colon).trim();
  const body = text.slice(colon + 1).trim();
  const bad = (why: string): never => { throw new TargetError(`broker selector ${JSON.stringify(text)}: ${why} (expected <namespace>:<label selector>, e.g. kafka:app.kubernetes.io/name=kafka)`); };
  if (colon <= 0 || !DNS_LABEL.test(namespace)) bad('bad namespace');
  if (body === '') bad('empty selector (it would select every pod)');
  const requirements: Requirement[] = [];
  for (const part of splitTop(body)) {
    let m: RegExpExecArray | null;
    const check = (key: string, values: string[]) => {
      if (!LABEL_KEY.test(key)) bad(`bad label key ${JSON.stringify(key)}`);
      for (const v of values) if (!LABEL_VALUE.test(v)) bad(`bad label value ${JSON.stringify(v)}`);
    };
    if ((m = /^([^\s!=()]+)\s*(==|=|!=)\s*([^\s,()]*)$/.exec(part))) {
      check(m[1]!, [m[3]!]);
      requirements.push({ key: m[1]!, op: m[2] === '!=' ? 'notin' : 'in', values: [m[3]!] });
    } else if ((m = /^([^\s!=()]+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(part))) {
      const values = m[3]!.split(',').map((v) => v.trim());
      check(m[1]!, values);
      requirements.push({ key: m[1]!, op: m[2] as 'in' | 'notin', values });
    } else if ((m = /^(!?)([^\s!=()]+)$/.exec(part))) {
      check(m[2]!, []);
      requirements.push({ key: m[2]!, op: m[1] ? '!exists' : 'exists', values: [] });
    } else bad(`cannot read ${JSON.stringify(part)}`);
  }
  return { namespace, text: body, requirements };
}

export function selectorMatches(s: Selector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return s.requirements.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'exists': return has;
      case '!exists': return !has;
      case 'in': return has && r.values.includes(l[r.key]!);
      case 'notin': return !has || !r.values.includes(l[r.key]!);
    }
  });
}

/** Names (space- or comma-separated) and selectors (`;`-separated) → targets; at least one is required. */
export function parseTargets(names: string, selectors: string): BrokerTargets {
  const t: BrokerTargets = {
    names: names.split(/[\s,]+/).filter(Boolean).map(parseBrokerName),
    selectors: selectors.split(';').map((x) => x.trim()).filter(Boolean).map(parseSelector),
  };
  if (t.names.length === 0 && t.selectors.length === 0) throw new TargetError('no brokers: give --brokers <pod>.<namespace>... or --broker-selectors <namespace>:<selector>');
  return t;
}

/** The namespaces to watch pods in. */
export function targetNamespaces(t: BrokerTargets): string[] {
  return [...new Set([...t.names.map((b) => b.namespace), ...t.selectors.map((s) => s.namespace)])].sort();
}

export function isTarget(t: BrokerTargets, pod: { namespace: string; name: string; labels?: Record<string, string> }): boolean {
  return t.names.some((b) => b.namespace === pod.namespace && b.name === pod.name)
    || t.selectors.some((s) => s.namespace === pod.namespace && selectorMatches(s, pod.labels));
}
