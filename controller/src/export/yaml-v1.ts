// ClientIntents k8s.otterize.com/v1alpha3 as YAML (`--output-version v1`), as the reference shows
// (§4.3): `spec.service.name`, `calls[]` with `type` for kafka/http/internet; no `kind` keys; the API
// server's Service target is written `svc:kubernetes.default`. The YAML text is the `yaml` package's.

import type { ClientIntentsDoc, Target } from './client-intents.ts';
import { renderYamlDocs, renderYamlDocsChunks } from './yaml-docs.ts';

export const API_VERSION_V1 = 'k8s.otterize.com/v1alpha3';

export function renderYamlV1(docs: readonly ClientIntentsDoc[]): string {
  return renderYamlDocs(docs.map(toDoc));
}

/** The same text, one document at a time (the controller streams it). */
export function* renderYamlV1Chunks(docs: readonly ClientIntentsDoc[]): Generator<string> {
  yield* renderYamlDocsChunks((function* () { for (const d of docs) yield toDoc(d); })());
}

function toDoc(doc: ClientIntentsDoc): object {
  return {
    apiVersion: API_VERSION_V1,
    kind: 'ClientIntents',
    metadata: { name: doc.name, ...(doc.namespace ? { namespace: doc.namespace } : {}) },
    spec: { service: { name: doc.workload.name }, calls: doc.targets.map(toCall) },
  };
}

function toCall(t: Target): object {
  if ('kafka' in t) {
    return { name: t.kafka.name, type: 'kafka', kafkaTopics: t.kafka.topics.map((topic) => ({ name: topic.name, operations: [...topic.operations] })) };
  }
  if ('internet' in t) {
    const n = t.internet;
    return {
      type: 'internet',
      internet: {
        ...(n.domains?.length ? { domains: [...n.domains] } : {}),
        ...(n.ips?.length ? { ips: [...n.ips] } : {}),
        ...(n.ports?.length ? { ports: [...n.ports] } : {}),
      },
    };
  }
  const [name, http] = 'service' in t ? [`svc:${t.service.name}`, t.service.http] : [t.kubernetes.name, t.kubernetes.http];
  return {
    name,
    ...(http?.length ? { type: 'http', HTTPResources: http.map((r) => ({ path: r.path, methods: [...r.methods] })) } : {}),
  };
}
