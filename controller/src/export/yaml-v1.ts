// ClientIntents k8s.otterize.com/v1alpha3 as YAML (`--output-version v1`), by template as the
// reference shows (§4.3): `spec.service.name`, `calls[]` with `type` for kafka/http/internet; no
// `kind` lines; the API server's Service target is written `svc:kubernetes.default`.

import { yamlScalar as q } from './yaml-scalar.ts';
import type { ClientIntentsDoc, Target } from './client-intents.ts';

export const API_VERSION_V1 = 'k8s.otterize.com/v1alpha3';

export function renderYamlV1(docs: readonly ClientIntentsDoc[]): string {
  return docs.map(renderDoc).join('\n---\n');
}

function renderDoc(doc: ClientIntentsDoc): string {
  const l: string[] = [
    `apiVersion: ${API_VERSION_V1}`,
    'kind: ClientIntents',
    'metadata:',
    `  name: ${q(doc.name)}`,
  ];
  if (doc.namespace) l.push(`  namespace: ${q(doc.namespace)}`);
  l.push('spec:', '  service:', `    name: ${q(doc.workload.name)}`, '  calls:');
  for (const t of doc.targets) l.push(...renderCall(t));
  return l.join('\n');
}

function renderCall(t: Target): string[] {
  if ('kafka' in t) {
    const l = [`    - name: ${q(t.kafka.name)}`, '      type: kafka', '      kafkaTopics:'];
    for (const topic of t.kafka.topics) {
      l.push(`        - name: ${q(topic.name)}`, '          operations:');
      for (const op of topic.operations) l.push(`            - ${q(op)}`);
    }
    return l;
  }
  if ('internet' in t) {
    const l = ['    - type: internet', '      internet:'];
    if (t.internet.domains?.length) l.push('        domains:', ...t.internet.domains.map((d) => `          - ${q(d)}`));
    if (t.internet.ips?.length) l.push('        ips:', ...t.internet.ips.map((ip) => `          - ${q(ip)}`));
    if (t.internet.ports?.length) l.push('        ports:', ...t.internet.ports.map((p) => `          - ${p}`));
    return l;
  }
  const [name, http] = 'service' in t ? [`svc:${t.service.name}`, t.service.http] : [t.kubernetes.name, t.kubernetes.http];
  const l = [`    - name: ${q(name)}`];
  if (http?.length) {
    l.push('      type: http', '      HTTPResources:');
    for (const r of http) {
      l.push(`        - path: ${q(r.path)}`, '          methods:');
      for (const m of r.methods) l.push(`            - ${m}`);
    }
  }
  return l;
}
