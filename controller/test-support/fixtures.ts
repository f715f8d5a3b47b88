// Paths to and loaders for the real Kubernetes object dumps in fixtures/k8s (see fixtures/k8s/SOURCES.md).

import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const K8S_FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'k8s');

/** Every dump file of one source directory (`k9s`, `popeye`, `kubectl-neat`), sorted. */
export function fixtureFiles(dir: 'k9s' | 'popeye' | 'kubectl-neat'): string[] {
  return readdirSync(join(K8S_FIXTURES, dir)).filter((f) => /\.(json|ya?ml)$/.test(f)).sort().map((f) => join(K8S_FIXTURES, dir, f));
}

/** The objects of dump files, with `List`s flattened into their items. */
export function fixtureObjects(files: string[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    for (const d of parseAllDocuments(text) as ReturnType<typeof parseAllDocuments> & unknown[]) {
      const v = (d as { toJS(): unknown }).toJS() as Record<string, unknown> | null;
      if (!v) continue;
      if (Array.isArray(v.items)) out.push(...(v.items as Record<string, unknown>[]));
      else out.push(v);
    }
  }
  return out;
}
