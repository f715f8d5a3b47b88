// Live: real long-lived TCP connections between network namespaces, found by scanning the real
// /proc. Only sockets inside our own test subnet are asserted on: the machine's other processes are
// scanned too, and are none of this test's business. The "pods" run as an unprivileged user, as
// containers do; the scan is measured as root and as an unprivileged user with no capability at all,
// beside what it no longer reads (ns/net, environ, root/) to show why those needed CAP_SYS_PTRACE.
// The same file is the unprivileged scanner (NM_SCAN_ROLE=scan, run under setpriv).
import { readdir, readFile, readlink } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createSocketScanner } from './socket-scan.ts';
import type { Observation } from './observation.ts';
import { SUBNET4, SUBNET6 } from '../../fixtures/test-support/netns.ts';

const ours = (o: Observation) => o.srcIp.startsWith(`${SUBNET4}.`) || o.srcIp.startsWith(`${SUBNET6}:`);
const key = (o: Observation) => `${o.srcIp} -> ${o.destinationIp}:${o.destinationPort}`;

/** What this process can read of other processes' /proc: each kind of file, how many pids allowed it. */
async function access(pids: string[]) {
  const count = async (f: (pid: string) => Promise<unknown>) => { let n = 0; for (const p of pids) try { await f(p); n++; } catch { /* refused */ } return n; };
  return {
    netTcp: await count((p) => readFile(`/proc/${p}/net/tcp`)),
    nsNet: await count((p) => readlink(`/proc/${p}/ns/net`)),
    environ: await count((p) => readFile(`/proc/${p}/environ`)),
    rootHostname: await count((p) => readFile(`/proc/${p}/root/etc/hostname`)),
  };
}

if (process.env.NM_SCAN_ROLE === 'scan') {
  const r = await createSocketScanner({ hostProc: '/proc' }).scan(0);
  const pids = JSON.parse(process.env.NM_PIDS!) as string[];
  process.stdout.write(`${JSON.stringify({ uid: process.getuid!(), found: r.observations.filter(ours).map(key).sort(), access: await access(pids) })}\n`);
} else {
  const { test } = await import('uvu');
  const assert: typeof import('uvu/assert') = await import('uvu/assert');
  const { createTopology, waitFor } = await import('../../fixtures/test-support/netns.ts');
  const { suiteNeeds } = await import('../../fixtures/test-support/needs.ts');
  suiteNeeds('sniffer socket scan', ['netns', 'tool:setpriv', 'tool:nc']);
  const SELF = fileURLToPath(import.meta.url);
  /** A container's user: not root, no capabilities. */
  const asPodUser = (cmd: string, args: string[]) => ['setpriv', ['--reuid=1000', '--regid=1000', '--clear-groups', '--inh-caps=-all', '--bounding-set=-all', cmd, ...args]] as const;

  test('long-lived client connections are found as root and as an unprivileged user with no capability; the LISTEN side is not', async () => {
    const topo = await createTopology([{ name: 'cli', host: 3 }, { name: 'srv', host: 4 }]);
    try {
      const { cli, srv } = topo.pods as Record<'cli' | 'srv', { ns: string; ip4: string; ip6: string }>;
      const spawnAs = (ns: string, cmd: string, args: string[]) => { const [c, a] = asPodUser(cmd, args); return topo.spawn(ns, c, [...a]); };
      spawnAs(srv!.ns, 'nc', ['-lk', '7000']);
      spawnAs(srv!.ns, 'nc', ['-6', '-lk', '7001']);
      await waitFor('listeners', async () => (await topo.run(srv!.ns, 'ss', ['-Htln'])).includes(':7001'));
      const clients = [spawnAs(cli!.ns, 'sh', ['-c', `sleep 60 | nc ${srv!.ip4} 7000`]), spawnAs(cli!.ns, 'sh', ['-c', `sleep 60 | nc ${srv!.ip6} 7001`])];
      const expected = [`${cli!.ip4} -> ${srv!.ip4}:7000`, `${cli!.ip6} -> ${srv!.ip6}:7001`].sort();

      const scanner = createSocketScanner({ hostProc: '/proc' });
      const found = await waitFor('both client sockets in the scan', async () => {
        const keys = (await scanner.scan(Date.now() / 1000)).observations.filter(ours).map(key).sort();
        return keys.length >= 2 ? keys : undefined;
      }, 10_000, 100);
      // Exactly the two client sockets: the server's accepted sockets (local port 7000/7001 = LISTEN) are absent.
      assert.equal(found, expected);
      const r = await scanner.scan(1234.5);
      const obs = r.observations.filter(ours);
      assert.ok(obs.every((o) => o.source === 'socket' && o.destination === o.destinationIp && o.ts === 1234.5 && o.srcHostname === undefined));

      // The pods' own processes (the shells' children): what an unprivileged scanner may read of them.
      const podPids: string[] = [];
      for (const p of (await readdir('/proc')).filter((d) => /^\d+$/.test(d))) {
        try { if ((await readlink(`/proc/${p}/ns/net`)) !== (await readlink('/proc/self/ns/net')) && (await readFile(`/proc/${p}/status`, 'utf8')).includes('Uid:\t1000')) podPids.push(p); } catch { /* gone */ }
      }
      assert.ok(podPids.length >= 4, `pod processes: ${podPids}`);
      const unprivileged = async (caps: string) => {
        const out = await topo.run(topo.node, 'setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', `--inh-caps=${caps}`, `--ambient-caps=${caps}`, `--bounding-set=${caps === '-all' ? '-all' : `-all,${caps}`}`,
          'env', 'NM_SCAN_ROLE=scan', `NM_PIDS=${JSON.stringify(podPids)}`, `HOME=/tmp`, process.execPath, '--import', 'tsx', SELF], 60_000);
        return JSON.parse(out) as { uid: number; found: string[]; access: Awaited<ReturnType<typeof access>> };
      };
      // No capability at all: every socket found; ns/net, environ and root/ refused for other users' processes.
      const none = await unprivileged('-all');
      assert.is(none.uid, 65534);
      assert.equal(none.found, expected, 'the scan needs no capability');
      assert.equal(none.access, { netTcp: podPids.length, nsNet: 0, environ: 0, rootHostname: 0 });
      // What the old scan needed SYS_PTRACE for: with it, ns/net and root/ open up (environ stays the owner's).
      const ptrace = await unprivileged('+sys_ptrace');
      assert.equal(ptrace.access.nsNet, podPids.length, 'readlink ns/net needs CAP_SYS_PTRACE');
      assert.equal(ptrace.access.rootHostname, podPids.length, 'root/etc/hostname needs CAP_SYS_PTRACE');
      for (const c of clients) c.kill();
    } finally {
      await topo.cleanup();
    }
  });

  test.run();
}
