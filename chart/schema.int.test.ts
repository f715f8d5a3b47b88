// values.schema.json refuses mistyped values at install time with a message that names the value and what was wrong.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CHART_DIR, NAMESPACE, RELEASE, helm, template } from '../fixtures/test-support/helm.ts';
import { suiteNeeds } from '../fixtures/test-support/needs.ts';
suiteNeeds('chart schema', ['helm']);

const HEADER = "values don't meet the specifications of the schema(s) in the following chart(s):";

const REFUSED: [set: string, message: string][] = [
  ['sniffer.healthPort=abc', "at '/sniffer/healthPort': got string, want integer"],
  ['sniffer.healthPort=80', "at '/sniffer/healthPort': minimum: got 80, want 1,024"],
  ['controller.auth=oauth', "at '/controller/auth': value must be one of 'tokenreview', 'none'"],
  ['sniffer.reportInterval=fast', "at '/sniffer/reportInterval': 'fast' does not match pattern"],
  ['controller.excludeNamespaces={Kube_System}', "at '/controller/excludeNamespaces/0': 'Kube_System' does not match pattern"],
  ['sniffer.tolerationz=1', "at '/sniffer': additional properties 'tolerationz' not allowed"],
  ['contoller.port=1', "at '': additional properties 'contoller' not allowed"],
  ['controller.store.persistence.enabled=yes', "at '/controller/store/persistence/enabled': got string, want boolean"],
  ['controller.resources.requests.cpu=lots', "at '/controller/resources/requests/cpu': 'lots' does not match pattern"],
  ['sniffer.tokenExpirationSeconds=60', "at '/sniffer/tokenExpirationSeconds': minimum: got 60, want 600"],
  ['image.digest=latest', "at '/image/digest': 'latest' does not match pattern"],
  ['sniffer.reportInterval=1d', "at '/sniffer/reportInterval': '1d' does not match pattern"],
  ['controller.bodyLimit=8MB', "at '/controller/bodyLimit': '8MB' does not match pattern"],
  ['sniffer.captureBuffer=1.5Gi', "at '/sniffer/captureBuffer': '1.5Gi' does not match pattern"],
  ['sniffer.captureMode=fast', "at '/sniffer/captureMode': value must be one of 'block', 'immediate'"],
  ['controller.maxIntents=0', "at '/controller/maxIntents': 'anyOf' failed"],
  ['controller.maxConcurrentReports=0', "at '/controller/maxConcurrentReports': 'anyOf' failed"],
  ['controller.maxHeapMi=64', "at '/controller/maxHeapMi': 'anyOf' failed"],
  ['logLevel=verbose', "at '/logLevel': value must be one of 'debug', 'info', 'warn', 'error'"],
  ['controller.auth=none', "at '/controller/allowUnauthenticatedReports'"],
  ['nameOverride=Bad_Name', "at '/nameOverride': 'Bad_Name' does not match pattern"],
  ['image.registry=ghcr.io/org', "at '/image/registry': 'ghcr.io/org' does not match pattern"],
  ['controller.serviceAccount.creat=true', "at '/controller/serviceAccount': additional properties 'creat' not allowed"],
  ['sniffer.extraArgs={devices=eth0}', "at '/sniffer/extraArgs/0': 'devices=eth0' does not match pattern"],
  ['kafkaWatcher.mode=tail', "at '/kafkaWatcher/mode': value must be one of 'kubernetes', 'file'"],
  ['kafkaWatcher.brokers={kafka-0}', "at '/kafkaWatcher/brokers/0': 'kafka-0' does not match pattern"],
  ['istioWatcher.port=8080', "at '/istioWatcher/port': value must be one of 15020, 15090"],
  ['networkPolicy.nodeCidrs={10.0.0.0}', "at '/networkPolicy/nodeCidrs/0': '10.0.0.0' does not match pattern"],
  ['metrics.edges.max=0', "at '/metrics/edges/max': minimum: got 0, want 1"],
  ['ingress.pathType=Regex', "at '/ingress/pathType': value must be one of 'Prefix', 'Exact', 'ImplementationSpecific'"],
  ['sniffer.metricsBindAddress=node', "at '/sniffer/metricsBindAddress': 'node' does not match pattern"],
  ['controller.readAuth=open', "at '/controller/readAuth': value must be one of '', 'rbac', 'loopback-only', 'none'"],
];

for (const [set, message] of REFUSED) {
  test(`refuses ${set}`, () => {
    const r = template({ set: [set] });
    assert.is.not(r.status, 0, `${set} was accepted`);
    assert.match(r.stderr, HEADER);
    assert.match(r.stderr, message);
  });
}

test('accepts the values that sit next to the refused ones', () => {
  for (const set of ['sniffer.healthPort=1024', 'controller.auth=none,controller.allowUnauthenticatedReports=true', 'sniffer.metricsBindAddress=$(HOST_IP)', 'sniffer.metricsBindAddress=10.0.0.7', 'kafkaWatcher.brokers={kafka-0.kafka}', 'sniffer.reportInterval=1m30s', 'sniffer.reportInterval=1.5s', 'controller.store.intentExpiry=7d', 'controller.bodyLimit=512Ki', 'sniffer.captureBuffer=64MiB', 'controller.excludeNamespaces={kube-system}',
    'controller.resources.requests.cpu=0.5', 'sniffer.tokenExpirationSeconds=600', 'logLevel=debug', 'controller.store.intentExpiry=0']) {
    const r = template({ set: [set] });
    assert.is(r.status, 0, `${set}: ${r.stderr}`);
  }
});

test('helm install refuses a bad value before touching the cluster (offline dry run)', () => {
  const r = helm(['install', RELEASE, CHART_DIR, '-n', NAMESPACE, '--create-namespace', '--dry-run=client', '--set', 'sniffer.healthPort=abc']);
  assert.is.not(r.status, 0);
  assert.match(r.stderr, "at '/sniffer/healthPort': got string, want integer");
});

test('helm install (offline dry run) succeeds with defaults and prints NOTES with list, export and visualize', () => {
  const r = helm(['install', RELEASE, CHART_DIR, '-n', NAMESPACE, '--create-namespace', '--dry-run=client']);
  assert.is(r.status, 0, r.stderr);
  const notes = r.stdout.slice(r.stdout.indexOf('NOTES:'));
  assert.ok(notes.length > 6, 'NOTES printed');
  assert.match(notes, 'kubectl -n netmapper-system port-forward service/network-mapper-controller 8080:8080');
  assert.match(notes, 'netmapper list');
  assert.match(notes, 'netmapper export');
  assert.match(notes, 'netmapper visualize');
  assert.match(notes, '/api/v1/clientintents?format=yaml');
  assert.match(notes, 'controller.store.persistence.enabled=true');
  assert.match(notes, 'set networkPolicy.nodeCidrs to your nodes');
  assert.match(notes, 'helm test network-mapper -n netmapper-system');
  assert.match(notes, 'kubectl create clusterrolebinding netmapper-viewer-$USER --clusterrole=network-mapper-viewer --user=<user>');
});

test('NOTES tell the CLI where the controller is when namespace or port differ from its defaults', () => {
  const r = helm(['install', 'nm', CHART_DIR, '-n', 'tools', '--dry-run=client', '--set', 'controller.port=18080']);
  assert.is(r.status, 0, r.stderr);
  const notes = r.stdout.slice(r.stdout.indexOf('NOTES:'));
  assert.match(notes, 'npx netmapper list --mapper-namespace tools --mapper-port 18080');
  assert.match(notes, 'kubectl -n tools port-forward service/nm-network-mapper-controller 18080:18080');
});

test.run();
