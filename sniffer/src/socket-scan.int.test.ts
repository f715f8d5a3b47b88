// Live: real long-lived TCP connections between network namespaces, found by scanning the real
// /proc. Needs root. Only sockets inside our own test subnet are asserted on: the machine's other
// processes are scanned too, and are none of this test's business.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createSocketScanner } from './socket-scan.ts';
import type { Observation } from './observation.ts';
import { createTopology, SUBNET4, SUBNET6, waitFor, type Topology } from '../../fixtures/test-support/netns.ts';
import { suiteNeeds } from '../../fixtures/test-support/needs.ts';
suiteNeeds('sniffer socket scan', ['netns']);

const ours = (o: Observation) => o.srcIp.startsWith(`${SUBNET4}.`) || o.srcIp.startsWith(`${SUBNET6}:`);
const key = (o: Observation) => `${o.srcHostname} ${o.srcIp} -> ${o.destinationIp}:${o.destinationPort}`;

test('long-lived client connections are found with hostname and server port; the LISTEN side is not', async () => {
  let topo: Topology | undefined;
  try {
    topo = await createTopology([{ name: 'cli', host: 3 }, { name: 'srv', host: 4 }]);
    const { cli, srv } = topo.pods as Record<'cli' | 'srv', { ns: string; ip4: string; ip6: string }>;
    const env = (h: string) => ({ ...process.env, HOSTNAME: h });
    topo.spawn(srv!.ns, 'nc', ['-lk', '7000'], { env: env('nmsn-srv') });
    topo.spawn(srv!.ns, 'nc', ['-6', '-lk', '7001'], { env: env('nmsn-srv') });
    await waitFor('listeners', async () => (await topo!.run(srv!.ns, 'ss', ['-Htln'])).includes(':7001'));
    topo.spawn(cli!.ns, 'sh', ['-c', `sleep 60 | nc ${srv!.ip4} 7000`], { env: env('nmsn-cli') });
    topo.spawn(cli!.ns, 'sh', ['-c', `sleep 60 | nc ${srv!.ip6} 7001`], { env: env('nmsn-cli') });

    const scanner = createSocketScanner({ hostProc: '/proc' });
    const expected = [
      `nmsn-cli ${cli!.ip4} -> ${srv!.ip4}:7000`,
      `nmsn-cli ${cli!.ip6} -> ${srv!.ip6}:7001`,
    ].sort();
    const found = await waitFor('both client sockets in the scan', async () => {
      const r = await scanner.scan(Date.now() / 1000);
      const keys = r.observations.filter(ours).map(key).sort();
      return keys.length >= 2 ? keys : undefined;
    }, 10_000, 100);
    // Exactly the two client sockets: the server's accepted sockets (local port 7000/7001 = LISTEN) are absent.
    assert.equal(found, expected);
    const r = await scanner.scan(1234.5);
    const obs = r.observations.filter(ours);
    assert.ok(obs.every((o) => o.source === 'socket' && o.destination === o.destinationIp && o.ts === 1234.5));
    assert.not.ok(obs.some((o) => o.srcIp === srv!.ip4 || o.srcIp === srv!.ip6), 'server side reported');
  } finally {
    await topo?.cleanup();
  }
});

test.run();
