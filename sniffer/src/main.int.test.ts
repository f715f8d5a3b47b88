// The entry point as the image runs it: exit codes and messages for bad settings and a bad device.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTopology } from '../../fixtures/test-support/netns.ts';
import { suiteNeeds } from '../../fixtures/test-support/needs.ts';
suiteNeeds('sniffer process', ['netns']);

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = (args: string[], env: Record<string, string> = {}, netns?: string) =>
  spawnSync(netns ? 'ip' : process.execPath, [...(netns ? ['netns', 'exec', netns, process.execPath] : []), '--import', 'tsx', 'sniffer/src/main.ts', ...args],
    { cwd: ROOT, encoding: 'utf8', timeout: 20_000, env: { ...process.env, ...env } });

test('--help prints every setting, exit 0', () => {
  const r = run(['--help']);
  assert.is(r.status, 0);
  for (const f of ['--controller-url', '--devices', '--report-interval', '--host-proc', '--node-name', '--token-file', '--health-port', '--backlog-max', '--capture-buffer', '--enable-dns', '--enable-tcp', '--enable-socket-scan', '--log-level']) assert.ok(r.stdout.includes(f), f);
});

test('a bad value exits 2 naming the setting', () => {
  const r = run([], { NETMAPPER_BACKLOG_MAX: 'lots' });
  assert.is(r.status, 2);
  assert.match(r.stderr, /invalid --backlog-max \(NETMAPPER_BACKLOG_MAX\) "lots"/);
  const t = run(['--token-file', '/nonexistent/nmsn-token']);
  assert.is(t.status, 2);
  assert.match(t.stderr, /invalid --token-file "\/nonexistent\/nmsn-token"/);
});

test('a device that does not exist exits 1 naming the device', async () => {
  const topo = await createTopology([]); // even a failing open happens inside our own namespace
  try {
    const r = run(['--devices', 'nmsn-nodev0', '--enable-socket-scan=false'], {}, topo.node);
    assert.is(r.status, 1);
    assert.match(r.stderr, /cannot capture on device \\?"nmsn-nodev0\\?"/);
  } finally {
    await topo.cleanup();
  }
});

test.run();
