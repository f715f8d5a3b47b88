// The CLI's credentials for a controller that does not trust the caller's address: `--token`,
// NETMAPPER_TOKEN, else the kubeconfig user's bearer token — sent to --mapper-url; refusals surface
// as the controller's status and message.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createUserAccess } from '../auth/index.ts';
import { loadIntents } from '../../../fixtures/test-support/export-testdata.ts';
import { tableAuthorizer, tableReviewer } from '../../../fixtures/test-support/auth-table.ts';
import { captureIo, startTestController, type TestController } from '../../../fixtures/test-support/test-controller.ts';
import { run as list } from './list.ts';
import { run as reset } from './reset.ts';

let ctl: TestController;
let dir: string;
const savedKubeconfig = process.env.KUBECONFIG;

test.before(async () => {
  // The test runs on loopback: turn loopback trust off so credentials are what decides.
  ctl = await startTestController(loadIntents('internet.intents.json'), [], createUserAccess({ mode: 'rbac', trustLoopback: false, review: tableReviewer, authorize: tableAuthorizer }));
  dir = mkdtempSync(join(tmpdir(), 'netmapper-token-'));
  process.env.KUBECONFIG = join(dir, 'absent');
});
test.after(async () => {
  await ctl?.close();
  rmSync(dir, { recursive: true, force: true });
  if (savedKubeconfig === undefined) delete process.env.KUBECONFIG; else process.env.KUBECONFIG = savedKubeconfig;
});
test.before.each(() => { ctl.requests.length = 0; ctl.authorizations.length = 0; });

test('no credentials: the controller\'s 401 is the error', async () => {
  const io = captureIo();
  assert.is(await list(['--mapper-url', ctl.url], io), 1);
  assert.match(io.err, /answered 401 for \/api\/v1\/intents: missing bearer token/);
  assert.equal(ctl.authorizations, [undefined]);
});

test('--token and NETMAPPER_TOKEN are sent as a bearer token', async () => {
  let io = captureIo();
  assert.is(await list(['--mapper-url', ctl.url, '--token', 'tok-alice-viewer'], io), 0);
  assert.match(io.text, /calls:/);
  io = captureIo({ NETMAPPER_TOKEN: 'tok-alice-viewer' });
  assert.is(await list(['--mapper-url', ctl.url], io), 0);
  assert.equal(ctl.authorizations, ['Bearer tok-alice-viewer', 'Bearer tok-alice-viewer']);
  io = captureIo();
  assert.is(await reset(['--mapper-url', ctl.url, '--token', 'tok-alice-viewer'], io), 1, 'a viewer may not reset');
  assert.match(io.err, /answered 403 for \/api\/v1\/reset: user "alice" may not post \/api\/v1\/reset/);
});

test('the kubeconfig user\'s token goes along with --mapper-url', async () => {
  const kc = join(dir, 'kubeconfig');
  writeFileSync(kc, JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'c',
    clusters: [{ name: 'k', cluster: { server: 'https://127.0.0.1:1' } }],
    users: [{ name: 'bob', user: { token: 'tok-bob-admin' } }],
    contexts: [{ name: 'c', context: { cluster: 'k', user: 'bob' } }],
  }));
  const io = captureIo();
  assert.is(await reset(['--mapper-url', ctl.url, '--kubeconfig', kc], io), 0, io.err);
  assert.equal(ctl.authorizations, ['Bearer tok-bob-admin']);
  assert.is(ctl.store.size(), 0);
});

test.run();
