// ClientIntents k8s.otterize.com/v2beta1 as YAML, keys in the reference's order (§4.3), empty
// `kind` left out. The YAML text itself is the `yaml` package's (yaml-docs.ts).

import type { ClientIntentsDoc, Target } from './client-intents.ts';
import type { HttpResource } from '../model.ts';
import { renderYamlDocs, renderYamlDocsChunks } from './yaml-docs.ts';

export const API_VERSION_V2 = 'k8s.otterize.com/v2beta1';

export function renderYamlV2(docs: readonly ClientIntentsDoc[]): string {
  return renderYamlDocs(docs.map(toDoc));
}

/** The same text, one document at a time (the controller streams it). */
export function* renderYamlV2Chunks(docs: readonly ClientIntentsDoc[]): Generator<string> {
  yield* renderYamlDocsChunks((function* () { for (const d of docs) yield toDoc(d); })());
}

function toDoc(doc: ClientIntentsDoc): object {
  return {
    apiVersion: API_VERSION_V2,
    kind: 'ClientIntents',
    metadata: { name: doc.name, ...(doc.namespace ? { namespace: doc.namespace } : {}) },
    spec: {
      workload: { name: doc.workload.name, ...(doc.workload.kind ? { kind: doc.workload.kind } : {}) },
      targets: doc.targets.map(toTarget),
    },
  };
}

function toTarget(t: Target): object {
  if ('kafka' in t) return { kafka: { name: t.kafka.name, topics: t.kafka.topics.map((topic) => ({ name: topic.name, operations: [...topic.operations] })) } };
  if ('service' in t) return { service: { name: t.service.name, ...http(t.service.http) } };
  if ('kubernetes' in t) return { kubernetes: { name: t.kubernetes.name, ...(t.kubernetes.kind ? { kind: t.kubernetes.kind } : {}), ...http(t.kubernetes.http) } };
  const n = t.internet;
  return {
    internet: {
      ...(n.domains?.length ? { domains: [...n.domains] } : {}),
      ...(n.ips?.length ? { ips: [...n.ips] } : {}),
      ...(n.ports?.length ? { ports: [...n.ports] } : {}),
    },
  };
}

function http(resources: readonly HttpResource[] | undefined): object {
  return resources?.length ? { http: resources.map((r) => ({ path: r.path, methods: [...r.methods] })) } : {};
}
