// The watcher's Kubernetes mode against the fake API server over loopback HTTP, with the real
// @kubernetes/client-node (informers and Log) and the real authorizer log files: lookback at start,
// new lines while following, a dropped connection mid-stream (resumed by sinceTime with no repeat and
// no gap), a broker found by selector, a container restarted in place while the watcher was cut off
// (its previous instance read first), a broker pod replaced (new uid, read from its first line), a
// broker that stops matching, and every container or a named one.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createFakeApiServer, type FakeApiServer } from '../../fixtures/test-support/fake-apiserver.ts';
import { waitFor } from '../../fixtures/test-support/wait.ts';
import { silentLogger } from '../../controller/common/log.ts';
import { createAccessTable, type AccessTable } from './accesses.ts';
import { parseTargets } from './broker-targets.ts';
import { startKubernetesMode, type KubernetesMode } from './kubernetes-mode.ts';
import { createWatcherMetrics, type WatcherMetrics } from './metrics.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/kafka/', import.meta.url));
const real = (name: string): string[] => readFileSync(FIXTURES + name, 'utf8').split('\n').filter(Boolean);
const SPIFFE = real('otterize-watcher-comment-sample.log');         // Describe mytopic from 10.244.0.27
const ZK_ERA = real('aclauthorizer-topic-group-denied.kafka-authorizer.log'); // 3 Write ssl-topic, 3 Group
const KRAFT = real('kraft-standardauthorizer.kafka-authorizer.log');           // 47 Cluster lines
const DOCS = real('otterize-docs-aclauthorizer-allow-sample.log');              // READ mytopic from 10.244.0.12
const BROKER_NOISE = '[2026-11-27 10:00:00,000] INFO [KafkaServer id=0] started (kafka.server.KafkaServer)';

function pod(name: string, labels: Record<string, string>, containers = ['kafka'], created?: string) {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'kafka', labels, ...(created ? { creationTimestamp: created } : {}) },
    spec: { containers: containers.map((c) => ({ name: c, image: 'bitnami/kafka:3.4' })) },
    status: { phase: 'Running', podIP: '10.244.1.5' },
  };
}

interface Rig { api: FakeApiServer; metrics: WatcherMetrics; table: AccessTable; mode: KubernetesMode; value(name: string, labels: Record<string, string>): Promise<number> }

async function rig(opts: { brokers: string; selectors: string; container?: string; setup(api: FakeApiServer): void }): Promise<Rig> {
  const api = createFakeApiServer({ bookmarkIntervalMs: 0 });
  await api.start();
  opts.setup(api);
  const metrics = createWatcherMetrics();
  const table = createAccessTable({ metrics, timeSource: 'stream' });
  const mode = await startKubernetesMode({
    kc: api.kubeConfig(), targets: parseTargets(opts.brokers, opts.selectors), ...(opts.container ? { container: opts.container } : {}),
    table, metrics, log: silentLogger, lookbackMs: 10_000, initialBackoffMs: 20, maxBackoffMs: 200,
  });
  const value = async (name: string, labels: Record<string, string>) => {
    const m = (await metrics.registry.registry.getMetricsAsJSON()).find((x) => x.name === name);
    const v = m?.values.find((x) => Object.entries(labels).every(([k, want]) => x.labels[k] === want));
    return Number(v?.value ?? 0);
  };
  return { api, metrics, table, mode, value };
}

const LINES = 'netmapper_kafka_watcher_lines_read_total';
const key = (r: { serverPodName: string; srcIp: string; topic: string; operation: string }) => `${r.serverPodName} ${r.srcIp} ${r.topic} ${r.operation}`;

test('follows, survives a dropped connection without repeats or gaps, picks up brokers by selector, reads a restarted broker from its start', async () => {
  const start = Date.now();
  const r = await rig({
    brokers: 'kafka-0.kafka', selectors: 'kafka:app.kubernetes.io/name=kafka',
    setup(api) {
      api.apply(pod('kafka-0', { app: 'broker' }, ['kafka'], new Date(start - 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z')));
      api.apply(pod('zookeeper-0', { 'app.kubernetes.io/name': 'zookeeper' }, ['zookeeper']));
      // Before the lookback window: not read. Inside it: read.
      api.podLogs.append('kafka', 'kafka-0', 'kafka', DOCS, start - 60_000);
      api.podLogs.append('kafka', 'kafka-0', 'kafka', [...SPIFFE, BROKER_NOISE], start - 5_000);
      api.podLogs.append('kafka', 'zookeeper-0', 'zookeeper', SPIFFE, start - 5_000);
    },
  });
  const { api, table, mode, value } = r;
  try {
    await waitFor(async () => (await value(LINES, { broker: 'kafka/kafka-0' })) === 2, 'the lookback lines');
    assert.equal([...mode.followed().keys()], ['kafka/kafka-0']);
    assert.equal(table.take().map(key), ['kafka-0 10.244.0.27 mytopic describe']);
    assert.is(await value('netmapper_kafka_watcher_lines_skipped_total', { broker: 'kafka/kafka-0', reason: 'other-logger' }), 1);

    // Live lines, then the connection drops mid-stream; more lines land while it is down.
    await waitFor(() => api.podLogs.open('kafka', 'kafka-0') === 1, 'stream open');
    api.podLogs.append('kafka', 'kafka-0', 'kafka', ZK_ERA);
    await waitFor(async () => (await value(LINES, { broker: 'kafka/kafka-0' })) === 8, 'the ZooKeeper-era lines');
    api.podLogs.drop('kafka', 'kafka-0');
    api.podLogs.append('kafka', 'kafka-0', 'kafka', KRAFT);
    api.podLogs.append('kafka', 'kafka-0', 'kafka', DOCS);
    await waitFor(async () => (await value(LINES, { broker: 'kafka/kafka-0' })) === 8 + KRAFT.length + 1, 'the lines written while disconnected');
    await new Promise((res) => setTimeout(res, 200));
    // Exactly once each: the reopened stream's overlap (sinceTime is second-rounded) was dropped.
    assert.is(await value(LINES, { broker: 'kafka/kafka-0' }), 8 + KRAFT.length + 1);
    assert.ok((await value('netmapper_kafka_watcher_stream_reconnects_total', { broker: 'kafka/kafka-0' })) >= 1);
    assert.is(await value('netmapper_kafka_watcher_lines_skipped_total', { broker: 'kafka/kafka-0', reason: 'non-topic-resource' }), 3 + KRAFT.length);
    assert.equal(table.take().map(key).sort(), ['kafka-0 10.244.0.12 mytopic consume', 'kafka-0 127.0.0.1 ssl-topic produce']);
    const reqs = api.requests.filter((q) => q.resource === 'pods/log' && q.path.includes('kafka-0')).map((q) => new URLSearchParams(q.query));
    for (const q of reqs) assert.equal([q.get('timestamps'), q.get('container')], ['true', 'kafka']);
    const follows = reqs.filter((q) => q.get('follow') === 'true');
    assert.ok(follows.length >= 2 && follows.every((q) => q.get('sinceTime')), 'every follow resumes from a time');
    assert.ok(reqs.some((q) => q.get('previous') === 'true'), 'the previous instance is asked for');

    // A second broker appears, found by its label.
    api.apply(pod('kafka-1', { 'app.kubernetes.io/name': 'kafka' }, ['kafka', 'jmx-exporter']));
    api.podLogs.append('kafka', 'kafka-1', 'kafka', SPIFFE);
    api.podLogs.append('kafka', 'kafka-1', 'jmx-exporter', [BROKER_NOISE]);
    await waitFor(async () => (await value(LINES, { broker: 'kafka/kafka-1' })) === 2, 'kafka-1, both containers');
    assert.equal(mode.followed().get('kafka/kafka-1'), ['kafka', 'jmx-exporter']);
    table.take();

    // kafka-1's broker container restarts in place while the watcher is cut off: what the old instance
    // wrote last is read from `previous`, then the new instance's lines; nothing twice.
    await waitFor(() => api.podLogs.open('kafka', 'kafka-1') === 2, 'kafka-1 streams open');
    api.podLogs.drop('kafka', 'kafka-1');
    api.podLogs.append('kafka', 'kafka-1', 'kafka', [ZK_ERA[0]!]);
    api.podLogs.restartContainer('kafka', 'kafka-1', 'kafka');
    api.podLogs.append('kafka', 'kafka-1', 'kafka', [DOCS[0]!]);
    await waitFor(async () => (await value(LINES, { broker: 'kafka/kafka-1' })) === 4, 'the old instance\'s last line and the new one\'s');
    await new Promise((res) => setTimeout(res, 200));
    assert.is(await value(LINES, { broker: 'kafka/kafka-1' }), 4);
    assert.equal(table.take().map(key).sort(), ['kafka-1 10.244.0.12 mytopic consume', 'kafka-1 127.0.0.1 ssl-topic produce']);

    // The broker pod restarts: same name, new uid, a fresh log that the watcher reads from its first line,
    // including what it wrote before the watch told us about it.
    api.remove({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'kafka-0', namespace: 'kafka' } });
    api.podLogs.clear('kafka', 'kafka-0');
    api.podLogs.append('kafka', 'kafka-0', 'kafka', [ZK_ERA[0]!.replace('127.0.0.1', '10.244.3.9')], Date.now() - 1000);
    api.apply(pod('kafka-0', { app: 'broker' }));
    api.podLogs.append('kafka', 'kafka-0', 'kafka', SPIFFE.map((l) => l.replace('10.244.0.27', '10.244.3.10')));
    await waitFor(() => table.size === 2, 'the restarted broker\'s lines');
    assert.equal(table.take().map(key).sort(), ['kafka-0 10.244.3.10 mytopic describe', 'kafka-0 10.244.3.9 ssl-topic produce']);

    // kafka-1 loses its label: dropped, its stream closed.
    api.apply({ ...pod('kafka-1', { 'app.kubernetes.io/name': 'other' }, ['kafka', 'jmx-exporter']) });
    await waitFor(() => !mode.followed().has('kafka/kafka-1') && api.podLogs.open('kafka', 'kafka-1') === 0, 'kafka-1 dropped');
    assert.equal([...mode.followed().keys()], ['kafka/kafka-0']);
  } finally {
    await mode.stop();
    await api.close();
  }
});

test('a named container only; a named broker that appears later; the stream API failing backs off and recovers', async () => {
  const r = await rig({
    brokers: 'kafka-2.kafka', selectors: '', container: 'kafka',
    setup(api) { api.failNext({ resource: 'pods/log', verb: 'get', status: 500, count: 2 }); },
  });
  const { api, table, mode, value } = r;
  try {
    assert.equal(mode.followed().size, 0);
    api.apply(pod('kafka-2', { app: 'x' }, ['kafka', 'sidecar']));
    api.podLogs.append('kafka', 'kafka-2', 'kafka', SPIFFE);
    api.podLogs.append('kafka', 'kafka-2', 'sidecar', SPIFFE);
    await waitFor(() => table.size === 1, 'kafka-2 after two failed stream requests');
    assert.equal(mode.followed().get('kafka/kafka-2'), ['kafka']);
    assert.is(await value(LINES, { broker: 'kafka/kafka-2' }), 1);
    assert.is(api.requests.filter((q) => q.resource === 'pods/log' && q.status === 500).length, 2);
    assert.ok((await value('netmapper_kafka_watcher_stream_errors_total', { broker: 'kafka/kafka-2' })) >= 1);
  } finally {
    await mode.stop();
    await api.close();
  }
});

test.run();
