// The hot path's verdict: does a record of a kind certainly pass? Written out field by field (ajv's own
// generated code did this; checks.ts's blocks, one closure call per keyword, cost twice as much). A
// record that may not pass — or one this cannot be sure of cheaply, such as a name over its limit in
// UTF-16 units that may be within it in code points — goes to validate.ts's full check, which names
// the problem. So these may say false for a good record, never true for a bad one (validate.test.ts).

import { canonicalIp } from '../common/ip.ts';
import { UNPRINTABLE_CHAR } from './checks.ts';
import { isRfc3339 } from './rfc3339.ts';
import { MAX_IP, MAX_METHOD, MAX_METHODS, MAX_NAME, MAX_OPERATION, MAX_TEXT, MAX_TIME, MAX_TTL } from './schema.ts';

const isIp = (v: unknown): boolean => typeof v === 'string' && v.length <= MAX_IP && canonicalIp(v) !== undefined;
const isTime = (v: unknown): boolean => typeof v === 'string' && v.length <= MAX_TIME && isRfc3339(v);
/** A printable string of 1 to `max` UTF-16 units (`min` 0: may be empty). */
const isText = (v: unknown, min: number, max: number): boolean =>
  typeof v === 'string' && v.length >= min && v.length <= max && !UNPRINTABLE_CHAR.test(v);
const isInt = (v: unknown, min: number, max: number): boolean => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** dns, tcp and socket records. */
export function connectionPasses(r: Record<string, unknown>): boolean {
  const source = r.source, port = r.destinationPort, ttl = r.ttl, host = r.srcHostname;
  return (source === 'dns' || source === 'tcp' || source === 'socket')
    && isIp(r.srcIp)
    && (host === undefined || isText(host, 0, MAX_NAME))
    && isText(r.destination, 1, MAX_NAME)
    && isIp(r.destinationIp)
    && (port === undefined ? source === 'dns' : isInt(port, 1, 65535))
    && (ttl === undefined || isInt(ttl, 0, MAX_TTL))
    && isTime(r.lastSeen)
    && isInt(r.count, 1, Number.MAX_SAFE_INTEGER);
}

export function kafkaPasses(r: Record<string, unknown>): boolean {
  return r.source === 'kafka' && isIp(r.srcIp) && isText(r.serverPodName, 1, MAX_NAME) && isText(r.serverNamespace, 1, MAX_NAME)
    && isText(r.topic, 1, MAX_NAME) && isText(r.operation, 1, MAX_OPERATION) && isTime(r.lastSeen);
}

export function httpPasses(r: Record<string, unknown>): boolean {
  const service = r.dstServiceName, methods = r.methods;
  if (!(r.source === 'istio' && isText(r.srcWorkload, 1, MAX_NAME) && isText(r.srcWorkloadNamespace, 1, MAX_NAME)
    && isText(r.dstWorkload, 1, MAX_NAME) && isText(r.dstWorkloadNamespace, 1, MAX_NAME)
    && (service === undefined || isText(service, 0, MAX_NAME)) && isText(r.path, 1, MAX_TEXT)
    && Array.isArray(methods) && methods.length <= MAX_METHODS && isTime(r.lastSeen))) return false;
  for (const m of methods) if (!isText(m, 1, MAX_METHOD)) return false;
  return true;
}
