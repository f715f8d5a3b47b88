// The real `netmapper` binary (controller/bin/netmapper.js → cli/main.ts) as a child process,
// against the loopback controller double: exit codes and streams as a shell sees them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startControllerDouble } from './testing/controller-double.ts';
import type { ControllerDouble } from './testing/controller-double.ts';
import { loadIntents, readText } from '../../../fixtures/test-support/export-testdata.ts';

const BIN = fileURLToPath(new URL('../../bin/netmapper.js', import.meta.url));
let ctl: ControllerDouble;

function netmapper(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 60_000, env: { ...process.env, NETMAPPER_MAPPER_URL: '' } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

test.before(async () => { ctl = await startControllerDouble(loadIntents('internet.intents.json')); });
test.after(async () => { await ctl?.close(); });

test('netmapper list prints the map, exit 0', async () => {
  const r = await netmapper(['list', '--mapper-url', ctl.url]);
  assert.is(r.stderr, '');
  assert.is(r.code, 0);
  assert.is(r.stdout, readText('internet.list.txt'));
});

test('netmapper export --exclude-internet --format json, exit 0', async () => {
  const r = await netmapper(['export', '--mapper-url', ctl.url, '--exclude-internet', '--format', 'json']);
  assert.is(r.code, 0, r.stderr);
  assert.not.match(r.stdout, 'internet');
  assert.equal(JSON.parse(r.stdout).map((d: any) => d.metadata.name), ['api', 'client']);
});

test('usage error exits 2, unreachable controller exits 1, --help exits 0', async () => {
  const usage = await netmapper(['list', '--mapper-url', ctl.url, '--format', 'yaml']);
  assert.is(usage.code, 2);
  assert.match(usage.stderr, "`yaml` output format is not supported in 'list' command. Try using 'export' instead");
  const down = await netmapper(['reset', '--mapper-url', 'http://127.0.0.1:9/']);
  assert.is(down.code, 1);
  assert.match(down.stderr, 'could not reach the controller');
  const help = await netmapper(['visualize', '--help']);
  assert.is(help.code, 0);
  assert.match(help.stdout, 'Usage: netmapper visualize -o FILE [flags]');
});

test.run();
