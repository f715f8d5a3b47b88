// ClientIntents v2beta1 as JSON, the way Go's json.MarshalIndent(list, "", "  ") writes the
// Otterize CLI's objects (reference §4.3): kind before apiVersion, `creationTimestamp: null`,
// an always-present status, empty optional fields left out, `[]` for an empty list.

import { API_VERSION_V2 } from './yaml-v2.ts';
import type { ClientIntentsDoc, Target } from './client-intents.ts';

/** The v2beta1 object with its keys in Go's struct order. */
export function toV2beta1Object(doc: ClientIntentsDoc): Record<string, unknown> {
  const workload: Record<string, unknown> = { name: doc.workload.name };
  if (doc.workload.kind) workload.kind = doc.workload.kind;
  const metadata: Record<string, unknown> = { name: doc.name };
  if (doc.namespace) metadata.namespace = doc.namespace;
  metadata.creationTimestamp = null;
  return {
    kind: 'ClientIntents',
    apiVersion: API_VERSION_V2,
    metadata,
    spec: { workload, targets: doc.targets.map(targetObject) },
    status: { upToDate: false, observedGeneration: 0 },
  };
}

function targetObject(t: Target): Record<string, unknown> {
  if ('kubernetes' in t) {
    const k: Record<string, unknown> = { name: t.kubernetes.name };
    if (t.kubernetes.kind) k.kind = t.kubernetes.kind;
    if (t.kubernetes.http?.length) k.http = t.kubernetes.http.map((r) => ({ path: r.path, methods: [...r.methods] }));
    return { kubernetes: k };
  }
  if ('service' in t) {
    const s: Record<string, unknown> = { name: t.service.name };
    if (t.service.http?.length) s.http = t.service.http.map((r) => ({ path: r.path, methods: [...r.methods] }));
    return { service: s };
  }
  if ('kafka' in t) {
    const k: Record<string, unknown> = { name: t.kafka.name };
    if (t.kafka.topics.length) k.topics = t.kafka.topics.map((x) => ({ name: x.name, operations: [...x.operations] }));
    return { kafka: k };
  }
  const i: Record<string, unknown> = {};
  if (t.internet.domains?.length) i.domains = [...t.internet.domains];
  if (t.internet.ips?.length) i.ips = [...t.internet.ips];
  if (t.internet.ports?.length) i.ports = [...t.internet.ports];
  return { internet: i };
}

/** The JSON array, no trailing newline. */
export function renderJson(docs: readonly ClientIntentsDoc[]): string {
  return goJson(docs.map(toV2beta1Object));
}

/**
 * renderJson's text one object at a time (the controller streams it): MarshalIndent's array is `[`,
 * each element on its own lines indented two more spaces, `,` between, `]` — and `[]` when empty.
 * JSON strings hold no raw newline, so indenting after every `\n` indents whole lines only.
 */
export function* renderJsonChunks(docs: readonly ClientIntentsDoc[]): Generator<string> {
  if (docs.length === 0) { yield '[]'; return; }
  for (let i = 0; i < docs.length; i++) yield `${i === 0 ? '[\n  ' : ',\n  '}${goJson(toV2beta1Object(docs[i]!)).replace(/\n/g, '\n  ')}`;
  yield '\n]';
}

/** JSON.stringify with two-space indent plus Go's HTML-safe escaping of <, >, & and U+2028/9; C1 and
 *  bidi controls too (common/printable.ts), which Go leaves raw: a terminal must not act on a name. */
export function goJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[<>&\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
