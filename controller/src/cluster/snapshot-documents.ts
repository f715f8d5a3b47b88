// A parsed snapshot document split into the objects it holds, each with where it came from: shared by
// the streamed JSON reader (snapshot.ts) and the whole-file reader (snapshot-yaml.ts).

import { isObject } from '../../common/is-object.ts';
import { SnapshotError } from './errors.ts';

/** One object with where it came from, so an error can name the file, document and field prefix. */
export interface SourcedObject { object: unknown; file: string; document: number; path: string }


/** Splits one parsed document into objects: a `List` (or `PodList`, ...) yields its items. */
export function documentObjects(doc: unknown, file: string, document: number): SourcedObject[] {
  if (doc === null || doc === undefined) return [];   // an empty document (`---` at the end) is not an error
  if (isObject(doc) && typeof doc.kind === 'string' && doc.kind.endsWith('List') && 'items' in doc) {
    if (doc.items === null) return [];
    if (!Array.isArray(doc.items)) throw new SnapshotError('snapshot-document', file, document, 'items', `must be a list in a ${doc.kind}`);
    const items = doc.items as unknown[];
    const out: SourcedObject[] = new Array(items.length);
    for (let i = 0; i < items.length; i++) out[i] = { object: items[i], file, document, path: `items[${i}].` };
    return out;
  }
  return [{ object: doc, file, document, path: '' }];
}
