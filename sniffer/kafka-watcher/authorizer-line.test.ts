import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MAX_LINE, parseAuthorizerLine, SKIP_REASONS, toIntentOperation, type ParsedLine } from './authorizer-line.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/kafka/', import.meta.url));
const lines = (name: string): string[] => readFileSync(FIXTURES + name, 'utf8').split('\n').filter((l) => l !== '');

function tally(results: ParsedLine[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) { const k = 'skip' in r ? r.skip : 'topic'; out[k] = (out[k] ?? 0) + 1; }
  return out;
}

test('ZooKeeper-era AclAuthorizer: Denied Write on a topic is a produce; Group lines skipped as non-topic', () => {
  const rs = lines('aclauthorizer-topic-group-denied.kafka-authorizer.log').map(parseAuthorizerLine);
  assert.equal(tally(rs), { topic: 3, 'non-topic-resource': 3 });
  const first = rs.find((r) => 'access' in r)!;
  assert.equal(first, { access: {
    loggedAt: Date.UTC(2022, 9, 4, 14, 39, 24, 251), principal: 'User:sasl-producer-one', allowed: false,
    operation: 'produce', kafkaOperation: 'Write', clientIp: '127.0.0.1', topic: 'ssl-topic',
  } });
});

test('ClusterAction on the Cluster resource (AclAuthorizer and KRaft StandardAuthorizer): every line skipped as non-topic', () => {
  assert.equal(tally(lines('aclauthorizer-clusteraction-denied.kafka-authorizer.log').map(parseAuthorizerLine)), { 'non-topic-resource': 54 });
  assert.equal(tally(lines('kraft-standardauthorizer.kafka-authorizer.log').map(parseAuthorizerLine)), { 'non-topic-resource': 47 });
});

test('KRaft StandardAuthorizer wording (lower-case `operation`, CLUSTER_ACTION style names, `based on rule`) parses once on a topic', () => {
  const real = lines('kraft-standardauthorizer.kafka-authorizer.log').find((l) => l.includes('ammar-client'))!;
  // The same real line with its resource turned into a topic, and the operations KRaft logs in upper case.
  for (const [op, want] of [['READ', 'consume'], ['WRITE', 'produce'], ['DESCRIBE', 'describe'], ['IDEMPOTENT_WRITE', 'IdempotentWrite'],
    ['DESCRIBE_CONFIGS', 'DescribeConfigs'], ['ALTER_CONFIGS', 'AlterConfigs'], ['CLUSTER_ACTION', 'ClusterAction'], ['ALL', 'all']] as const) {
    const l = real.replace('DESCRIBE', op).replace('Cluster:LITERAL:kafka-cluster', 'Topic:LITERAL:orders.v1');
    const r = parseAuthorizerLine(l);
    assert.ok('access' in r, l);
    assert.equal([r.access.operation, r.access.clientIp, r.access.topic, r.access.principal, r.access.allowed], [want, '172.23.38.230', 'orders.v1', 'User:ammar-client', false]);
  }
});

test('SPIFFE / X.509 principal with commas and `=` (Otterize\'s own sample)', () => {
  const [l] = lines('otterize-watcher-comment-sample.log');
  const r = parseAuthorizerLine(l!);
  assert.ok('access' in r);
  assert.is(r.access.principal, 'User:2.5.4.45=#13206331373734376636373865323137613636346130653335393130326638303662,CN=myclient.otterize-tutorial-kafka-mtls,O=SPIRE,C=US');
  assert.equal([r.access.operation, r.access.clientIp, r.access.topic], ['describe', '10.244.0.27', 'mytopic']);
  // A DN with spaces, and a principal that itself contains " is Allowed Operation = ": the last marker wins.
  const spaced = l!.replace('CN=myclient', 'CN=my client is Allowed Operation = Write x');
  const r2 = parseAuthorizerLine(spaced);
  assert.ok('access' in r2);
  assert.equal([r2.access.operation, r2.access.allowed], ['describe', false]);
});

test('older ResourcePattern(...) DEBUG detail line: READ on a LITERAL topic is a consume', () => {
  const [l] = lines('otterize-docs-aclauthorizer-allow-sample.log');
  assert.equal(parseAuthorizerLine(l!), { access: {
    loggedAt: Date.UTC(2023, 2, 22, 16, 6, 22, 746), allowed: true, operation: 'consume', kafkaOperation: 'READ', clientIp: '10.244.0.12', topic: 'mytopic',
  } });
  assert.equal(parseAuthorizerLine(l!.replace('patternType=LITERAL', 'patternType=PREFIXED')), { skip: 'prefixed-pattern' });
  assert.equal(parseAuthorizerLine(l!.replace('resourceType=TOPIC', 'resourceType=GROUP')), { skip: 'non-topic-resource' });
});

test('skips, each with its reason', () => {
  const ok = '[2023-03-12 13:51:55,904] INFO Principal = User:a is Allowed Operation = Read from host = 10.0.0.1 on resource = Topic:LITERAL:t for request = Fetch with resourceRefCount = 1 (kafka.authorizer.logger)';
  assert.ok('access' in parseAuthorizerLine(ok));
  const cases: [string, string][] = [
    ['[2023-03-12 13:51:55,904] INFO [KafkaServer id=0] started (kafka.server.KafkaServer)', 'other-logger'],
    ['', 'other-logger'],
    [ok + ' trailing', 'other-logger'],
    [ok.replace('Principal = User:a is Allowed', 'Principal=User:a was Allowed'), 'unknown-format'],
    [ok.replace('with resourceRefCount = 1', 'with resourceRefCount = x'), 'unknown-format'],
    [ok.replace('Topic:LITERAL:t', 'Topic:PREFIXED:t'), 'prefixed-pattern'],
    [ok.replace('Topic:LITERAL:t', 'TransactionalId:LITERAL:t'), 'non-topic-resource'],
    [ok.replace('Operation = Read', 'Operation = CreateTokens'), 'unknown-operation'],
    [ok.replace('Operation = Read', 'Operation = Any'), 'unknown-operation'],
    [ok.replace('10.0.0.1', 'kafka-client.local'), 'bad-host'],
    [ok.replace('Topic:LITERAL:t', 'Topic:LITERAL:bad topic'), 'bad-topic'],
    [ok.replace('Topic:LITERAL:t', `Topic:LITERAL:${'x'.repeat(250)}`), 'bad-topic'],
    [ok.replace('Topic:LITERAL:t', 'Topic:LITERAL:'), 'bad-topic'],
    [ok.replace('Topic:LITERAL:t', 'Topic'), 'unknown-format'],
    [`${'x'.repeat(MAX_LINE)} (kafka.authorizer.logger)`, 'too-long'],
  ];
  for (const [l, reason] of cases) assert.equal(parseAuthorizerLine(l), { skip: reason }, l.slice(0, 120));
});

test('variants that still parse: IPv6 host, Java `name/ip` host, CRLF, Strimzi layout (bare time, thread suffix), no timestamp', () => {
  const ok = '[2023-03-12 13:51:55,904] DEBUG Principal = User:a is Allowed Operation = Write from host = 10.0.0.1 on resource = Topic:LITERAL:t for request = Produce with resourceRefCount = 1 (kafka.authorizer.logger)';
  const v6 = parseAuthorizerLine(ok.replace('10.0.0.1', '0:0:0:0:0:0:0:1'));
  assert.ok('access' in v6 && v6.access.clientIp === '0:0:0:0:0:0:0:1');
  const slash = parseAuthorizerLine(ok.replace('10.0.0.1', 'client.example/10.0.0.9'));
  assert.ok('access' in slash && slash.access.clientIp === '10.0.0.9');
  assert.ok('access' in parseAuthorizerLine(ok + '\r'));
  const strimzi = parseAuthorizerLine(ok.replace('[2023-03-12 13:51:55,904]', '2023-03-12 13:51:55,904') + ' [data-plane-kafka-request-handler-3]');
  assert.ok('access' in strimzi && strimzi.access.loggedAt === Date.UTC(2023, 2, 12, 13, 51, 55, 904));
  const bare = parseAuthorizerLine(ok.slice(ok.indexOf('Principal')));
  assert.ok('access' in bare && bare.access.loggedAt === undefined && bare.access.operation === 'produce');
});

test('operation names map onto the CRD enum; unknown ones do not', () => {
  assert.equal(['Read', 'WRITE', 'Create', 'Delete', 'Alter', 'describe', 'ClusterAction', 'CLUSTER_ACTION', 'DescribeConfigs', 'ALTER_CONFIGS', 'IdempotentWrite', 'All'].map(toIntentOperation),
    ['consume', 'produce', 'create', 'delete', 'alter', 'describe', 'ClusterAction', 'ClusterAction', 'DescribeConfigs', 'AlterConfigs', 'IdempotentWrite', 'all']);
  assert.equal(['Any', 'Unknown', 'CREATE_TOKENS', 'DescribeTokens', ''].map(toIntentOperation), [undefined, undefined, undefined, undefined, undefined]);
});

test('hostile input stays linear: 16 KiB of markers parses (or is refused) fast', () => {
  const evil = '[2023-03-12 13:51:55,904] INFO Principal = ' + ' is Allowed Operation = '.repeat(600) + ' from host = '.repeat(100) + ' (kafka.authorizer.logger)';
  const t0 = performance.now();
  for (let i = 0; i < 50; i++) parseAuthorizerLine(evil);
  assert.ok(performance.now() - t0 < 500, 'parse time');
});

test('mutated real lines (seeded): never a throw; every result an access with a CRD operation or a known skip reason', () => {
  const seeds = ['otterize-watcher-comment-sample.log', 'otterize-docs-aclauthorizer-allow-sample.log', 'aclauthorizer-topic-group-denied.kafka-authorizer.log', 'kraft-standardauthorizer.kafka-authorizer.log']
    .flatMap((f) => lines(f).slice(0, 3));
  let state = 0x9e3779b9;
  const rand = (n: number) => { state ^= state << 13; state ^= state >>> 17; state ^= state << 5; return (state >>> 0) % n; };
  const alphabet = ' =:,()[]/.-_\r\nAaIiOoPpTt0123456789\u00e9\u{1F600}';
  const ops = new Set(['all', 'consume', 'produce', 'create', 'alter', 'delete', 'describe', 'ClusterAction', 'DescribeConfigs', 'AlterConfigs', 'IdempotentWrite']);
  const reasons = new Set<string>(SKIP_REASONS);
  const seen: Record<string, number> = {};
  for (let i = 0; i < 20_000; i++) {
    let l = seeds[rand(seeds.length)]!;
    for (let k = rand(4) + 1; k > 0; k--) {
      const at = rand(l.length + 1);
      switch (rand(4)) {
        case 0: l = l.slice(0, at) + l.slice(at + 1 + rand(8)); break;
        case 1: l = l.slice(0, at) + [...alphabet][rand([...alphabet].length)] + l.slice(at); break;
        case 2: l = l.slice(0, at) + l.slice(rand(l.length)); break;
        default: l = l.slice(0, at) + l.slice(at, at + rand(40)) + l.slice(at);
      }
    }
    const r = parseAuthorizerLine(l);
    if ('access' in r) {
      assert.ok(ops.has(r.access.operation), l);
      assert.ok(/^[a-zA-Z0-9._-]{1,249}$/.test(r.access.topic), l);
      seen.access = (seen.access ?? 0) + 1;
    } else {
      assert.ok(reasons.has(r.skip), l);
      seen[r.skip] = (seen[r.skip] ?? 0) + 1;
    }
  }
  assert.ok(seen.access! > 100 && seen['other-logger']! > 100 && seen['unknown-format']! > 100, JSON.stringify(seen));
});

test.run();
