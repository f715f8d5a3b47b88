// The kubeconfig path: Service lookup by labels, a ready pod behind it, and a real client-node
// port-forward, against a local server speaking those API calls (fixtures/test-support/fake-portforward.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run as list } from './list.ts';
import { run as reset } from './reset.ts';
import { captureIo, startTestController } from '../../../fixtures/test-support/test-controller.ts';
import type { TestController } from '../../../fixtures/test-support/test-controller.ts';
import { startFakeApiServer } from '../../../fixtures/test-support/fake-portforward.ts';
import type { FakeApiServer } from '../../../fixtures/test-support/fake-portforward.ts';
import { CONTROLLER_LABELS } from './connect.ts';
import { loadIntents, readText } from '../../../fixtures/test-support/export-testdata.ts';

const NS = 'netmapper-system';
const LABELS = { 'app.kubernetes.io/name': 'network-mapper', 'app.kubernetes.io/component': 'controller' };
const SELECTOR = { 'app.kubernetes.io/name': 'network-mapper', 'app.kubernetes.io/component': 'controller-pod' };
const pod = (name: string, ready: boolean, phase = 'Running') => ({
  metadata: { name, namespace: NS, labels: SELECTOR },
  status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

let ctl: TestController;
let api: FakeApiServer;

test.before(async () => {
  ctl = await startTestController(loadIntents('internet.intents.json'));
  api = await startFakeApiServer();
});
test.after(async () => { await api?.close(); await ctl?.close(); });
test.before.each(() => {
  api.log.length = 0;
  ctl.requests.length = 0;
  api.services[NS] = [
    { metadata: { name: 'network-mapper-controller', namespace: NS, labels: LABELS }, spec: { selector: SELECTOR, ports: [{ port: 8080 }] } },
    { metadata: { name: 'unrelated', namespace: NS, labels: { app: 'other' } }, spec: { selector: { app: 'other' } } },
  ];
  api.pods[NS] = [pod('ctl-a-starting', false), pod('ctl-b-ready', true), pod('ctl-c-failed', true, 'Failed')];
  api.forwards = { [`${NS}/ctl-b-ready:8080`]: Number(new URL(ctl.url).port) };
});

test('list through the kubeconfig: Service by labels, ready pod, port-forward to 8080', async () => {
  const io = captureIo();
  const code = await list(['--kubeconfig', api.kubeconfig()], io);
  assert.is(io.err, '');
  assert.is(code, 0);
  assert.is(io.text, readText('internet.list.txt'));
  assert.equal(api.log, [
    `GET /api/v1/namespaces/${NS}/services?labelSelector=${CONTROLLER_LABELS} Bearer test-token`,
    `GET /api/v1/namespaces/${NS}/pods?labelSelector=app.kubernetes.io/name=network-mapper,app.kubernetes.io/component=controller-pod Bearer test-token`,
    `WS /api/v1/namespaces/${NS}/pods/ctl-b-ready/portforward?ports=8080 Bearer test-token`,
  ]);
  assert.equal(ctl.requests, ['GET /api/v1/intents']);
});

test('KUBECONFIG, --context, --mapper-namespace and --mapper-port are honoured', async () => {
  api.services.elsewhere = (api.services[NS] as any[]).map((s) => ({ ...s, metadata: { ...s.metadata, namespace: 'elsewhere' } }));
  api.pods.elsewhere = [pod('other-ready', true)];
  api.forwards['elsewhere/other-ready:9999'] = Number(new URL(ctl.url).port);
  // A second context whose server refuses connections: picking it must fail, picking ours must work.
  const file = api.kubeconfig({ dead: 'http://127.0.0.1:1' });
  const io = captureIo();
  const code = await reset(['--context', 'fake', '--mapper-namespace', 'elsewhere', '--mapper-port', '9999'], { ...io, env: {} } as any);
  assert.is(code, 1); // no --kubeconfig and no KUBECONFIG in this env: the default file has no such context
  process.env.KUBECONFIG = file;
  try {
    const ok = captureIo();
    assert.is(await reset(['--context', 'fake', '--namespace', 'elsewhere', '--mapper-port', '9999'], ok), 0, ok.err);
    assert.equal(ctl.requests, ['POST /api/v1/reset']);
    const dead = captureIo();
    assert.is(await reset(['--context', 'dead'], dead), 1);
    assert.match(dead.err, /could not list Services in namespace netmapper-system/);
    const unknown = captureIo();
    assert.is(await reset(['--context', 'nope'], unknown), 1);
    assert.match(unknown.err, 'kubeconfig has no context "nope"');
  } finally {
    delete process.env.KUBECONFIG;
  }
});

test('no controller Service: a message naming the namespace and labels', async () => {
  api.services[NS] = [];
  const io = captureIo();
  assert.is(await list(['--kubeconfig', api.kubeconfig()], io), 1);
  assert.match(io.err, `no network-mapper controller Service (labels ${CONTROLLER_LABELS}) in namespace ${NS}`);
});

test('no ready pod: a message naming the Service and the pods seen', async () => {
  api.pods[NS] = [pod('ctl-a-starting', false)];
  const io = captureIo();
  assert.is(await list(['--kubeconfig', api.kubeconfig()], io), 1);
  assert.match(io.err, `no ready pod behind Service ${NS}/network-mapper-controller`);
  assert.match(io.err, '1 pod(s) found');
});

test('a port-forward the API server refuses fails the command, it does not hang', async () => {
  api.forwards = {};
  const io = captureIo();
  assert.is(await list(['--kubeconfig', api.kubeconfig()], io), 1);
  assert.match(io.err, /could not reach the controller/);
});

test.run();
