// Kafka records through the real ingest, snapshot view and identity resolver: who is resolved,
// what is skipped and why, and how a Kafka target sits beside a plain one to the same broker.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { snapshotViewFromObjects } from '../cluster/snapshot.ts';
import { parseSnapshotText } from '../cluster/snapshot-yaml.ts';
import type { KafkaRecord, ReportRecord } from '../../contract/schema.ts';
import { toClientIntents } from '../export/client-intents.ts';
import { renderList } from '../export/list-text.ts';
import { createIdentityResolver } from '../identity/index.ts';
import { createIngest } from '../ingest.ts';
import { createIntentStore } from '../store/intent-store.ts';
import { kafkaOperation } from './kafka.ts';

const FILE = fileURLToPath(new URL('./testdata/shop.cluster.yaml', import.meta.url));
const AT = '2026-11-21T10:00:00.000Z';

function setup() {
  const cluster = snapshotViewFromObjects(parseSnapshotText(readFileSync(FILE, 'utf8'), FILE));
  const store = createIntentStore({});
  const ingest = createIngest({ cluster, identity: createIdentityResolver(cluster, {}), store, config: { clusterDomain: 'cluster.local', minServerAgeMs: 0 }, now: () => new Date('2026-11-21T10:10:00Z') });
  return { store, run: (...records: ReportRecord[]) => ingest({ version: 1, node: 'kafka-watcher', sentAt: AT, records }) };
}
const k = (srcIp: string, operation: string, over: Partial<KafkaRecord> = {}): KafkaRecord =>
  ({ source: 'kafka', srcIp, serverPodName: 'kafka-0', serverNamespace: 'data', topic: 'orders', operation, lastSeen: AT, ...over });

test('operation names: Kafka\'s (any case, with underscores) and the CRD\'s own', () => {
  assert.equal(['Read', 'WRITE', 'consume', 'produce', 'CLUSTER_ACTION', 'ClusterAction', 'describe_configs', 'IdempotentWrite', 'all'].map(kafkaOperation),
    ['consume', 'produce', 'consume', 'produce', 'ClusterAction', 'ClusterAction', 'DescribeConfigs', 'IdempotentWrite', 'all']);
  assert.equal(['Any', 'CreateTokens', ''].map(kafkaOperation), [undefined, undefined, undefined]);
});

test('client by IP at the time seen, server by name; every miss skipped and counted by reason, the rest kept', async () => {
  const { run, store } = setup();
  const res = await run(
    k('10.244.0.10', 'consume'),                                         // web → kafka-0
    k('10.244.0.70', 'consume', { lastSeen: '2026-11-21T09:00:00.000Z' }), // IP reuse: old-api then
    k('10.244.0.70', 'produce'),                                         // … and new-api now
    k('10.244.0.90', 'consume'),                                         // created after the record
    k('10.9.9.9', 'consume'),                                            // no pod
    k('192.168.1.10', 'consume'),                                        // host network
    k('10.244.0.10', 'consume', { serverPodName: 'kafka-9' }),           // no such broker
    k('10.244.0.10', 'CreateTokens'),                                    // not a ClientIntents operation
  );
  assert.equal(res.unresolved, { 'client-pod-created-after-record': 1, 'no-client-pod': 1, 'client-host-network': 1, 'no-server-pod': 1, 'unknown-kafka-operation': 1 });
  assert.is(res.resolved, 3);
  assert.equal(store.query().map((i) => `${i.client.name}>${i.server!.name}(${i.server!.kind}) ${i.kafkaTopics!.map((t) => `${t.name}:${t.operations}`)}`).sort(),
    ['new-api>kafka(StatefulSet) orders:produce', 'old-api>kafka(StatefulSet) orders:consume', 'web>kafka(StatefulSet) orders:consume']);
});

test('the Kafka target and a plain target to the same broker both stay (Otterize\'s export keeps both)', async () => {
  const { run, store } = setup();
  await run(k('10.244.0.10', 'Describe'), k('10.244.0.10', 'Read'), k('10.244.0.10', 'Read', { topic: 'audit' }),
    { source: 'tcp', srcIp: '10.244.0.10', destination: '10.244.0.110', destinationIp: '10.244.0.110', destinationPort: 9092, lastSeen: AT, count: 1 });
  const docs = toClientIntents(store.query());
  assert.equal(docs[0]!.targets, [
    { kafka: { name: 'kafka.data', topics: [{ name: 'audit', operations: ['consume'] }, { name: 'orders', operations: ['consume', 'describe'] }] } },
    { kubernetes: { name: 'kafka.data', kind: 'StatefulSet' } },
  ]);
  assert.is(renderList(docs), 'web in namespace shop calls:\n  - kafka in namespace data\n    - Kafka topic: audit, operations: [consume]\n    - Kafka topic: orders, operations: [consume describe]\n  - kafka in namespace data\n');
});

test.run();
