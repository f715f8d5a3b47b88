// Validates generated ClientIntents against the real CRD's openAPIV3Schema (fixtures/crd/,
// copied from otterize/intents-operator) with ajv. Used by tests here and by the fixtures tests.
// Unknown fields are rejected too: an API server would prune them silently, which is data loss.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'yaml';

export const CRD_PATH = fileURLToPath(new URL('../../../fixtures/crd/k8s.otterize.com_clientintents.yaml', import.meta.url));

export type CrdVersion = 'v2beta1' | 'v1alpha3';

/** Returns a function giving the list of schema errors for one object ([] when valid). */
export function loadCrdValidator(version: CrdVersion): (obj: unknown) => string[] {
  const crd = parse(readFileSync(CRD_PATH, 'utf8')) as { spec: { versions: { name: string; schema: { openAPIV3Schema: object } }[] } };
  const entry = crd.spec.versions.find((v) => v.name === version);
  if (!entry) throw new Error(`CRD has no version ${version}`);
  const schema = closeObjects(structuredClone(entry.schema.openAPIV3Schema));
  // OpenAPI's `format: int64` and the x-kubernetes-* keywords are not JSON Schema: not strict.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const validate = ajv.compile(schema);
  return (obj) => (validate(obj) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`));
}

function closeObjects(s: any): any {
  if (s && typeof s === 'object') {
    if (s.properties && !s['x-kubernetes-preserve-unknown-fields'] && s.additionalProperties === undefined) s.additionalProperties = false;
    for (const v of Object.values(s)) closeObjects(v);
  }
  return s;
}
