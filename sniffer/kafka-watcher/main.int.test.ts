// The watcher process as the image runs it (the built dist/kafka-watcher.js, spawned), over loopback only: in Kubernetes mode
// against the fake API server (kubeconfig from $KUBECONFIG) and in file mode on a temp file, reporting
// to a stand-in controller that checks the bearer token and validates every report with the contract.
// Also: the whole live path into the real controller (its list shows the topics), /metrics and /healthz,
// settings errors (exit 2), a busy health port (exit 1), SIGTERM (exit 0, last records flushed).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KafkaRecord } from '../../controller/contract/schema.ts';
import { normaliseReport } from '../../controller/contract/normalise.ts';
import { createFakeApiServer } from '../../fixtures/test-support/fake-apiserver.ts';
import { waitFor } from '../../fixtures/test-support/wait.ts';
import { startTestController } from '../../fixtures/test-support/test-controller.ts';
import { parse as parseYaml } from 'yaml';

import { ensureBuilt, REPO } from '../../fixtures/test-support/built.ts';
import { freePort } from '../../fixtures/test-support/ports.ts';

// The process the image runs: dist/kafka-watcher.js, built from the current sources once per run.
ensureBuilt();
const MAIN = join(REPO, 'dist', 'kafka-watcher.js');
const SPIFFE = readFileSync(fileURLToPath(new URL('../../fixtures/kafka/otterize-watcher-comment-sample.log', import.meta.url)), 'utf8').trim();
const TOKEN = 'watcher-token';

/** A stand-in controller: 401 without the token, 400 for an envelope the contract refuses, every record checked by it. */
async function receiver() {
  const records: KafkaRecord[] = [];
  const problems: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      if (req.headers.authorization !== `Bearer ${TOKEN}`) { problems.push('no token'); res.writeHead(401).end(); return; }
      try {
        const { report, skipped } = normaliseReport(JSON.parse(body));
        if (Object.keys(skipped).length) problems.push(`records refused: ${JSON.stringify(skipped)}`);
        for (const r of report.records) records.push(r as KafkaRecord);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"accepted":1}');
      } catch (err) { problems.push((err as Error).message); res.writeHead(400).end(); }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { records, problems, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }) };
}

function start(args: string[], env: Record<string, string>): { child: ChildProcess; stderr: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [MAIN, ...args], { env: { PATH: process.env.PATH!, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => { err += d; });
  child.stdout!.resume();
  return { child, stderr: () => err, exited: new Promise((r) => child.once('exit', (code) => r(code))) };
}

test('bad settings: exit 2 naming the setting', async () => {
  const p = start(['--brokers', 'kafka'], {});
  assert.is(await p.exited, 2);
  assert.match(p.stderr(), /kafka-watcher: --brokers: broker "kafka": expected <pod>.<namespace>/);
});

test('a busy health port: exit 1 with the reason, nothing left running', async () => {
  const busy = createNetServer();
  await new Promise<void>((r) => busy.listen(0, r));
  const port = (busy.address() as AddressInfo).port;
  const dir = mkdtempSync(join(tmpdir(), 'kw-main-'));
  writeFileSync(join(dir, 'a.log'), '');
  const p = start(['--mode', 'file', '--log-file', join(dir, 'a.log'), '--pod-name', 'k', '--pod-namespace', 'n', '--health-port', String(port)], {});
  try {
    assert.is(await p.exited, 1);
    assert.match(p.stderr(), /cannot serve --health-port/);
  } finally {
    p.child.kill('SIGKILL');
    busy.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Kubernetes mode: logs streamed from the API, reported with the token, valid by the contract; metrics; SIGTERM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kw-main-'));
  const api = createFakeApiServer({ bookmarkIntervalMs: 0 });
  await api.start();
  const rx = await receiver();
  const health = await freePort();
  writeFileSync(join(dir, 'token'), `${TOKEN}\n`);
  writeFileSync(join(dir, 'kubeconfig'), `apiVersion: v1\nkind: Config\nclusters: [{name: fake, cluster: {server: "${api.url}", insecure-skip-tls-verify: true}}]\nusers: [{name: fake, user: {}}]\ncontexts: [{name: fake, context: {cluster: fake, user: fake}}]\ncurrent-context: fake\n`);
  api.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'kafka-0', namespace: 'kafka', labels: { app: 'kafka' } }, spec: { containers: [{ name: 'kafka' }] }, status: { phase: 'Running' } });
  const p = start([], {
    KUBECONFIG: join(dir, 'kubeconfig'), NETMAPPER_BROKER_SELECTORS: 'kafka:app=kafka', NETMAPPER_CONTROLLER_URL: rx.url,
    NETMAPPER_TOKEN_FILE: join(dir, 'token'), NETMAPPER_REPORT_INTERVAL: '200ms', NETMAPPER_HEALTH_PORT: String(health), NETMAPPER_WATCHER_NAME: 'kw-test',
  });
  try {
    await waitFor(() => api.podLogs.open('kafka', 'kafka-0') === 1, `the watcher's log stream (${p.stderr()})`, 15_000);
    api.podLogs.append('kafka', 'kafka-0', 'kafka', [SPIFFE, 'not an authorizer line']);
    await waitFor(() => rx.records.length === 1, 'a report', 10_000);
    assert.equal(rx.problems, []);
    assert.equal({ ...rx.records[0], lastSeen: undefined }, { source: 'kafka', srcIp: '10.244.0.27', serverPodName: 'kafka-0', serverNamespace: 'kafka', topic: 'mytopic', operation: 'describe', lastSeen: undefined });
    const metrics = await (await fetch(`http://127.0.0.1:${health}/metrics`)).text();
    assert.match(metrics, 'netmapper_kafka_watcher_lines_read_total{broker="kafka/kafka-0"} 2');
    assert.match(metrics, 'netmapper_kafka_watcher_lines_skipped_total{broker="kafka/kafka-0",reason="other-logger"} 1');
    assert.match(metrics, 'netmapper_kafka_watcher_records_sent_total 1');
    assert.match(metrics, 'process_cpu_seconds_total');
    assert.is((await fetch(`http://127.0.0.1:${health}/healthz`)).status, 200);
    p.child.kill('SIGTERM');
    assert.is(await p.exited, 0);
  } finally {
    p.child.kill('SIGKILL');
    await rx.close();
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the live path end to end: fake API server (the Kafka tutorial\'s pods, its broker\'s recorded authorizer log) → watcher → the real controller → list', async () => {
  const tutorial = (f: string) => fileURLToPath(new URL(`../../fixtures/kafka-tutorial/${f}`, import.meta.url));
  const objects = (parseYaml(readFileSync(tutorial('cluster.yaml'), 'utf8')) as { items: Record<string, any>[] }).items;
  const ctl = await startTestController([], objects);
  const api = createFakeApiServer({ bookmarkIntervalMs: 0 });
  await api.start();
  api.load(objects);
  // The broker's own lines (recorded by capture.sh), stamped now by the "runtime": the pods are alive now.
  api.podLogs.append('kafka', 'kafka-0', 'kafka', readFileSync(tutorial('authorizer.log'), 'utf8').split('\n').filter(Boolean));
  const dir = mkdtempSync(join(tmpdir(), 'kw-main-'));
  writeFileSync(join(dir, 'kubeconfig'), `apiVersion: v1\nkind: Config\nclusters: [{name: fake, cluster: {server: "${api.url}", insecure-skip-tls-verify: true}}]\nusers: [{name: fake, user: {}}]\ncontexts: [{name: fake, context: {cluster: fake, user: fake}}]\ncurrent-context: fake\n`);
  const p = start([], { KUBECONFIG: join(dir, 'kubeconfig'), NETMAPPER_BROKERS: 'kafka-0.kafka', NETMAPPER_CONTROLLER_URL: ctl.url, NETMAPPER_REPORT_INTERVAL: '300ms', NETMAPPER_HEALTH_PORT: String(await freePort()) });
  try {
    const list = async () => (await fetch(`${ctl.url}/api/v1/list`)).text();
    await waitFor(async () => (await list()).includes('operations: [describe produce]'), `the controller's list (${p.stderr()})`, 20_000);
    assert.is(await list(), [
      'client in namespace otterize-tutorial-kafka-mapping calls:', '  - kafka in namespace kafka', '    - Kafka topic: mytopic, operations: [consume describe]',
      'client-2 in namespace otterize-tutorial-kafka-mapping calls:', '  - kafka in namespace kafka', '    - Kafka topic: mytopic, operations: [describe produce]', '',
    ].join('\n'));
    p.child.kill('SIGTERM');
    assert.is(await p.exited, 0);
  } finally {
    p.child.kill('SIGKILL');
    await ctl.close();
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('file mode: tails the sidecar\'s authorizer log; the broker is the pod it runs in; last records flushed on SIGTERM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kw-main-'));
  const log = join(dir, 'authz.log');
  writeFileSync(log, `${SPIFFE.replace('10.244.0.27', '10.244.9.9')}\n`);   // before start: not read (from the end)
  writeFileSync(join(dir, 'token'), TOKEN);
  const rx = await receiver();
  const p = start(['--mode', 'file', '--log-file', log, '--pod-name', 'kafka-1', '--pod-namespace', 'data', '--report-interval', '1h', '--health-port', String(await freePort())],
    { NETMAPPER_CONTROLLER_URL: rx.url, NETMAPPER_TOKEN_FILE: join(dir, 'token') });
  try {
    await waitFor(() => p.stderr().includes('log file opened'), 'the tail', 15_000);
    appendFileSync(log, `${SPIFFE}\n`);
    await new Promise((r) => setTimeout(r, 500));
    p.child.kill('SIGTERM');   // the report interval is an hour: only the shutdown flush can deliver it
    assert.is(await p.exited, 0);
    assert.equal(rx.records.map((r) => [r.srcIp, r.serverPodName, r.serverNamespace, r.operation]), [['10.244.0.27', 'kafka-1', 'data', 'describe']]);
  } finally {
    p.child.kill('SIGKILL');
    await rx.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
