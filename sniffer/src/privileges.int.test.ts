// The least privilege the sniffer runs with, measured: each capability it keeps is shown needed by a
// run without it, and what it dropped is shown unneeded by a run that still works. Runs the real
// libpcap open (the `cap` package, as capture.ts) and the real socket scan under setpriv, with the
// capability sets Kubernetes gives a container for `capabilities: { drop: [ALL], add: [...] }` as root
// (bounding set = the added ones; no ambient set for non-root users, so those would get none).
// The same file is the probe (NM_PRIV_ROLE=probe).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createSocketScanner } from './socket-scan.ts';
import { SUBNET4 } from '../../fixtures/test-support/netns.ts';

if (process.env.NM_PRIV_ROLE === 'probe') {
  let capture: string;
  try {
    const { Cap } = createRequire(import.meta.url)('cap') as { Cap: new () => { open(d: string, f: string, n: number, b: Buffer): string; close(): void } };
    const c = new Cap();
    c.open('any', 'tcp', 1 << 20, Buffer.alloc(65535));
    c.close();
    capture = 'ok';
  } catch (err) { capture = (err as Error).message; }
  const r = await createSocketScanner({ hostProc: '/proc' }).scan(0);
  const found = r.observations.filter((o) => o.srcIp.startsWith(`${SUBNET4}.`)).map((o) => `${o.srcIp}>${o.destinationIp}:${o.destinationPort}`);
  process.stdout.write(`${JSON.stringify({ uid: process.getuid!(), capture, found })}\n`);
} else {
  const { test } = await import('uvu');
  const assert: typeof import('uvu/assert') = await import('uvu/assert');
  const { createTopology, waitFor } = await import('../../fixtures/test-support/netns.ts');
  const { suiteNeeds } = await import('../../fixtures/test-support/needs.ts');
  suiteNeeds('sniffer privileges', ['netns', 'tool:setpriv', 'tool:nc']);
  const SELF = fileURLToPath(import.meta.url);
  try { createRequire(import.meta.url)('cap'); } catch {
    process.stdout.write(`${process.env.CI === 'true' ? 'FAIL' : 'SKIP'} sniffer privileges: needs the optional package 'cap' (libpcap bindings)\n`);
    process.exit(process.env.CI === 'true' ? 1 : 0);
  }

  test('root with only NET_RAW captures and scans; without NET_RAW no capture; without SYS_PTRACE the scan still works', async () => {
    const topo = await createTopology([{ name: 'cli', host: 3 }, { name: 'srv', host: 4 }]);
    try {
      const { cli, srv } = topo.pods as Record<'cli' | 'srv', { ns: string; ip4: string }>;
      const podUser = ['setpriv', '--reuid=1000', '--regid=1000', '--clear-groups', '--inh-caps=-all', '--bounding-set=-all'];
      topo.spawn(srv!.ns, podUser[0]!, [...podUser.slice(1), 'nc', '-lk', '7000']);
      await waitFor('listener', async () => (await topo.run(srv!.ns, 'ss', ['-Htln'])).includes(':7000'));
      topo.spawn(cli!.ns, podUser[0]!, [...podUser.slice(1), 'sh', '-c', `sleep 60 | nc ${srv!.ip4} 7000`]);
      await waitFor('connection', async () => (await topo.run(cli!.ns, 'ss', ['-Htn', 'state', 'established'])).includes(`${srv!.ip4}:7000`));
      const want = [`${cli!.ip4}>${srv!.ip4}:7000`];

      /** `setpriv` as the container runtime would set it up; the probe runs in the node namespace (hostNetwork). */
      const probe = async (user: string[], caps: string) => JSON.parse(await topo.run(topo.node, 'setpriv', [...user, `--inh-caps=-all${caps}`, `--bounding-set=-all${caps}`,
        'env', 'NM_PRIV_ROLE=probe', 'HOME=/tmp', process.execPath, '--import', 'tsx', SELF], 60_000)) as { uid: number; capture: string; found: string[] };
      const root: string[] = [];
      const nobody = ['--reuid=65534', '--regid=65534', '--clear-groups'];

      const shipped = await probe(root, ',+net_raw');                 // the chart: runAsUser 0, drop ALL, add NET_RAW
      assert.equal(shipped, { uid: 0, capture: 'ok', found: want });
      const noRaw = await probe(root, '');                            // drop ALL: why NET_RAW stays
      assert.match(noRaw.capture, /Operation not permitted/);
      assert.equal(noRaw.found, want, 'the socket scan needs no capability, SYS_PTRACE included');
      const nonRoot = await probe(nobody, ',+net_raw');               // non-root: Kubernetes gives no ambient capabilities
      assert.match(nonRoot.capture, /Operation not permitted/, 'a non-root user cannot use an added capability without file capabilities on node');
      assert.equal(nonRoot.found, want);
    } finally {
      await topo.cleanup();
    }
  });

  test.run();
}
