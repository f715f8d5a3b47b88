import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createAccessTable } from './accesses.ts';
import { createWatcherMetrics } from './metrics.ts';

const metrics = () => createWatcherMetrics();
const line = (op: string, ip: string, topic: string, ts = '2023-03-12 13:51:55,904') =>
  `[${ts}] INFO Principal = User:x is Allowed Operation = ${op} from host = ${ip} on resource = Topic:LITERAL:${topic} for request = R with resourceRefCount = 1 (kafka.authorizer.logger)`;
const B = { namespace: 'kafka', name: 'kafka-0' };

test('access table: one record per (broker, operation, client IP, topic), newest time; counted per broker and reason', async () => {
  const m = metrics();
  let now = Date.UTC(2026, 10, 27, 12);
  const t = createAccessTable({ metrics: m, timeSource: 'stream', now: () => now });
  t.line(B, line('Read', '10.0.0.1', 'orders'), now - 5000);
  t.line(B, line('Read', '10.0.0.1', 'orders'), now - 1000);
  t.line(B, line('Read', '10.0.0.1', 'orders'), now - 3000);   // older: no change
  t.line(B, line('Describe', '10.0.0.1', 'orders'), now + 60_000); // clock ahead: clamped to now
  t.line({ namespace: 'kafka', name: 'kafka-1' }, line('Read', '10.0.0.1', 'orders'), now);
  t.line(B, 'some other line');
  t.line(B, line('Read', '10.0.0.1', 'orders').replace('Topic:', 'Group:'));
  t.line(B, 'xxxx', undefined, true);
  const r = t.take();
  assert.equal(r, [
    { source: 'kafka', srcIp: '10.0.0.1', serverPodName: 'kafka-0', serverNamespace: 'kafka', topic: 'orders', operation: 'consume', lastSeen: new Date(now - 1000).toISOString() },
    { source: 'kafka', srcIp: '10.0.0.1', serverPodName: 'kafka-0', serverNamespace: 'kafka', topic: 'orders', operation: 'describe', lastSeen: new Date(now).toISOString() },
    { source: 'kafka', srcIp: '10.0.0.1', serverPodName: 'kafka-1', serverNamespace: 'kafka', topic: 'orders', operation: 'consume', lastSeen: new Date(now).toISOString() },
  ]);
  assert.is(t.size, 0);
  assert.equal(t.take(), []);
  const text = await m.registry.render();
  assert.match(text, 'netmapper_kafka_watcher_lines_read_total{broker="kafka/kafka-0"} 7');
  assert.match(text, 'netmapper_kafka_watcher_lines_matched_total{broker="kafka/kafka-0"} 4');
  assert.match(text, 'netmapper_kafka_watcher_lines_skipped_total{broker="kafka/kafka-0",reason="other-logger"} 1');
  assert.match(text, 'netmapper_kafka_watcher_lines_skipped_total{broker="kafka/kafka-0",reason="non-topic-resource"} 1');
  assert.match(text, 'netmapper_kafka_watcher_lines_skipped_total{broker="kafka/kafka-0",reason="too-long"} 1');
  assert.match(text, 'netmapper_kafka_watcher_records_reported_total{broker="kafka/kafka-0"} 2');
  now += 1;
});

test('access table: time sources (logged = log4j time as UTC; read = now) and the bound on distinct keys', async () => {
  const m = metrics();
  const now = Date.UTC(2026, 10, 27, 12);
  const logged = createAccessTable({ metrics: m, timeSource: 'logged', now: () => now });
  logged.line(B, line('Write', '10.0.0.2', 't'));
  assert.is(logged.take()[0]!.lastSeen, '2023-03-12T13:51:55.904Z');
  const read = createAccessTable({ metrics: m, timeSource: 'read', now: () => now, maxKeys: 2 });
  for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.2']) read.line(B, line('Write', ip, 't'));
  const r = read.take();
  assert.equal(r.map((x) => [x.srcIp, x.lastSeen]), [['10.0.0.1', new Date(now).toISOString()], ['10.0.0.2', new Date(now).toISOString()]]);
  assert.match(await m.registry.render(), 'netmapper_kafka_watcher_records_dropped_total{broker="kafka/kafka-0",reason="table-full"} 1');
});

test.run();
