// The npm package as a user gets it: `npm pack` of a fresh build, `npm install -g TARBALL` into a
// temporary prefix (install scripts off, as on a machine with no compiler or libpcap: the optional
// `cap` stays unbuilt), then the installed `netmapper` run from another directory: --help, replay of
// the bundled fixture, decode, serve with list --mapper-url against it; the sniffer names `cap`.
// Needs the npm registry (or a warm npm cache) for the package's dependencies.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suiteNeeds } from '../../fixtures/test-support/needs.ts';
import { freePort } from '../../fixtures/test-support/ports.ts';
suiteNeeds('npm package install', ['tool:npm']);

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'nm-pack-'));
const stage = join(tmp, 'stage');
const prefix = join(tmp, 'prefix');
const elsewhere = mkdtempSync(join(tmpdir(), 'nm-cwd-'));
const NETMAPPER = join(prefix, 'bin', 'netmapper');
const INSTALLED = join(prefix, 'lib', 'node_modules', 'network-mapper');
const npmEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };

function sh(cmd: string, args: string[], opts: { cwd?: string; timeout?: number } = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd: opts.cwd ?? elsewhere, encoding: 'utf8', timeout: opts.timeout ?? 60_000, env: { ...npmEnv, KUBERNETES_SERVICE_HOST: '', NETMAPPER_MAPPER_URL: '' } });
}
const ok = (r: SpawnSyncReturns<string>, what: string) => assert.is(r.status, 0, `${what}: ${r.error?.message ?? ''}${r.stderr}`);

test.before(() => {
  ok(sh(process.execPath, [join(ROOT, 'controller/scripts/build.mjs'), '--outdir', join(stage, 'dist')], { cwd: ROOT, timeout: 180_000 }), 'build');
  for (const f of ['package.json', 'README.md']) copyFileSync(join(ROOT, f), join(stage, f));
  ok(sh('npm', ['pack', '--ignore-scripts', '--pack-destination', tmp], { cwd: stage }), 'npm pack');
  const tarball = readdirSync(tmp).find((f) => /^network-mapper-.*\.tgz$/.test(f));
  assert.ok(tarball, 'npm pack wrote network-mapper-*.tgz');
  ok(sh('npm', ['install', '-g', join(tmp, tarball!), '--prefix', prefix, '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], { timeout: 600_000 }), 'npm install -g');
});
test.after(() => { rmSync(tmp, { recursive: true, force: true }); rmSync(elsewhere, { recursive: true, force: true }); });

test('the tarball holds dist/ and the default fixture, not sources or tests', () => {
  const r = sh('tar', ['-tzf', join(tmp, readdirSync(tmp).find((f) => f.endsWith('.tgz'))!)]);
  ok(r, 'tar');
  const files = r.stdout.trim().split('\n').map((f) => f.replace(/^package\//, ''));
  for (const f of ['package.json', 'README.md', 'dist/netmapper.js', 'dist/controller.js', 'dist/sniffer.js', 'dist/decoder.wasm',
    'dist/fixtures/online-boutique/cluster.json', 'dist/fixtures/online-boutique/capture.pcap']) assert.ok(files.includes(f), `${f} is packed`);
  assert.equal(files.filter((f) => /\.ts$|test|^controller\/|^sniffer\/|^parser-wasm\/|^chart\//.test(f)), [], 'no sources, tests or chart');
});

test('netmapper --help and replay (the bundled fixture) from another directory', () => {
  const help = sh(NETMAPPER, ['--help']);
  ok(help, '--help');
  assert.match(help.stdout, 'Usage: netmapper <command> [flags]');
  const replay = sh(NETMAPPER, ['replay']);
  ok(replay, 'replay');
  assert.is(replay.stdout, readFileSync(join(ROOT, 'fixtures/online-boutique/expected-list.txt'), 'utf8'));
});

test('decode FILE finds the installed decoder.wasm', () => {
  writeFileSync(join(elsewhere, 'capture.pcap'), readFileSync(join(ROOT, 'fixtures/online-boutique/capture.pcap')));
  const r = sh(NETMAPPER, ['decode', 'capture.pcap']);
  ok(r, 'decode');
  assert.is(r.stdout.trim().split('\n').length, 256);
});

test('serve, then list --mapper-url against it; SIGTERM stops it with exit 0', async () => {
  const port = await freePort();
  const child = spawn(NETMAPPER, ['serve', '--port', String(port), '--metrics-port', '0', '--bind-address', '127.0.0.1', '--auth', 'none',
    '--cluster-snapshot', join(INSTALLED, 'dist/fixtures/online-boutique/cluster.json')], { cwd: elsewhere, env: { ...npmEnv, KUBERNETES_SERVICE_HOST: '' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const url = `http://127.0.0.1:${port}`;
    const end = Date.now() + 60_000;
    while ((await fetch(`${url}/readyz`).catch(() => undefined))?.status !== 200) {
      if (child.exitCode !== null || Date.now() > end) assert.unreachable(`serve did not become ready: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const list = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const c = spawn(NETMAPPER, ['list', '--mapper-url', url], { cwd: elsewhere, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '', err = '';
      c.stdout.on('data', (d) => { out += d; });
      c.stderr.on('data', (d) => { err += d; });
      c.on('exit', (code) => resolve({ code, out, err }));
    });
    assert.is(list.code, 0, list.err);
    assert.is(list.err, 'No connections found.\n', 'a fresh controller has an empty map');
  } finally {
    child.kill('SIGTERM');
  }
  assert.is(await exited, 0, stderr);
});

test('the sniffer without the optional cap package fails at start naming it', async () => {
  const r = sh(process.execPath, [join(INSTALLED, 'dist/sniffer.js'), '--devices', 'lo', '--enable-socket-scan=false', '--controller-url', 'http://127.0.0.1:9', '--health-port', String(await freePort())], { timeout: 30_000 });
  assert.is(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout + r.stderr, "optional package 'cap'");
});

test.run();
