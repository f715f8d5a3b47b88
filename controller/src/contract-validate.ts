// Checks a `POST /api/v1/reports` body against the wire contract (contract.ts) and returns a
// normalised copy (canonical IPs, lower-case names). The first problem throws, naming the field.

import { REPORT_VERSION } from './contract.ts';
import type { ConnectionRecord, HttpRecord, KafkaRecord, Report, ReportRecord } from './contract.ts';
import { ReportValidationError } from './errors.ts';
import { canonicalIp } from './resolve/ip.ts';

/** RFC 1035 §2.3.4: a name is at most 255 octets; we also bound every other free-text field. */
const MAX_NAME = 255;
const MAX_TEXT = 2048;
const MAX_METHODS = 16;
/** RFC 2181 §8: a TTL is an unsigned 31-bit number. */
const MAX_TTL = 2 ** 31 - 1;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

type Obj = Record<string, unknown>;

/** `records[2]` + `srcIp` → `records[2].srcIp`; top-level fields have no prefix. */
function at(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(o: Obj, key: string, path: string, opts: { optional?: boolean; max?: number } = {}): string | undefined {
  const v = o[key];
  if (v === undefined && opts.optional) return undefined;
  if (typeof v !== 'string') throw new ReportValidationError(at(path, key), v === undefined ? 'required' : 'must be a string');
  if (v.length === 0 && !opts.optional) throw new ReportValidationError(at(path, key), 'must not be empty');
  if (v.length > (opts.max ?? MAX_NAME)) throw new ReportValidationError(at(path, key), `longer than ${opts.max ?? MAX_NAME} characters`);
  return v;
}

function reqStr(o: Obj, key: string, path: string, max?: number): string {
  return str(o, key, path, { max }) as string;
}

function ip(o: Obj, key: string, path: string): string {
  const v = reqStr(o, key, path, 45);
  const c = canonicalIp(v);
  if (c === undefined) throw new ReportValidationError(at(path, key), `not an IPv4 or IPv6 address: ${JSON.stringify(v)}`);
  return c;
}

/** RFC 3339 §5.6 date-time, normalised to `toISOString()` form. */
function time(o: Obj, key: string, path: string): string {
  const v = reqStr(o, key, path, 40);
  const ms = Date.parse(v);
  if (!RFC3339.test(v) || !Number.isFinite(ms)) throw new ReportValidationError(at(path, key), `not an RFC 3339 time: ${JSON.stringify(v)}`);
  const iso = new Date(ms).toISOString();
  return iso === v ? v : iso;
}

function int(o: Obj, key: string, path: string, min: number, max: number, optional: boolean): number | undefined {
  const v = o[key];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new ReportValidationError(at(path, key), v === undefined ? 'required' : 'must be an integer');
  if (v < min || v > max) throw new ReportValidationError(at(path, key), `must be between ${min} and ${max}`);
  return v;
}

/** A DNS name as the decoder gives it: lower case, no trailing dot (RFC 4343: names compare case-insensitively). */
function dnsName(v: string): string {
  const n = v.toLowerCase();
  return n.endsWith('.') ? n.slice(0, -1) : n;
}

function parseConnection(r: Obj, path: string, source: 'dns' | 'tcp' | 'socket'): ConnectionRecord {
  const srcIp = ip(r, 'srcIp', path);
  const srcHostname = str(r, 'srcHostname', path, { optional: true });
  const destinationIp = ip(r, 'destinationIp', path);
  let destination = reqStr(r, 'destination', path);
  if (source === 'dns') destination = dnsName(destination);
  else destination = canonicalIp(destination) ?? destination;
  const destinationPort = int(r, 'destinationPort', path, 1, 65535, source === 'dns');
  const ttl = int(r, 'ttl', path, 0, MAX_TTL, true);
  const out: ConnectionRecord = { source, srcIp, destination, destinationIp, lastSeen: time(r, 'lastSeen', path), count: int(r, 'count', path, 1, Number.MAX_SAFE_INTEGER, false) as number };
  if (srcHostname) out.srcHostname = srcHostname;
  if (destinationPort !== undefined) out.destinationPort = destinationPort;
  if (ttl !== undefined) out.ttl = ttl;
  return out;
}

function parseKafka(r: Obj, path: string): KafkaRecord {
  return {
    source: 'kafka', srcIp: ip(r, 'srcIp', path),
    serverPodName: reqStr(r, 'serverPodName', path), serverNamespace: reqStr(r, 'serverNamespace', path),
    topic: reqStr(r, 'topic', path), operation: reqStr(r, 'operation', path, 64), lastSeen: time(r, 'lastSeen', path),
  };
}

function parseHttp(r: Obj, path: string): HttpRecord {
  const methods = r.methods;
  if (!Array.isArray(methods)) throw new ReportValidationError(at(path, 'methods'), methods === undefined ? 'required' : 'must be an array of strings');
  if (methods.length > MAX_METHODS) throw new ReportValidationError(at(path, 'methods'), `more than ${MAX_METHODS} entries`);
  methods.forEach((m, i) => {
    if (typeof m !== 'string' || m.length === 0 || m.length > 16) throw new ReportValidationError(`${path}.methods[${i}]`, 'must be a method name');
  });
  const out: HttpRecord = {
    source: 'istio',
    srcWorkload: reqStr(r, 'srcWorkload', path), srcWorkloadNamespace: reqStr(r, 'srcWorkloadNamespace', path),
    dstWorkload: reqStr(r, 'dstWorkload', path), dstWorkloadNamespace: reqStr(r, 'dstWorkloadNamespace', path),
    path: reqStr(r, 'path', path, MAX_TEXT), methods: (methods as string[]).map((m) => m.toUpperCase()),
    lastSeen: time(r, 'lastSeen', path),
  };
  const svc = str(r, 'dstServiceName', path, { optional: true });
  if (svc) out.dstServiceName = svc;
  return out;
}

function parseRecord(r: unknown, path: string): ReportRecord {
  if (!isObj(r)) throw new ReportValidationError(path, 'must be an object');
  switch (r.source) {
    case 'dns': case 'tcp': case 'socket': return parseConnection(r, path, r.source);
    case 'kafka': return parseKafka(r, path);
    case 'istio': return parseHttp(r, path);
    default: throw new ReportValidationError(at(path, 'source'), `must be one of dns, tcp, socket, kafka, istio; got ${JSON.stringify(r.source)}`);
  }
}

/**
 * Validates a decoded JSON body as a Report. Throws ReportValidationError naming the first bad field;
 * returns a normalised copy, so nothing downstream sees unchecked input.
 */
export function parseReport(body: unknown, maxRecords = 1_000_000): Report {
  if (!isObj(body)) throw new ReportValidationError('$', 'the body must be a JSON object');
  if (body.version !== REPORT_VERSION) throw new ReportValidationError('version', `must be ${REPORT_VERSION}; got ${JSON.stringify(body.version)}`);
  const node = reqStr(body, 'node', '').trim();
  const sentAt = time(body, 'sentAt', '');
  if (!Array.isArray(body.records)) throw new ReportValidationError('records', body.records === undefined ? 'required' : 'must be an array');
  if (body.records.length > maxRecords) throw new ReportValidationError('records', `more than ${maxRecords} records`);
  const records = body.records.map((r, i) => parseRecord(r, `records[${i}]`));
  return { version: REPORT_VERSION, node, sentAt, records };
}
