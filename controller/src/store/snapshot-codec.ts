// The store's snapshot format (a versioned JSON document) and its structural check on load, so a
// damaged or foreign file is reported precisely instead of half-loaded.

import type { Intent } from '../model.ts';
import { HTTP_METHODS, KAFKA_OPERATIONS } from '../model.ts';

export const SNAPSHOT_VERSION = 1;

export interface StoreSnapshot {
  version: typeof SNAPSHOT_VERSION;
  savedAt: string;
  intents: Intent[];
}

const TYPES = new Set(['plain', 'kafka', 'http', 'internet']);
const SOURCES = new Set(['dns', 'tcp', 'socket', 'kafka', 'istio']);
const OPS = new Set<string>(KAFKA_OPERATIONS);
const METHODS = new Set<string>(HTTP_METHODS);

function fail(path: string, msg: string): never {
  throw new Error(`${path}: ${msg}`);
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkIdentity(v: unknown, path: string): void {
  if (!isObj(v)) fail(path, 'must be an object');
  for (const k of ['name', 'namespace', 'kind']) if (typeof v[k] !== 'string') fail(`${path}.${k}`, 'must be a string');
  if (v.labels !== undefined && !isObj(v.labels)) fail(`${path}.labels`, 'must be an object');
}

function checkTime(v: unknown, path: string): void {
  if (typeof v !== 'string' || !Number.isFinite(Date.parse(v))) fail(path, 'must be an RFC 3339 time');
}

function checkIntent(v: unknown, path: string): void {
  if (!isObj(v)) fail(path, 'must be an object');
  checkIdentity(v.client, `${path}.client`);
  if (typeof v.type !== 'string' || !TYPES.has(v.type)) fail(`${path}.type`, 'unknown intent type');
  if (v.type === 'internet') {
    const n = v.internet;
    if (!isObj(n) || !Array.isArray(n.ips) || !Array.isArray(n.ports)) fail(`${path}.internet`, 'must have ips and ports');
    if (n.domain !== undefined && typeof n.domain !== 'string') fail(`${path}.internet.domain`, 'must be a string');
    if (n.domain === undefined && n.ips.length === 0) fail(`${path}.internet`, 'needs a domain or an IP');
    if (!n.ips.every((x) => typeof x === 'string')) fail(`${path}.internet.ips`, 'must be strings');
    if (!n.ports.every((x) => Number.isInteger(x))) fail(`${path}.internet.ports`, 'must be integers');
  } else {
    checkIdentity(v.server, `${path}.server`);
  }
  checkTime(v.firstSeen, `${path}.firstSeen`);
  checkTime(v.lastSeen, `${path}.lastSeen`);
  if (!Number.isInteger(v.count) || (v.count as number) < 0) fail(`${path}.count`, 'must be a non-negative integer');
  if (!Array.isArray(v.sources) || v.sources.length === 0 || !v.sources.every((s) => SOURCES.has(s as string))) fail(`${path}.sources`, 'must list known sources');
  if (v.kafkaTopics !== undefined) {
    if (!Array.isArray(v.kafkaTopics)) fail(`${path}.kafkaTopics`, 'must be an array');
    v.kafkaTopics.forEach((t, j) => {
      if (!isObj(t) || typeof t.name !== 'string' || !Array.isArray(t.operations) || !t.operations.every((o) => OPS.has(o as string))) fail(`${path}.kafkaTopics[${j}]`, 'bad topic');
    });
  }
  if (v.httpResources !== undefined) {
    if (!Array.isArray(v.httpResources)) fail(`${path}.httpResources`, 'must be an array');
    v.httpResources.forEach((r, j) => {
      if (!isObj(r) || typeof r.path !== 'string' || !Array.isArray(r.methods) || !r.methods.every((m) => METHODS.has(m as string))) fail(`${path}.httpResources[${j}]`, 'bad resource');
    });
  }
}

/** Throws an Error naming the first bad field; returns the value typed when it is a snapshot. */
export function checkSnapshot(data: unknown): StoreSnapshot {
  if (!isObj(data)) fail('$', 'not a JSON object');
  if (data.version !== SNAPSHOT_VERSION) fail('version', `unsupported snapshot version ${JSON.stringify(data.version)}`);
  if (!Array.isArray(data.intents)) fail('intents', 'must be an array');
  data.intents.forEach((v, i) => checkIntent(v, `intents[${i}]`));
  return data as unknown as StoreSnapshot;
}
