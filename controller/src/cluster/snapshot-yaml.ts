// A snapshot file read whole: YAML (any number of documents), or JSON the streamed reader could not cut.
// Its own module so that js-yaml (~9 ms to load) is imported only when such a file is read: a replay of
// a JSON snapshot, as `kubectl get -o json` writes and the default fixture is, never loads it.

import { CORE_SCHEMA, loadAll, YAMLException } from 'js-yaml';
import { SnapshotError } from './errors.ts';
import { documentObjects, type SourcedObject } from './snapshot-documents.ts';

/** Appends without spreading: `push(...list)` passes every element as an argument and overflows the stack past ~125k. */
function append<T>(out: T[], list: readonly T[]): void {
  for (let i = 0; i < list.length; i++) out.push(list[i]!);
}

/**
 * Parses one file's text: JSON (one value, or a JSON array of objects) or YAML with any number of
 * documents. YAML is read with js-yaml's core schema (YAML 1.2: timestamps stay strings, as kubectl
 * quotes them anyway), about ten times faster than the `yaml` package's document model on large dumps;
 * a repeated key keeps its last value, as kubectl and the API server do.
 */
export function parseSnapshotText(text: string, file: string): SourcedObject[] {
  const first = text.trimStart()[0];
  const out: SourcedObject[] = [];
  if (first === '{' || first === '[') {
    try {
      const v: unknown = JSON.parse(text);
      if (Array.isArray(v)) for (let i = 0; i < v.length; i++) append(out, documentObjects(v[i], file, i));
      else append(out, documentObjects(v, file, 0));
      return out;
    } catch (err) {
      if (err instanceof SnapshotError) throw err;
      // Not plain JSON: fall through to YAML, which also accepts JSON-like flow documents.
      out.length = 0;
    }
  }
  let doc = 0;
  try {
    loadAll(text, (d) => { append(out, documentObjects(d, file, doc)); doc++; }, { schema: CORE_SCHEMA, json: true, filename: file });
  } catch (err) {
    if (err instanceof SnapshotError) throw err;
    const e = err as YAMLException;
    const line = e.mark ? ` at line ${e.mark.line + 1}, column ${e.mark.column + 1}` : '';
    throw new SnapshotError('snapshot-parse', file, e.mark ? documentAtLine(text, e.mark.line) : doc, undefined, `not valid YAML${line}: ${e.reason ?? e.message.split('\n')[0]}`, { cause: err });
  }
  return out;
}

/** The index of the YAML document holding (0-based) `line`: `---` lines before it, less a leading one. */
function documentAtLine(text: string, line: number): number {
  const lines = text.split('\n', line + 1);
  let n = 0, sawContent = false, leading = false;
  for (let i = 0; i < Math.min(line, lines.length); i++) {
    const l = lines[i]!;
    if (/^---(\s|$)/.test(l)) { if (!sawContent && n === 0) leading = true; n++; }
    else if (l.trim() !== '' && !l.startsWith('#') && !l.startsWith('%')) sawContent = true;
  }
  return Math.max(0, leading ? n - 1 : n);
}
