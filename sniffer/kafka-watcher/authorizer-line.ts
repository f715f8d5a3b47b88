// Parses one line of Kafka's authorizer log (logger `kafka.authorizer.logger`) into a topic access,
// or says why the line is not one. Three real shapes are understood:
//   ZooKeeper-era AclAuthorizer:  `… Principal = P is Denied Operation = Describe from host = H on resource = Topic:LITERAL:T for request = R with resourceRefCount = N (kafka.authorizer.logger)`
//   KRaft StandardAuthorizer:     the same with `operation = DESCRIBE` (upper case) and a `based on rule X` suffix
//   AclAuthorizer's DEBUG detail: `operation = READ on resource = ResourcePattern(resourceType=TOPIC, name=T, patternType=LITERAL) from host = H is ALLOW based on acl = …`
// Parsing is by fixed markers (indexOf), never nested lazy regexes, so a hostile line costs linear time,
// and a line longer than MAX_LINE is refused before any search.

import { isIP } from 'node:net';

/** The ClientIntents CRD's Kafka operation enum (v2beta1 `kafka.topics[].operations`). */
export type KafkaIntentOperation = 'all' | 'consume' | 'produce' | 'create' | 'alter' | 'delete' | 'describe'
  | 'ClusterAction' | 'DescribeConfigs' | 'AlterConfigs' | 'IdempotentWrite';

/** Kafka's AclOperation names (either case, with or without `_`) → the CRD enum. READ is consuming, WRITE producing. */
const OPERATIONS: Record<string, KafkaIntentOperation> = {
  all: 'all', read: 'consume', write: 'produce', create: 'create', alter: 'alter', delete: 'delete', describe: 'describe',
  clusteraction: 'ClusterAction', describeconfigs: 'DescribeConfigs', alterconfigs: 'AlterConfigs', idempotentwrite: 'IdempotentWrite',
};

/** `Read`, `READ`, `CLUSTER_ACTION`, `ClusterAction` → the CRD value; undefined for ANY, UNKNOWN, CREATE_TOKENS, … */
export function toIntentOperation(kafkaOp: string): KafkaIntentOperation | undefined {
  return OPERATIONS[kafkaOp.replace(/_/g, '').toLowerCase()];
}

/** Lines past this many characters are refused unread (a real authorizer line is a few hundred). */
export const MAX_LINE = 16 * 1024;
/** Kafka's own limit on a topic name (Topic.MAX_NAME_LENGTH). */
const MAX_TOPIC = 249;
const LOGGER_SUFFIX = ' (kafka.authorizer.logger)';

export type SkipReason =
  | 'too-long'           // longer than MAX_LINE
  | 'other-logger'       // not a kafka.authorizer.logger line (the broker's other output)
  | 'unknown-format'     // an authorizer line in a shape we do not know
  | 'non-topic-resource' // Cluster, Group, TransactionalId, …
  | 'prefixed-pattern'   // PREFIXED (or MATCH/ANY) resource pattern: not one topic
  | 'unknown-operation'  // ANY, UNKNOWN, CREATE_TOKENS, …
  | 'bad-host'           // the client address is not an IP
  | 'bad-topic';         // empty, too long, or characters Kafka forbids

export const SKIP_REASONS: readonly SkipReason[] = ['too-long', 'other-logger', 'unknown-format', 'non-topic-resource',
  'prefixed-pattern', 'unknown-operation', 'bad-host', 'bad-topic'];

export interface TopicAccess {
  /** The log4j timestamp, epoch ms read as UTC (log4j's `%d` carries no zone); undefined when absent. */
  loggedAt?: number;
  principal?: string;
  allowed: boolean;
  operation: KafkaIntentOperation;
  /** As logged by Kafka (`Read`, `CLUSTER_ACTION`, …). */
  kafkaOperation: string;
  clientIp: string;
  topic: string;
}

export type ParsedLine = { access: TopicAccess } | { skip: SkipReason };

/** `[2022-10-04 14:47:18,895] ` (log4j `[%d]`), or Strimzi's bare `2022-10-04 14:47:18,895 `. */
const LOG4J_PREFIX = /^\[?(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:[,.](\d{1,9}))?\]? +([A-Z]+) +/;
/** Kafka's topic alphabet (Topic.LEGAL_CHARS). */
const TOPIC_CHARS = /^[a-zA-Z0-9._-]+$/;

const skip = (reason: SkipReason): ParsedLine => ({ skip: reason });

export function parseAuthorizerLine(raw: string): ParsedLine {
  if (raw.length > MAX_LINE) return skip('too-long');
  let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  // Strimzi's layout appends the thread: `(kafka.authorizer.logger) [data-plane-kafka-request-handler-3]`.
  let end = line.lastIndexOf(LOGGER_SUFFIX);
  if (end < 0) return skip('other-logger');
  const tail = line.slice(end + LOGGER_SUFFIX.length);
  if (tail !== '' && !/^ \[[^\]]*\]$/.test(tail)) return skip('other-logger');
  line = line.slice(0, end);

  let loggedAt: number | undefined;
  const m = LOG4J_PREFIX.exec(line);
  if (m) {
    const ms = m[7] ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0;
    loggedAt = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, ms);
    line = line.slice(m[0].length);
  }
  const body = line.startsWith('Principal = ') ? parseAudit(line) : line.startsWith('operation = ') ? parseAclDetail(line) : undefined;
  if (!body) return skip('unknown-format');
  if ('skip' in body) return body;
  if (loggedAt !== undefined && Number.isFinite(loggedAt)) body.access.loggedAt = loggedAt;
  return body;
}

type Partial_ = { skip: SkipReason } | { access: TopicAccess } | undefined;

/** `Principal = P is Allowed Operation = Op from host = H on resource = T:PT:N for request = R with resourceRefCount = N[ based on rule X]` */
function parseAudit(s: string): Partial_ {
  // The principal may hold spaces, commas and `=` (X.509 / SPIFFE DNs): it ends at the LAST ` is Allowed|Denied `
  // that is followed by the operation marker.
  const opMarker = / is (Allowed|Denied) (?:Operation|operation) = /g;
  let hit: RegExpExecArray | null = null;
  for (let x: RegExpExecArray | null; (x = opMarker.exec(s)) !== null;) hit = x;
  if (!hit) return undefined;
  const principal = s.slice('Principal = '.length, hit.index);
  const rest = s.slice(hit.index + hit[0].length);
  const fromAt = rest.indexOf(' from host = ');
  const onAt = rest.indexOf(' on resource = ', fromAt + 1);
  const forAt = rest.lastIndexOf(' for request = ');
  if (fromAt <= 0 || onAt < 0 || forAt < onAt) return undefined;
  if (!/^ for request = \S+ with resourceRefCount = \d+( based on (rule|acl) .*)?$/.test(rest.slice(forAt))) return undefined;
  const kafkaOperation = rest.slice(0, fromAt);
  const host = rest.slice(fromAt + ' from host = '.length, onAt);
  const resource = rest.slice(onAt + ' on resource = '.length, forAt);
  // `Topic:LITERAL:name`: the type and pattern have no colons; the name is the rest.
  const c1 = resource.indexOf(':');
  const c2 = resource.indexOf(':', c1 + 1);
  if (c1 <= 0 || c2 < 0) return undefined;
  return finish({ principal, allowed: hit[1] === 'Allowed', kafkaOperation, host, type: resource.slice(0, c1), pattern: resource.slice(c1 + 1, c2), name: resource.slice(c2 + 1) });
}

/** `operation = READ on resource = ResourcePattern(resourceType=TOPIC, name=T, patternType=LITERAL) from host = H is ALLOW|DENY based on acl = …` */
function parseAclDetail(s: string): Partial_ {
  const m = /^operation = (\S+) on resource = ResourcePattern\(resourceType=([A-Z_]+), name=(.*), patternType=([A-Z]+)\) from host = (\S+) is (ALLOW|DENY|ALLOWED|DENIED)\b/.exec(s);
  if (!m) return undefined;
  return finish({ allowed: m[6]!.startsWith('ALLOW'), kafkaOperation: m[1]!, host: m[5]!, type: m[2]!, pattern: m[4]!, name: m[3]! });
}

function finish(f: { principal?: string; allowed: boolean; kafkaOperation: string; host: string; type: string; pattern: string; name: string }): Partial_ {
  if (f.type.toUpperCase() !== 'TOPIC') return skip('non-topic-resource');
  if (f.pattern !== 'LITERAL') return skip('prefixed-pattern');
  const operation = toIntentOperation(f.kafkaOperation);
  if (!operation) return skip('unknown-operation');
  // Java's InetAddress.toString() form is `hostname/1.2.3.4`; getHostAddress() (what Kafka logs) is the bare address.
  const host = f.host.includes('/') ? f.host.slice(f.host.lastIndexOf('/') + 1) : f.host;
  if (isIP(host) === 0) return skip('bad-host');
  if (f.name.length === 0 || f.name.length > MAX_TOPIC || !TOPIC_CHARS.test(f.name)) return skip('bad-topic');
  const access: TopicAccess = { allowed: f.allowed, operation, kafkaOperation: f.kafkaOperation, clientIp: host, topic: f.name };
  if (f.principal !== undefined) access.principal = f.principal;
  return { access };
}
