// What Otterize CLI users type, against the real controller app on loopback: -q, --telemetry-enabled,
// --mapper-service-name/-port through the kubeconfig path, and the byte-level edges of `export` that
// match the Otterize CLI. (The `network-mapper`/`mapper` verb group is tested on the built binary, bin.int.test.ts.)
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run as exportVerb } from './export.ts';
import { run as list } from './list.ts';
import { run as reset } from './reset.ts';
import { captureIo, startTestController, type TestController } from '../../../fixtures/test-support/test-controller.ts';
import { startFakeApiServer, type FakeApiServer } from '../../../fixtures/test-support/fake-portforward.ts';
import { loadIntents, readText } from '../../../fixtures/test-support/export-testdata.ts';

let ctl: TestController;
let api: FakeApiServer;
let dir: string;
const url = () => ['--mapper-url', ctl.url];


test.before(async () => {
  ctl = await startTestController(fixture);
  api = await startFakeApiServer();
  dir = mkdtempSync(join(tmpdir(), 'netmapper-otterize-'));
});
test.after(async () => { await api?.close(); await ctl?.close(); if (dir) rmSync(dir, { recursive: true, force: true }); });
const fixture = loadIntents('internet.intents.json');
test.before.each(() => { ctl.requests.length = 0; api.log.length = 0; ctl.seed(fixture); });

test('-q / --quiet silences the informational stderr lines, not the errors; --telemetry-enabled is accepted', async () => {
  let io = captureIo();
  assert.is(await exportVerb([...url(), '-n', 'nowhere', '-q', '--telemetry-enabled=false'], io), 0);
  assert.is(io.err, '');
  io = captureIo();
  assert.is(await exportVerb([...url(), '-o', join(dir, 'q.yaml'), '--quiet', '--telemetry-enabled'], io), 0);
  assert.is(io.err, '');
  io = captureIo();
  assert.is(await list([...url(), '-q', '--server', 'a.b.c'], io), 2);
  assert.match(io.err, 'invalid server filter "a.b.c". Expected format: <server-name>.<namespace>');
  assert.is(await reset([...url(), '-q', '--telemetry-enabled=true'], captureIo()), 0);
});

test('export edges as the Otterize CLI: empty YAML prints "\\n"; JSON ignores --output-version v1', async () => {
  let io = captureIo();
  assert.is(await exportVerb([...url(), '-n', 'nowhere'], io), 0);
  assert.is(io.text, '\n');
  assert.is(io.err, 'No connections found.\n');
  const plain = captureIo();
  assert.is(await exportVerb([...url(), '--format', 'json'], plain), 0);
  io = captureIo();
  assert.is(await exportVerb([...url(), '--format', 'json', '--output-version', 'v1'], io), 0);
  assert.is(io.text, plain.text, 'v2 JSON, byte for byte');
  assert.match(io.err, 'note: --format json writes k8s.otterize.com/v2beta1');
});

test('export --output-type dir: JSON files hold a one-element array; one stderr line naming the directory', async () => {
  const out = join(dir, 'dir-json');
  const io = captureIo();
  assert.is(await exportVerb([...url(), '--exclude-internet', '-o', out, '--output-type', 'dir', '--format', 'json'], io), 0);
  assert.is(io.err, `Successfully wrote intents into ${out}\n`);
  const files = readdirSync(out).sort();
  assert.equal(files, ['api.shop.json', 'client.shop.json']);
  const all = captureIo();
  await exportVerb([...url(), '--exclude-internet', '--format', 'json'], all);
  const every = JSON.parse(all.text) as unknown[];
  for (const [i, f] of files.entries()) {
    const text = readFileSync(join(out, f), 'utf8');
    assert.equal(JSON.parse(text), [every[i]]);
    assert.ok(text.startsWith('[\n  {\n    "kind": "ClientIntents",'), 'MarshalIndent of a one-element list');
  }
});

test('--mapper-service-name, --mapper-namespace, --mapper-service-port: the Otterize CLI\'s defaults find our Service by name', async () => {
  const NS = 'otterize-system';
  api.services[NS] = [{ metadata: { name: 'otterize-network-mapper', namespace: NS, labels: { app: 'otterize-network-mapper' } }, spec: { selector: { app: 'nm' }, ports: [{ port: 9090 }] } }];
  api.pods[NS] = [{ metadata: { name: 'nm-0', namespace: NS, labels: { app: 'nm' } }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }];
  api.forwards = { [`${NS}/nm-0:9090`]: Number(new URL(ctl.url).port) };
  const io = captureIo();
  assert.is(await list(['--kubeconfig', api.kubeconfig(), '--mapper-service-name', 'otterize-network-mapper', '--mapper-namespace', NS, '--mapper-service-port', '9090'], io), 0, io.err);
  assert.is(io.text, readText('internet.list.txt'));
  assert.equal(api.log.map((l: string) => l.replace(/ Bearer .*$/, '')), [
    `GET /api/v1/namespaces/${NS}/services?fieldSelector=metadata.name=otterize-network-mapper`,
    `GET /api/v1/namespaces/${NS}/pods?labelSelector=app=nm`,
    `WS /api/v1/namespaces/${NS}/pods/nm-0/portforward?ports=9090`,
  ]);
  const missing = captureIo();
  assert.is(await list(['--kubeconfig', api.kubeconfig(), '--mapper-service-name', 'nope', '--mapper-namespace', NS], missing), 1);
  assert.match(missing.err, `no Service "nope" in namespace ${NS}`);
});

test.run();
