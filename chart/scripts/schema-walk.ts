// Walks values.schema.json: the documented values, their types and descriptions, in file order.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SCHEMA_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', 'values.schema.json');

interface Schema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  items?: Schema;
  properties?: Record<string, Schema>;
  definitions?: Record<string, Schema>;
  description?: string;
  minimum?: number;
  maximum?: number;
  [key: string]: unknown;
}

export interface ValueDoc {
  /** Dotted path, e.g. `controller.store.persistence.enabled`. */
  path: string;
  /** Readable type: `integer (1–65535)`, `string: tokenreview | none`, `object`... */
  type: string;
  description: string;
}

export function loadSchema(file = SCHEMA_FILE): Schema {
  return JSON.parse(readFileSync(file, 'utf8')) as Schema;
}

/** Follows local `#/definitions/x` references; a description beside the `$ref` wins over the target's. */
function resolve(root: Schema, s: Schema): Schema {
  if (!s.$ref) return s;
  const prefix = '#/definitions/';
  if (!s.$ref.startsWith(prefix)) throw new Error(`values.schema.json: unsupported $ref ${s.$ref}`);
  const target = root.definitions?.[s.$ref.slice(prefix.length)];
  if (!target) throw new Error(`values.schema.json: dangling $ref ${s.$ref}`);
  const { $ref: _ref, ...rest } = s;
  return { ...resolve(root, target), ...rest };
}

function describeType(root: Schema, raw: Schema): string {
  if (raw.$ref === '#/definitions/duration') return 'duration (30s, 5m, 1h30m)';
  if (raw.$ref === '#/definitions/resources') return 'object (requests, limits)';
  const s = resolve(root, raw);
  if (s.anyOf) {
    const parts = s.anyOf.map((a) => describeType(root, a));
    return [...new Set(parts)].join(' or ');
  }
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return `${s.type ?? 'string'}: ${s.enum.map((e) => (e === '' ? '""' : String(e))).join(' \\| ')}`;
  const type = Array.isArray(s.type) ? s.type.join(' or ') : (s.type ?? 'any');
  if (type === 'array' && s.items) return `array of ${describeType(root, s.items)}`;
  if (s.minimum !== undefined && s.maximum !== undefined) return `${type} (${s.minimum}–${s.maximum})`;
  if (s.minimum !== undefined) return `${type} (≥ ${s.minimum})`;
  return type;
}

/** Every documented value (a schema node without `properties`, or a `$ref`), depth first in file order. */
export function valueDocs(root = loadSchema()): ValueDoc[] {
  const out: ValueDoc[] = [];
  const walk = (node: Schema, path: string): void => {
    const s = resolve(root, node);
    // A `$ref` names a reusable type (resources, tolerations...): documented as one value.
    if (s.properties && !node.$ref) {
      for (const [key, child] of Object.entries(s.properties)) walk(child, path ? `${path}.${key}` : key);
      return;
    }
    out.push({ path, type: describeType(root, node), description: s.description ?? '' });
  };
  walk(root, '');
  return out;
}

export function schemaLeaves(): string[] {
  return valueDocs().map((d) => d.path);
}

/** The value at a dotted path, or undefined. */
export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}
