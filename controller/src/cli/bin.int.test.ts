// The built `netmapper` (dist/netmapper.js from `npm run build`'s script, built here into a temporary
// directory from the current sources) as child processes: `serve` runs the real controller, and the
// other verbs talk to it over loopback; exit codes and streams as a shell sees them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync, execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadIntents, readText } from '../../../fixtures/test-support/export-testdata.ts';
import { suiteNeeds } from '../../../fixtures/test-support/needs.ts';
import { freePort } from '../../../fixtures/test-support/ports.ts';
suiteNeeds('built netmapper', []);

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'nm-bin-'));
// Inside the repository, so the built files find node_modules as an installed package finds its own.
const DIST = mkdtempSync(join(ROOT, '.test-dist-'));
const BIN = join(DIST, 'netmapper.js');
/** Generous: two cores shared with other work can make a cold start slow. */
const READY_MS = 60_000;

interface Run { code: number; stdout: string; stderr: string }
function netmapper(args: string[], cwd = tmp): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, timeout: 60_000, env: { ...process.env, NETMAPPER_MAPPER_URL: '', KUBERNETES_SERVICE_HOST: '' } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

async function waitReady(base: string, exited: () => boolean, stderr: () => string): Promise<void> {
  const end = Date.now() + READY_MS;
  for (;;) {
    const res = await fetch(`${base}/readyz`).catch(() => undefined);
    if (res?.status === 200) return;
    if (exited()) throw new Error(`netmapper serve exited before it was ready: ${stderr()}`);
    if (Date.now() > end) throw new Error(`netmapper serve not ready after ${READY_MS} ms: ${stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test.before(() => {
  const r = spawnSync(process.execPath, [join(ROOT, 'controller/scripts/build.mjs'), '--outdir', DIST], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  assert.is(r.status, 0, r.stderr);
});
test.after(() => { rmSync(tmp, { recursive: true, force: true }); rmSync(DIST, { recursive: true, force: true }); });

test('serve runs the controller with its flags; list and export against it; SIGTERM saves the store and exits 0', async () => {
  const storeFile = join(tmp, 'store.json');
  writeFileSync(storeFile, JSON.stringify({ version: 1, savedAt: new Date().toISOString(), intents: loadIntents('internet.intents.json') }));
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--metrics-port', '0', '--bind-address', '127.0.0.1',
    '--cluster-snapshot', join(ROOT, 'controller/src/resolve/testdata/shop.cluster.yaml'), '--store-file', storeFile, '--auth', 'none', '--log-level', 'warn'],
  { cwd: tmp, env: { ...process.env, KUBERNETES_SERVICE_HOST: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let exitCode: number | null | undefined;
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => { exitCode = code; resolve(code); }));
  try {
    const url = `http://127.0.0.1:${port}`;
    await waitReady(url, () => exitCode !== undefined, () => stderr);
    const list = await netmapper(['list', '--mapper-url', url]);
    assert.is(list.stderr, '');
    assert.is(list.code, 0);
    assert.is(list.stdout, readText('internet.list.txt'));
    const exp = await netmapper(['export', '--mapper-url', url, '--exclude-internet', '--format', 'json']);
    assert.is(exp.code, 0, exp.stderr);
    assert.equal(JSON.parse(exp.stdout).map((d: { metadata: { name: string } }) => d.metadata.name), ['api', 'client']);
    // The Otterize CLI's verb group, and its GraphQL API on the same controller.
    const grouped = await netmapper(['network-mapper', 'list', '--mapper-url', url]);
    assert.is(grouped.code, 0, grouped.stderr);
    assert.is(grouped.stdout, list.stdout);
    const aliased = await netmapper(['mapper', 'export', '--mapper-url', url, '--exclude-internet', '--format', 'json']);
    assert.is(aliased.stdout, exp.stdout);
    const gql = await fetch(`${url}/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ intents { client { name } server { name } } }' }) });
    const answered = (await gql.json() as { data: { intents: Array<{ client: { name: string }; server: { name: string } }> } }).data.intents;
    assert.equal(answered.map((i) => `${i.client.name}>${i.server.name}`), ['api>db', 'client>server'], 'the in-cluster intents, Internet left out');
    assert.is((await netmapper(['reset', '--mapper-url', url])).code, 0);
    assert.is((await netmapper(['list', '--mapper-url', url])).stderr, 'No connections found.\n');
  } finally {
    child.kill('SIGTERM');
    assert.is(await exited, 0, stderr);
  }
  assert.equal(JSON.parse(readFileSync(storeFile, 'utf8')).intents, [], 'the reset map was saved on SIGTERM');
});

test('serve: a bad setting exits 2 naming it; --help lists the controller flags', async () => {
  const bad = await netmapper(['serve', '--port', 'eighty']);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, '--port');
  const help = await netmapper(['serve', '--help']);
  assert.is(help.code, 0);
  for (const flag of ['--port', '--metrics-port', '--bind-address', '--cluster-snapshot', '--store-file', '--auth', '--token-file']) assert.match(help.stdout, flag);
});

test('replay with no arguments replays the fixture bundled in dist/, from any directory', async () => {
  const r = await netmapper(['replay'], tmpdir());
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, readFileSync(join(ROOT, 'fixtures/online-boutique/expected-list.txt'), 'utf8'));
});

test('decode finds decoder.wasm beside the built files', async () => {
  const r = await netmapper(['decode', join(ROOT, 'fixtures/online-boutique/capture.pcap')]);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout.trim().split('\n').length, 256);
  assert.match(r.stderr, 'decode: 1 file(s), 798 frames read, 256 records');
});

test('usage error exits 2, unreachable controller exits 1, --help exits 0', async () => {
  const usage = await netmapper(['list', '--mapper-url', 'http://127.0.0.1:9/', '--format', 'yaml']);
  assert.is(usage.code, 2);
  assert.match(usage.stderr, "`yaml` output format is not supported in 'list' command. Try using 'export' instead");
  const down = await netmapper(['reset', '--mapper-url', 'http://127.0.0.1:9/']);
  assert.is(down.code, 1);
  assert.match(down.stderr, 'could not reach the controller');
  const group = await netmapper(['mapper']);
  assert.is(group.code, 2);
  assert.match(group.stdout, 'netmapper mapper list|export|visualize|reset');
  assert.match((await netmapper(['mapper', 'replay'])).stderr, "unknown command 'mapper'");
  const help = await netmapper(['--help']);
  assert.is(help.code, 0);
  for (const verb of ['decode', 'list', 'export', 'visualize', 'reset', 'replay', 'serve']) assert.match(help.stdout, `  ${verb} `);
  const vis = await netmapper(['visualize', '--help']);
  assert.is(vis.code, 0);
  assert.match(vis.stdout, 'Usage: netmapper visualize -o FILE [flags]');
});

test('the controller and sniffer entries start from dist/ (--help exits 0)', () => {
  for (const [entry, text] of [['controller.js', '--cluster-snapshot'], ['sniffer.js', '--controller-url']] as const) {
    const r = spawnSync(process.execPath, [join(DIST, entry), '--help'], { encoding: 'utf8', timeout: 60_000, cwd: tmpdir() });
    assert.is(r.status, 0, `${entry}: ${r.stderr}`);
    assert.match(r.stdout, text);
  }
});

test.run();
