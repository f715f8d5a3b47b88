// The snapshot cluster view: a static cluster read from `kubectl get ... -A -o yaml|json` output (a `v1 List`)
// or multi-document YAML/JSON files, for offline replay. Same answers as the informer view for the same objects.

import { isUtf8 } from 'node:buffer';
import { open, readFile, stat } from 'node:fs/promises';
import { createClusterIndex, indexLookups } from './cluster-index.ts';
import { ObjectFieldError, SnapshotError } from './errors.ts';
import { isObject } from '../../common/is-object.ts';
import { documentObjects, type SourcedObject } from './snapshot-documents.ts';
import { JsonStreamError, streamJsonElements } from './snapshot-json-stream.ts';
import { createInterner } from './intern.ts';
import {
  endpointSliceRecordFromObject, endpointsRecordFromObject, nodeRecordFromObject, ownerRecordFromObject,
  podRecordFromObject, serviceRecordFromObject, type ConvertOptions,
} from './objects.ts';
import type { ClusterView, OwnerRecord, OwnerRef } from './view.ts';

/** Owner kinds kept from a snapshot whether or not anything references them. */
export const OWNER_KINDS = new Set(['ReplicaSet', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob',
  'ReplicationController']);
/** Kinds read but not needed by resolution; not counted as unknown. */
const IGNORED_KINDS = new Set(['Namespace']);

export interface SnapshotStats {
  files: number;
  documents: number;
  /** Objects kept, per kind. */
  kept: Record<string, number>;
  /** Objects skipped because resolution has no use for their kind, per kind. */
  skipped: Record<string, number>;
  /** Objects that appeared more than once (same kind, namespace, name); the later one wins. */
  duplicates: number;
  /** Items of a JSON List (or elements of a JSON array) skipped because they could not be used: bad JSON, bad UTF-8, a bad field. */
  badItems: number;
  /** The first BAD_ITEM_SAMPLES of those, each naming the file and the item. */
  badItemSamples: string[];
}

/** Bad items named in `badItemSamples` (the rest are only counted). */
export const BAD_ITEM_SAMPLES = 20;

export interface SnapshotView extends ClusterView {
  apiServerIps(): readonly string[];
  readonly stats: SnapshotStats;
}

export type SnapshotOptions = ConvertOptions;

export type { SourcedObject } from './snapshot-documents.ts';

/**
 * Builds a snapshot view from objects already parsed. Throws SnapshotError naming the source of a bad object.
 * @example snapshotViewFromObjects([pod, svc], 'inline')
 */
export function snapshotViewFromObjects(objects: readonly unknown[] | readonly SourcedObject[], source = 'objects', opts: SnapshotOptions = {}): SnapshotView {
  const builder = createSnapshotBuilder(opts);
  objects.forEach((o, i) => builder.add(isObject(o) && 'object' in o && 'file' in o && 'document' in o ? (o as unknown as SourcedObject) : { object: o, file: source, document: i, path: '' }));
  return builder.finish();
}

/** Builds a view one object at a time (a streamed snapshot never holds its objects, only the view). */
export interface SnapshotBuilder {
  /** Adds one object; throws SnapshotError naming its source when it cannot be used (nothing of it is kept then). */
  add(s: SourcedObject): void;
  /** Counts an item that was skipped (bad JSON, bad UTF-8, a bad field), with the message naming it. */
  skipBad(message: string): void;
  /** Objects added so far. */
  added(): number;
  finish(): SnapshotView;
}

export function createSnapshotBuilder(opts: SnapshotOptions = {}): SnapshotBuilder {
  const index = createClusterIndex();
  const convert = { ...opts, intern: createInterner() };
  const stats: SnapshotStats = { files: 0, documents: 0, kept: {}, skipped: {}, duplicates: 0, badItems: 0, badItemSamples: [] };
  const seen = new Set<string>();
  const files = new Set<string>();
  const documents = new Set<string>();
  const otherOwners: OwnerRecord[] = [];
  const referencedKinds = new Set<string>();
  const bump = (m: Record<string, number>, k: string) => { m[k] = (m[k] ?? 0) + 1; };
  let count = 0;

  function add(s: SourcedObject): void {
    files.add(s.file);
    documents.add(`${s.file}#${s.document}`);
    const fail = (field: string | undefined, msg: string, cause?: unknown) =>
      new SnapshotError('snapshot-document', s.file, s.document, field ? s.path + field : s.path || undefined, msg, { cause });
    const o = s.object;
    if (!isObject(o)) throw fail(undefined, 'is not a Kubernetes object (expected a mapping with apiVersion and kind)');
    if (typeof o.kind !== 'string' || o.kind === '') throw fail('kind', 'is required');
    if (typeof o.apiVersion !== 'string' || o.apiVersion === '') throw fail('apiVersion', 'is required');
    const kind = o.kind as string;
    count++;
    try {
      const m = isObject(o.metadata) ? o.metadata : {};
      const dupKey = `${o.apiVersion}|${kind}|${m.namespace ?? ''}|${m.name}`;
      const dup = seen.has(dupKey);
      const refs = Array.isArray(m.ownerReferences) ? m.ownerReferences : [];
      switch (kind) {
        case 'Pod': index.upsertPod(podRecordFromObject(o, convert)); break;
        case 'Service': index.upsertService(serviceRecordFromObject(o, convert)); break;
        case 'EndpointSlice': index.upsertSlice(endpointSliceRecordFromObject(o, convert)); break;
        case 'Endpoints': index.upsertEndpoints(endpointsRecordFromObject(o)); break;
        case 'Node': index.upsertNode(nodeRecordFromObject(o)); break;
        default:
          if (OWNER_KINDS.has(kind)) index.upsertOwner(ownerRecordFromObject(o, convert));
          else if (IGNORED_KINDS.has(kind)) break;
          else if (isObject(o.metadata) && typeof o.metadata.namespace === 'string') { otherOwners.push(ownerRecordFromObject(o)); break; }
          else { bump(stats.skipped, kind); return; }
      }
      // Counted once the object was taken (a bad one throws above, before any of this).
      if (dup) stats.duplicates++;
      seen.add(dupKey);
      for (const ref of refs) if (isObject(ref) && typeof ref.kind === 'string') referencedKinds.add(ref.kind);
      bump(stats.kept, kind);
    } catch (err) {
      if (err instanceof ObjectFieldError) throw fail(err.field, err.message, err);
      throw err;
    }
  }

  function finish(): SnapshotView {
    // Other namespaced kinds are kept only when something names them as an owner (an Argo Rollout, a custom
    // operator's kind); the rest are skipped and counted.
    for (const o of otherOwners) {
      if (referencedKinds.has(o.kind)) index.upsertOwner(o);
      else { bump(stats.skipped, o.kind); stats.kept[o.kind]--; if (stats.kept[o.kind] === 0) delete stats.kept[o.kind]; }
    }
    stats.documents = documents.size;
    stats.files = files.size;

    return {
      stats,
      ...indexLookups(index),
      getOwner: async (ns: string, ref: OwnerRef) => index.ownerFromIndex(ns, ref),
      isSynced: () => true,
    };
  }

  return {
    add,
    skipBad(message) {
      stats.badItems++;
      if (stats.badItemSamples.length < BAD_ITEM_SAMPLES) stats.badItemSamples.push(message);
    },
    added: () => count,
    finish,
  };
}

/** RFC 3629: a snapshot is UTF-8; anything else is named (with the line of the first bad byte), never decoded into U+FFFD. */
function decodeUtf8(buf: Buffer, file: string): string {
  if (isUtf8(buf)) return buf.toString('utf8');
  const text = buf.toString('utf8');
  const bad = text.indexOf('\ufffd');
  const line = bad < 0 ? undefined : text.slice(0, bad).split('\n').length;
  throw new SnapshotError('snapshot-parse', file, undefined, undefined, `not valid UTF-8${line ? ` (first bad byte on line ${line})` : ''}; kubectl writes UTF-8`);
}

/** The first byte that is not whitespace (a BOM is not skipped: kubectl writes none). */
async function firstByte(file: string): Promise<number | undefined> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(4096);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) return undefined;
      for (let i = 0; i < bytesRead; i++) if (buf[i] !== 0x20 && buf[i] !== 0x0a && buf[i] !== 0x0d && buf[i] !== 0x09) return buf[i];
    }
  } finally {
    await fh.close();
  }
}

/** The file is not JSON the stream can cut, and nothing of it was taken: read it whole instead (YAML). */
class NotStreamable extends Error {}

/**
 * One item of a JSON List (or element of a top-level array): its objects added, an unusable one skipped
 * and counted, named by file and item. The streamed and the whole-file reader both take items here.
 */
function addJsonItem(builder: SnapshotBuilder, file: string, topArray: boolean, v: unknown, i: number): void {
  let objects: SourcedObject[];
  try {
    objects = topArray ? documentObjects(v, file, i) : [{ object: v, file, document: 0, path: `items[${i}].` }];
  } catch (err) {
    if (err instanceof SnapshotError) { builder.skipBad(err.message); return; }
    throw err;
  }
  for (const o of objects) {
    try { builder.add(o); } catch (err) {
      if (err instanceof SnapshotError) builder.skipBad(err.message); else throw err;
    }
  }
}

/** A JSON object's envelope: after a List's streamed items, its kind must say List; any other object is read as YAML's are. */
function addJsonEnvelope(builder: SnapshotBuilder, file: string, env: unknown, streamed: boolean): void {
  if (streamed) {
    const kind = isObject(env) ? env.kind : undefined;
    if (typeof kind !== 'string' || !kind.endsWith('List')) throw new SnapshotError('snapshot-document', file, 0, 'kind', `has an items array but is ${JSON.stringify(kind)}, not a List`);
    return;
  }
  for (const o of documentObjects(env, file, 0)) builder.add(o);   // one object: a bad one is an error, as in YAML
}

/** A JSON file up to this size is parsed whole when that takes what the stream would (readJsonWhole). */
export const WHOLE_JSON_MAX = 4 << 20;
/** A `\u` escape of a lower-case letter: a key so written may read as `items` to JSON.parse, not to the stream. */
const LETTER_ESCAPE = /\\u00[67][0-9a-f]/i;

/**
 * A small JSON file read with one JSON.parse (a few ms against about 25 for the stream on a 113 KB
 * compact snapshot: the stream's byte scan runs as cold code), when that is sure to take exactly what
 * streamJsonFile would: valid UTF-8 and valid JSON (every item then parses alone too), and for an
 * object at most one key that can read as `items` — the stream cuts the first key written `"items"`,
 * JSON.parse keeps the last of equal keys and reads escaped ones too. False: stream the file instead.
 */
export async function readJsonWhole(builder: SnapshotBuilder, file: string, topArray: boolean): Promise<boolean> {
  let buf: Buffer;
  try {
    if ((await stat(file)).size > WHOLE_JSON_MAX) return false;
    buf = await readFile(file);
  } catch {
    return false;   // the stream names the problem
  }
  if (buf.length > WHOLE_JSON_MAX || !isUtf8(buf)) return false;
  const text = buf.toString('utf8');
  if (!topArray && (text.indexOf('"items"') !== text.lastIndexOf('"items"') || LETTER_ESCAPE.test(text))) return false;
  let doc: unknown;
  try { doc = JSON.parse(text); } catch { return false; }
  if (topArray) {
    (doc as unknown[]).forEach((v, i) => addJsonItem(builder, file, true, v, i));
    return true;
  }
  const items = isObject(doc) && Array.isArray(doc.items) ? (doc.items as unknown[]) : undefined;
  if (items) items.forEach((v, i) => addJsonItem(builder, file, false, v, i));
  addJsonEnvelope(builder, file, doc, items !== undefined);
  return true;
}

/**
 * A JSON file, streamed: each item of a List (or element of a top-level array) is parsed and added on
 * its own, so the file is never held whole, and an item that cannot be used (bad JSON, bad UTF-8, a
 * bad field) is skipped and counted, named by file and item — the rest still load.
 */
async function streamJsonFile(builder: SnapshotBuilder, file: string, topArray: boolean): Promise<void> {
  let taken = 0;
  const itemName = (i: number): [number, string | undefined] => (topArray ? [i, undefined] : [0, `items[${i}]`]);
  const bad = (i: number, msg: string) => builder.skipBad(new SnapshotError('snapshot-document', file, ...itemName(i), msg).message);
  let res;
  try {
    res = await streamJsonElements(file, (el, i) => {
      taken++;
      if (!el.ok) { bad(i, el.problem); return; }
      addJsonItem(builder, file, topArray, el.value, i);
    });
  } catch (err) {
    if (err instanceof JsonStreamError) {
      if (taken === 0) throw new NotStreamable(err.message);
      const [document, field] = err.element !== undefined ? itemName(err.element) : [0, undefined];
      throw new SnapshotError('snapshot-parse', file, document, field, `not valid JSON: ${err.message}`, { cause: err });
    }
    throw err;
  }
  if (!isUtf8(res.envelope)) {
    if (taken === 0) throw new NotStreamable('not UTF-8');
    throw new SnapshotError('snapshot-parse', file, 0, undefined, 'not valid UTF-8 outside the items; kubectl writes UTF-8');
  }
  let env: unknown;
  try {
    env = JSON.parse(res.envelope.toString('utf8'));
  } catch (err) {
    if (taken === 0) throw new NotStreamable((err as Error).message);
    throw new SnapshotError('snapshot-parse', file, 0, undefined, `not valid JSON outside the items: ${(err as Error).message}`, { cause: err });
  }
  if (topArray) return;
  addJsonEnvelope(builder, file, env, res.streamed);
}

/**
 * Loads snapshot files into a cluster view. JSON (what `kubectl get … -o json` writes) is streamed item
 * by item; YAML is parsed whole, document by document.
 * @example const view = await loadSnapshotView(['cluster.yaml'])   // from `kubectl get pods,svc,... -A -o yaml`
 */
export async function loadSnapshotView(paths: string[], opts: SnapshotOptions = {}): Promise<SnapshotView> {
  const builder = createSnapshotBuilder(opts);
  for (const file of paths) {
    let first: number | undefined;
    try {
      first = await firstByte(file);
    } catch (err) {
      throw new SnapshotError('snapshot-read', file, undefined, undefined, `cannot read: ${(err as Error).message}`, { cause: err });
    }
    if (first === 0x7b || first === 0x5b) {
      if (await readJsonWhole(builder, file, first === 0x5b)) continue;
      try {
        await streamJsonFile(builder, file, first === 0x5b);
        continue;
      } catch (err) {
        if (!(err instanceof NotStreamable)) throw err;
      }
    }
    let buf: Buffer;
    try {
      buf = await readFile(file);
    } catch (err) {
      throw new SnapshotError('snapshot-read', file, undefined, undefined, `cannot read: ${(err as Error).message}`, { cause: err });
    }
    const text = decodeUtf8(buf, file);
    const { parseSnapshotText } = await import('./snapshot-yaml.ts');   // js-yaml loads only for such a file
    for (const o of parseSnapshotText(text, file)) builder.add(o);
  }
  const view = builder.finish();
  view.stats.files = paths.length;
  return view;
}
