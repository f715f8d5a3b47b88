// The args the chart renders, fed to the controller's and the sniffer's own settings parsers: every flag is
// known, every value is accepted, and it means what the chart's value says. The parsers are imported
// lazily so that, on a branch without them, only these tests fail (with the reason) and not the suite.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO_DIR, one, render, type K8sObject } from '../fixtures/test-support/helm.ts';
import { suiteNeeds } from '../fixtures/test-support/needs.ts';
suiteNeeds('chart entry flags', ['helm']);

const CONTROLLER_CONFIG = 'controller/src/config.ts';
const SNIFFER_CONFIG = 'sniffer/src/config.ts';
// The watchers' parsers (issues 13 and 14): these tests fail, naming the file, until those roles are merged.
const KAFKA_WATCHER_CONFIG = 'sniffer/kafka-watcher/config.ts';
const ISTIO_WATCHER_CONFIG = 'sniffer/istio-watcher/config.ts';

async function parser<T>(file: string, name: string): Promise<T> {
  const path = join(REPO_DIR, file);
  assert.ok(existsSync(path), `${file} exists (the settings parser of the entry the chart runs)`);
  const mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  assert.type(mod[name], 'function', `${file} exports ${name}()`);
  return mod[name] as T;
}

type ParseController = (argv: readonly string[], env: Record<string, string | undefined>, inCluster: boolean) => Record<string, any>;
type ParseSniffer = (argv: readonly string[], env: Record<string, string | undefined>) => Record<string, any>;

const args = (o: K8sObject): string[] => o.spec.template.spec.containers[0].args.slice(1);
const defaults = render();
const switched = render({ values: ['test-values/all-switched.yaml'] });

test("the controller's parser accepts the chart's default args and reads them as the chart means", async () => {
  const parse = await parser<ParseController>(CONTROLLER_CONFIG, 'parseConfig');
  const cfg = parse(args(one(defaults, 'Deployment')), {}, true);
  assert.is(cfg.port, 8080);
  assert.is(cfg.metricsPort, 9090);
  assert.is(cfg.clusterDomain, 'cluster.local');
  assert.equal(cfg.excludeNamespaces, ['istio-system', 'linkerd']);
  assert.is(cfg.workloadNameAnnotation, 'intents.otterize.com/workload-name');
  assert.is(cfg.storeFile, '/var/lib/netmapper/store.json');
  assert.is(cfg.storeSaveIntervalMs, 30_000);
  assert.is(cfg.intentExpiryMs, 0);
  assert.is(cfg.auth, 'tokenreview');
  assert.is(cfg.tokenAudience, 'netmapper');
  assert.is(cfg.minServerAgeMs, 300_000);
  assert.is(cfg.logLevel, 'info');
  // The parser refuses what it does not know, so acceptance above means something.
  assert.throws(() => parse(['--stor-file=/x'], {}, true), /stor-file/);
});

test("the controller's parser accepts the chart's args with every value switched", async () => {
  const parse = await parser<ParseController>(CONTROLLER_CONFIG, 'parseConfig');
  const cfg = parse(args(one(switched, 'Deployment', '-controller')), {}, true);
  assert.is(cfg.port, 18080);
  assert.is(cfg.metricsPort, 19090);
  assert.is(cfg.clusterDomain, 'corp.internal');
  assert.equal(cfg.excludeNamespaces, ['kube-system', 'monitoring']);
  assert.is(cfg.workloadLabel, 'app.kubernetes.io/name');
  assert.is(cfg.intentExpiryMs, 7 * 86_400_000);
  assert.is(cfg.auth, 'none');
  assert.is(cfg.bodyLimit, 16 * 1024 * 1024);
  assert.is(cfg.maxIntents, 500_000);
  assert.is(cfg.maxConcurrentReports, 8);
  assert.is(cfg.logLevel, 'warn');
  assert.is(cfg.metricsEdges, 500);
});

test("the sniffer's parser accepts the chart's default args and reads them as the chart means", async () => {
  const load = await parser<ParseSniffer>(SNIFFER_CONFIG, 'loadConfig');
  const cfg = load(args(one(defaults, 'DaemonSet')), {});
  assert.is(cfg.controllerUrl, 'http://network-mapper-controller.netmapper-system.svc.cluster.local:8080');
  assert.equal(cfg.devices, ['any']);
  assert.is(cfg.reportIntervalMs, 1000);
  assert.is(cfg.hostProc, '/hostproc');
  assert.is(cfg.tokenFile, '/var/run/secrets/netmapper/token');
  assert.is(cfg.healthPort, 57921);
  assert.is(cfg.enableDns, true);
  assert.is(cfg.enableTcp, true);
  assert.is(cfg.enableSocketScan, true);
  assert.throws(() => load(['--report-intervall=1s'], {}), /report-intervall/);
});

test("the sniffer's parser accepts the chart's args with every value switched", async () => {
  const load = await parser<ParseSniffer>(SNIFFER_CONFIG, 'loadConfig');
  const cfg = load(args(one(switched, 'DaemonSet')), {});
  assert.is(cfg.controllerUrl, 'http://nm-controller.netmapper-system.svc.corp.internal:18080');
  assert.equal(cfg.devices, ['eth0', 'cni0']);
  assert.is(cfg.reportIntervalMs, 2500);
  assert.is(cfg.healthPort, 47921);
  assert.is(cfg.backlogMax, 50_000);
  assert.is(cfg.captureBuffer, 64 * 1024 * 1024);
  assert.is(cfg.enableDns, false);
  assert.is(cfg.enableTcp, false);
  assert.is(cfg.enableSocketScan, false);
  assert.is(cfg.logLevel, 'error');
  assert.is(cfg.healthAddress, '$(HOST_IP)', 'the kubelet expands $(HOST_IP) before the parser sees it');
});

/** The controller's environment as the chart sets it (plain values only; downward-API ones given here). */
const envOf = (o: K8sObject): Record<string, string> => ({
  NETMAPPER_NAMESPACE: 'netmapper-system',
  ...Object.fromEntries(o.spec.template.spec.containers[0].env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value])),
});

test("the controller's parser accepts the chart's environment (NETMAPPER_*) with the defaults and switched", async () => {
  const parse = await parser<ParseController>(CONTROLLER_CONFIG, 'parseConfig');
  for (const objects of [defaults, switched]) {
    const d = one(objects, 'Deployment', '-controller');
    parse(args(d), envOf(d), true);
  }
  // With access control merged (issue 10), the environment means what the chart says.
  const cfg = parse(args(one(switched, 'Deployment', '-controller')), envOf(one(switched, 'Deployment', '-controller')), true);
  if ('readAuth' in cfg) {
    assert.is(cfg.readAuth, 'loopback-only');
    assert.is(cfg.trustLoopback, false);
  }
});

test("the Kafka watcher's parser accepts the chart's args", async () => {
  const load = await parser<ParseSniffer>(KAFKA_WATCHER_CONFIG, 'loadConfig');
  const cfg = load(args(one(switched, 'Deployment', '-kafka-watcher')), {});
  assert.is(cfg.mode, 'kubernetes');
  assert.is(cfg.reportIntervalMs, 30_000);
  assert.is(cfg.lookbackMs, 60_000);
  assert.is(cfg.container, 'kafka');
  assert.is(cfg.healthPort, 19091);
  assert.is(cfg.tokenFile, '/var/run/secrets/netmapper/token');
});

test("the Istio watcher's parser accepts the chart's args", async () => {
  const load = await parser<ParseSniffer>(ISTIO_WATCHER_CONFIG, 'loadWatcherConfig');
  const cfg = load(args(one(switched, 'Deployment', '-istio-watcher')), {});
  assert.is(cfg.intervalMs, 30_000);
  assert.is(cfg.port, 15090);
  assert.is(cfg.namespace, 'shop');
  assert.is(cfg.foldIds, true);
  assert.is(cfg.maxPathsPerPair, 20);
  assert.equal(cfg.pathTemplates, ['/users/{id}', '/orders/{id}/items']);
  assert.is(cfg.reportHistory, true);
  assert.is(cfg.concurrency, 4);
  assert.is(cfg.timeoutMs, 2000);
  assert.is(cfg.healthPort, 19092);
});

test.run();
