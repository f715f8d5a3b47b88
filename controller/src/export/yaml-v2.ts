// ClientIntents k8s.otterize.com/v2beta1 as YAML, by template, line for line as the reference
// shows (§4.3): keys in a fixed order, empty `kind` left out, documents joined by `\n---\n`,
// no trailing spaces and no final newline.

import { yamlScalar as q } from './yaml-scalar.ts';
import type { ClientIntentsDoc, Target } from './client-intents.ts';
import type { HttpResource } from '../model.ts';

export const API_VERSION_V2 = 'k8s.otterize.com/v2beta1';

export function renderYamlV2(docs: readonly ClientIntentsDoc[]): string {
  return docs.map(renderDoc).join('\n---\n');
}

function renderDoc(doc: ClientIntentsDoc): string {
  const l: string[] = [
    `apiVersion: ${API_VERSION_V2}`,
    'kind: ClientIntents',
    'metadata:',
    `  name: ${q(doc.name)}`,
  ];
  if (doc.namespace) l.push(`  namespace: ${q(doc.namespace)}`);
  l.push('spec:', '  workload:', `    name: ${q(doc.workload.name)}`);
  if (doc.workload.kind) l.push(`    kind: ${q(doc.workload.kind)}`);
  l.push('  targets:');
  for (const t of doc.targets) l.push(...renderTarget(t));
  return l.join('\n');
}

function renderTarget(t: Target): string[] {
  if ('kafka' in t) {
    const l = ['    - kafka:', `        name: ${q(t.kafka.name)}`, '        topics:'];
    for (const topic of t.kafka.topics) {
      l.push(`          - name: ${q(topic.name)}`, '            operations:');
      for (const op of topic.operations) l.push(`              - ${q(op)}`);
    }
    return l;
  }
  if ('service' in t) return ['    - service:', `        name: ${q(t.service.name)}`, ...renderHttp(t.service.http)];
  if ('kubernetes' in t) {
    const l = ['    - kubernetes:', `        name: ${q(t.kubernetes.name)}`];
    if (t.kubernetes.kind) l.push(`        kind: ${q(t.kubernetes.kind)}`);
    return [...l, ...renderHttp(t.kubernetes.http)];
  }
  const l = ['    - internet:'];
  if (t.internet.domains?.length) l.push('        domains:', ...t.internet.domains.map((d) => `          - ${q(d)}`));
  if (t.internet.ips?.length) l.push('        ips:', ...t.internet.ips.map((ip) => `          - ${q(ip)}`));
  if (t.internet.ports?.length) l.push('        ports:', ...t.internet.ports.map((p) => `          - ${p}`));
  return l;
}

function renderHttp(http: readonly HttpResource[] | undefined): string[] {
  const l: string[] = [];
  if (!http?.length) return l;
  l.push('        http:');
  for (const r of http) {
    l.push(`          - path: ${q(r.path)}`, '            methods:');
    for (const m of r.methods) l.push(`              - ${m}`);
  }
  return l;
}
