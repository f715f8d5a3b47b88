// The controller away, end to end: the real sniffer captures SYNs in a node namespace while nothing
// listens on its controller URL; the backlog stays within --backlog-max, the dropped records are
// counted in /metrics, and delivery resumes (newest records kept) once a controller appears.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import type { ConnectionRecord, Report } from '../../controller/contract/schema.ts';
import { createTopology, waitFor, type Pod, type Topology } from '../../fixtures/test-support/netns.ts';
import { suiteNeeds } from '../../fixtures/test-support/needs.ts';
suiteNeeds('sniffer backlog', ['netns']);

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PORT = 18081;

function stdoutLines(child: ChildProcess): string[] {
  const got: string[] = [];
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split('\n');
    buf = parts.pop()!;
    got.push(...parts);
  });
  return got;
}

test('controller down: backlog bounded, drops counted, delivery resumes with the newest records', async () => {
  let topo: Topology | undefined;
  try {
    topo = await createTopology([{ name: 'cli', host: 3 }, { name: 'srv', host: 4 }]);
    const { cli, srv } = topo.pods as Record<'cli' | 'srv', Pod>;
    const sniffer = topo.spawn(topo.node, process.execPath, ['--import', 'tsx', join(ROOT, 'sniffer/src/main.ts'),
      '--controller-url', `http://127.0.0.1:${PORT}`, '--report-interval', '200ms', '--backlog-max', '3',
      '--enable-socket-scan=false', '--enable-dns=false', '--node-name', 'nmsn-node-b'], { cwd: ROOT });
    let err = '';
    sniffer.stderr!.on('data', (d) => { err += d; });
    await waitFor('sniffer running', () => {
      if (sniffer.exitCode !== null) throw new Error(`sniffer exited ${sniffer.exitCode}: ${err}`);
      return err.includes('sniffer running');
    }, 20_000);
    const metric = async (name: string) => {
      const text = await topo!.run(topo!.node, 'curl', ['-sS', '--max-time', '3', 'http://127.0.0.1:57921/metrics']);
      return Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? NaN);
    };

    // Ten distinct SYN records (closed ports: the SYN is still seen) while no controller listens.
    for (let port = 9001; port <= 9010; port++) await topo.run(cli.ns, 'nc', ['-z', '-w', '1', srv.ip4, String(port)]).catch(() => undefined);
    const held = await waitFor('ten records queued or dropped', async () => {
      const [b, d] = [await metric('netmapper_sniffer_backlog_records'), await metric('netmapper_sniffer_backlog_dropped_records_total')];
      return b + d >= 10 ? { b, d } : undefined;
    }, 10_000, 200);
    assert.equal(held, { b: 3, d: 7 }, 'backlog at --backlog-max, the rest dropped and counted');
    assert.ok((await metric('netmapper_sniffer_reports_failed_total')) >= 1);

    // The controller comes back.
    const open = topo.spawn(topo.node, process.execPath, ['-e', `
      require('http').createServer((q, s) => { let b = ''; q.on('data', (d) => b += d); q.on('end', () => { process.stdout.write(b + '\\n'); s.end('{"accepted":1}'); }); }).listen(${PORT}, '127.0.0.1', () => process.stdout.write('listening\\n'));`]);
    const got = stdoutLines(open);
    await waitFor('backlog delivered', () => got.filter((l) => l.startsWith('{')).length > 0, 40_000, 100);
    await waitFor('backlog empty', async () => (await metric('netmapper_sniffer_backlog_records')) === 0, 10_000, 200);
    const delivered = got.filter((l) => l.startsWith('{')).flatMap((l) => (JSON.parse(l) as Report).records as ConnectionRecord[]);
    assert.equal(delivered.map((r) => r.destinationPort), [9008, 9009, 9010], 'the newest three, oldest first');
    assert.ok(delivered.every((r) => r.source === 'tcp' && r.srcIp === cli.ip4 && r.destinationIp === srv.ip4));

    // And new traffic flows straight through.
    await topo.run(cli.ns, 'nc', ['-z', '-w', '1', srv.ip4, '9099']).catch(() => undefined);
    await waitFor('fresh record delivered', () => got.some((l) => l.includes('"destinationPort":9099')), 10_000, 100);
    assert.is(await metric('netmapper_sniffer_backlog_dropped_records_total'), 7);
    sniffer.kill('SIGTERM');
    await waitFor('sniffer exit', () => sniffer.exitCode !== null, 15_000);
    assert.is(sniffer.exitCode, 0);
  } finally {
    await topo?.cleanup();
  }
});

test.run();
