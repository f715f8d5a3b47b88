import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { parseKafkaLogSpec, replayKafkaLogs } from './replay.ts';

const F = (name: string) => fileURLToPath(new URL(`../../fixtures/kafka/${name}`, import.meta.url));

test('--kafka-log specs', () => {
  assert.equal(parseKafkaLogSpec('kafka-0.kafka=/a/b=c.log'), { broker: { name: 'kafka-0', namespace: 'kafka' }, file: '/a/b=c.log' });
  for (const bad of ['kafka-0.kafka', '=x', 'kafka-0.kafka=', 'kafka=x']) assert.throws(() => parseKafkaLogSpec(bad), /expected <pod>\.<namespace>/);
});

test('every real log file: lines counted, skips by reason, records deduplicated at their logged (UTC) time', async () => {
  const broker = { name: 'kafka-0', namespace: 'kafka' };
  const r = await replayKafkaLogs(['aclauthorizer-topic-group-denied.kafka-authorizer.log', 'aclauthorizer-clusteraction-denied.kafka-authorizer.log',
    'kraft-standardauthorizer.kafka-authorizer.log', 'otterize-watcher-comment-sample.log', 'otterize-docs-aclauthorizer-allow-sample.log'].map((f) => ({ broker, file: F(f) })));
  assert.equal([r.lines, r.matched, r.skipped], [6 + 54 + 47 + 1 + 1, 5, { 'non-topic-resource': 3 + 54 + 47 }]);
  assert.equal(r.records.map((x) => [x.srcIp, x.topic, x.operation, x.lastSeen]), [
    ['127.0.0.1', 'ssl-topic', 'produce', '2022-10-04T16:24:37.990Z'],   // three Writes, newest kept
    ['10.244.0.27', 'mytopic', 'describe', '2023-03-12T13:51:55.904Z'],
    ['10.244.0.12', 'mytopic', 'consume', '2023-03-22T16:06:22.746Z'],
  ]);
});

test.run();
