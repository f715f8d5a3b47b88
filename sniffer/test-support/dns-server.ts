// dnsmasq as a child process in a pod namespace, serving a small zone with realistic TTLs, a CNAME
// chain (outer → alias → web) and A + AAAA records. Unknown names are REFUSED (no upstream).

import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor, type Pod, type Topology } from './netns.ts';

export interface Zone {
  /** name → [ipv4, ipv6 | undefined, ttl] */
  hosts: Record<string, [string, string | undefined, number]>;
  /** alias → target */
  cnames: Record<string, string>;
}

export async function startDnsmasq(topo: Topology, pod: Pod, zone: Zone): Promise<{ stop(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'nmsn-dns-'));
  const lines = [
    'no-resolv', 'no-hosts', 'bind-interfaces', 'user=root', 'group=root',
    `listen-address=${pod.ip4}`, `listen-address=${pod.ip6}`, 'local-ttl=60',
    `pid-file=${join(dir, 'pid')}`, 'cache-size=0',
    ...Object.entries(zone.hosts).map(([n, [a, aaaa, ttl]]) => `host-record=${[n, a, aaaa, ttl].filter((x) => x !== undefined).join(',')}`),
    ...Object.entries(zone.cnames).map(([alias, target]) => `cname=${alias},${target},600`),
  ];
  await writeFile(join(dir, 'dnsmasq.conf'), lines.join('\n') + '\n');
  const child = topo.spawn(pod.ns, 'dnsmasq', ['--keep-in-foreground', `--conf-file=${join(dir, 'dnsmasq.conf')}`, '--log-facility=-']);
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += d; });
  await waitFor('dnsmasq listening', async () => {
    if (child.exitCode !== null) throw new Error(`dnsmasq exited ${child.exitCode}: ${stderr}`);
    const ss = await topo.run(pod.ns, 'ss', ['-Hlnu']);
    return ss.includes(`${pod.ip4}:53`) && ss.includes(`[${pod.ip6}]:53`);
  }, 5000);
  return {
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => { const t = setTimeout(r, 2000); child.once('exit', () => { clearTimeout(t); r(undefined); }); });
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
