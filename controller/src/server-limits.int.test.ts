// The node server's limits: a connection that never finishes its headers is closed after
// --header-timeout (not held for a minute and more), and connections past --max-connections are refused
// at accept, while the ones inside the cap keep being served.
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { suiteNeeds } from '../../fixtures/test-support/needs.ts';
import { parseConfig } from './config.ts';
import { startController } from './main.ts';
suiteNeeds('controller server limits', []);

const CLUSTER = fileURLToPath(new URL('./resolve/testdata/shop.cluster.yaml', import.meta.url));
const open = (port: number): Promise<Socket> => new Promise((resolve, reject) => {
  const s = connect(port, '127.0.0.1', () => resolve(s));
  s.once('error', reject);
});
const closed = (s: Socket): Promise<number> => {
  const t0 = performance.now();
  return new Promise((resolve) => { s.once('close', () => resolve(performance.now() - t0)); s.on('error', () => {}); s.resume(); });
};

test('a slow-header connection is closed after --header-timeout; --max-connections caps open connections', async () => {
  const cfg = { ...parseConfig(['--cluster-snapshot', CLUSTER, '--auth', 'none', '--bind-address', '127.0.0.1', '--log-level', 'error', '--header-timeout', '1s', '--max-connections', '4'], {}, false), port: 0, metricsPort: 0 };
  const ctl = await startController(cfg);
  try {
    const slow = await open(ctl.port);
    slow.write('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ');   // and never the end of the headers
    const heldMs = await closed(slow);
    assert.ok(heldMs < 4000, `slow-header connection held ${Math.round(heldMs)} ms with --header-timeout 1s`);

    const idle = await Promise.all([1, 2, 3, 4].map(() => open(ctl.port)));
    const extra = await open(ctl.port).catch(() => undefined);
    if (extra) assert.ok(await closed(extra) < 2000, 'the fifth connection is closed at once');
    for (const s of idle) s.destroy();
    await new Promise((r) => setTimeout(r, 100));
    const res = await fetch(`http://127.0.0.1:${ctl.port}/healthz`);
    assert.is(res.status, 200, 'served again once under the cap');
  } finally {
    await ctl.close();
  }
});

test.run();
