// End to end, as root: a node namespace with a bridge and four pods, dnsmasq, real dig / nc / curl
// over IPv4 and IPv6 and DNS over TCP; the real sniffer (main.ts) capturing with libpcap on `any`
// inside the node namespace and reporting to a receiver there; tcpdump -w recording the same
// traffic, then replayed through replayReports. Everything is torn down even when a step fails.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import type { ConnectionRecord, Report } from '../../controller/contract/schema.ts';
import { captureFilter } from './capture.ts';
import { replayReports } from './replay.ts';
import { createTopology, SUBNET4, SUBNET6, waitFor, type Pod, type Topology } from '../../fixtures/test-support/netns.ts';
import { startDnsmasq } from '../../fixtures/test-support/dns-server.ts';
import { suiteNeeds } from '../../fixtures/test-support/needs.ts';
suiteNeeds('sniffer live capture', ['netns', 'tool:dnsmasq', 'tool:tcpdump']);

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TOKEN = 'nmsn-test-token-1';
const NODE = 'nmsn-node-1';
const RX_PORT = 18080;

const keyOf = (r: ConnectionRecord) => `${r.source} ${r.srcIp} ${r.destination} ${r.destinationIp} ${r.destinationPort ?? '-'}`;

/** Sums what several intervals reported: key → count, TTL and lastSeen of the newest sighting. */
function merge(reports: Report[], sources: string[]) {
  const out = new Map<string, { count: number; ttl?: number; lastSeen: string }>();
  for (const rep of reports) {
    for (const r of rep.records as ConnectionRecord[]) {
      if (!sources.includes(r.source)) continue;
      const k = keyOf(r);
      const e = out.get(k);
      if (!e) { out.set(k, { count: r.count, ttl: r.ttl, lastSeen: r.lastSeen }); continue; }
      e.count += r.count;
      if (r.lastSeen >= e.lastSeen) { e.lastSeen = r.lastSeen; e.ttl = r.ttl; }
    }
  }
  return out;
}

function lines(child: ChildProcess, stream: 'stdout' | 'stderr'): string[] {
  const got: string[] = [];
  let buf = '';
  child[stream]!.on('data', (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split('\n');
    buf = parts.pop()!;
    got.push(...parts);
  });
  return got;
}

function exited(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`process ${child.pid} did not exit within ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code) => { clearTimeout(t); resolve(code); });
  });
}

test('live capture + socket scan report exactly the traffic; tcpdump of the same traffic replays to the same records', async () => {
  let topo: Topology | undefined;
  let dns: { stop(): Promise<void> } | undefined;
  const dir = await mkdtemp(join(tmpdir(), 'nmsn-live-'));
  try {
    topo = await createTopology([{ name: 'dns', host: 2 }, { name: 'cli', host: 3 }, { name: 'srv', host: 4 }, { name: 'cli2', host: 5 }]);
    const p = topo.pods as Record<'dns' | 'cli' | 'srv' | 'cli2', Pod>;
    const web4 = p.srv.ip4, web6 = p.srv.ip6;
    dns = await startDnsmasq(topo, p.dns, {
      hosts: { 'web.demo.test': [web4, web6, 300], 'db.demo.test': [`${SUBNET4}.9`, undefined, 120] },
      cnames: { 'alias.demo.test': 'web.demo.test', 'outer.demo.test': 'alias.demo.test' },
    });
    const bare = { ...process.env };
    delete bare.HOSTNAME;
    const named = (h: string) => ({ ...bare, HOSTNAME: h });

    // Servers in the srv pod, and a long-lived client connection made BEFORE the sniffer starts:
    // no SYN of it is ever captured, so only the socket scan can report it.
    topo.spawn(p.srv.ns, process.execPath, ['-e', "require('http').createServer((q,s)=>s.end('hi')).listen(8080,'::')"], { env: named('nmsn-srv-pod') });
    topo.spawn(p.srv.ns, 'nc', ['-lk', '7000'], { env: named('nmsn-srv-pod') });
    await waitFor('servers listening', async () => { const s = await topo!.run(p.srv.ns, 'ss', ['-Htln']); return s.includes(':8080') && s.includes(':7000'); });
    topo.spawn(p.cli.ns, 'sh', ['-c', `sleep 120 | nc ${web4} 7000`], { env: named('nmsn-cli-pod') });
    await waitFor('long-lived connection', async () => (await topo!.run(p.cli.ns, 'ss', ['-Htn', 'state', 'established'])).includes(`${web4}:7000`));

    // The receiver, tcpdump and the sniffer, all inside the node namespace.
    const rx = topo.spawn(topo.node, process.execPath, ['--import', 'tsx', join(ROOT, 'fixtures/test-support/receiver.ts'), String(RX_PORT), TOKEN], { cwd: ROOT });
    const rxLines = lines(rx, 'stdout');
    await waitFor('receiver listening', () => rxLines.some((l) => l.includes('listening')), 15_000);
    const pcap = join(dir, 'node.pcap');
    const tcpdump = topo.spawn(topo.node, 'tcpdump', ['-i', 'any', '-s', '2048', '-B', '65536', '--immediate-mode', '-U', '-Z', 'root', '-w', pcap, captureFilter({ dns: true, tcp: true })!]);
    const tdErr = lines(tcpdump, 'stderr');
    await waitFor('tcpdump listening', () => tdErr.some((l) => l.includes('listening on')), 10_000);
    const tokenFile = join(dir, 'token');
    await writeFile(tokenFile, TOKEN + '\n');
    const sniffer = topo.spawn(topo.node, process.execPath, ['--import', 'tsx', join(ROOT, 'sniffer/src/main.ts'),
      '--controller-url', `http://127.0.0.1:${RX_PORT}`, '--token-file', tokenFile, '--node-name', NODE, '--report-interval', '1s', '--log-level', 'debug'], { cwd: ROOT });
    const snErr = lines(sniffer, 'stderr');
    await waitFor('sniffer capturing', () => {
      if (sniffer.exitCode !== null) throw new Error(`sniffer exited ${sniffer.exitCode}: ${snErr.join('\n')}`);
      return snErr.some((l) => l.includes('sniffer running'));
    }, 20_000);

    // Traffic. +tries=1: a retransmitted query would be a second, legitimate sighting.
    const dig = (pod: Pod, ...args: string[]) => topo!.run(pod.ns, 'dig', ['+tries=1', '+time=3', ...args], 10_000, bare);
    assert.match(await dig(p.cli, `@${p.dns.ip4}`, 'web.demo.test', 'A'), web4);
    assert.match(await dig(p.cli, `@${p.dns.ip6}`, 'web.demo.test', 'AAAA'), web6);
    assert.match(await dig(p.cli, `@${p.dns.ip4}`, 'outer.demo.test', 'A'), web4);
    assert.match(await dig(p.cli, `@${p.dns.ip4}`, 'nope.demo.test', 'A'), /REFUSED/);
    assert.match(await dig(p.cli2, '+tcp', `@${p.dns.ip4}`, 'db.demo.test', 'A'), `${SUBNET4}.9`);
    assert.match(await dig(p.cli2, '+tcp', `@${p.dns.ip6}`, 'outer.demo.test', 'AAAA'), web6);
    await topo.run(p.cli.ns, 'nc', ['-z', '-w', '2', web4, '8080'], 10_000, bare);
    assert.is(await topo.run(p.cli.ns, 'curl', ['-sS', '-g', '--max-time', '5', `http://[${web6}]:8080/`], 10_000, bare), 'hi');
    await topo.run(p.cli2.ns, 'nc', ['-z', '-w', '2', web4, '9999'], 10_000, bare).catch(() => undefined); // closed port: RST, SYN still seen

    const expected = new Map<string, number | undefined>([
      [`dns ${p.cli.ip4} web.demo.test ${web4} -`, 300],
      [`dns ${p.cli.ip6} web.demo.test ${web6} -`, 300],
      [`dns ${p.cli.ip4} outer.demo.test ${web4} -`, 300],
      [`dns ${p.cli2.ip4} db.demo.test ${SUBNET4}.9 -`, 120],
      [`dns ${p.cli2.ip6} outer.demo.test ${web6} -`, 300],
      [`tcp ${p.cli2.ip4} ${p.dns.ip4} ${p.dns.ip4} 53`, undefined],
      [`tcp ${p.cli2.ip6} ${p.dns.ip6} ${p.dns.ip6} 53`, undefined],
      [`tcp ${p.cli.ip4} ${web4} ${web4} 8080`, undefined],
      [`tcp ${p.cli.ip6} ${web6} ${web6} 8080`, undefined],
      [`tcp ${p.cli2.ip4} ${web4} ${web4} 9999`, undefined],
    ]);
    const reports = () => rxLines.filter((l) => l.includes('"report"')).map((l) => JSON.parse(l).report as Report);
    await waitFor('every expected record reported', () => {
      const got = merge(reports(), ['dns', 'tcp']);
      return [...expected.keys()].every((k) => got.has(k));
    }, 10_000, 100);

    const metrics = await topo.run(topo.node, 'curl', ['-sS', '--max-time', '3', 'http://127.0.0.1:57921/metrics']);
    assert.match(metrics, /^netmapper_sniffer_frames_total [1-9]/m);
    assert.match(metrics, /^netmapper_sniffer_records_total\{source="dns"\} [1-9]/m);
    assert.match(metrics, /^netmapper_sniffer_reports_sent_total [1-9]/m);
    assert.is((await topo.run(topo.node, 'curl', ['-sS', '--max-time', '3', 'http://127.0.0.1:57921/healthz'])).trim(), 'ok');

    sniffer.kill('SIGTERM');
    assert.is(await exited(sniffer, 15_000), 0, 'sniffer exits 0 on SIGTERM');
    tcpdump.kill('SIGINT');
    await exited(tcpdump, 10_000);

    // Live: exactly the expected DNS and TCP records, with the right TTLs, every one authorised.
    const live = reports();
    assert.not.ok(rxLines.some((l) => l.includes('unauthorized')), 'a report without the right token');
    assert.ok(live.every((r) => r.node === NODE && r.version === 1));
    const liveMerged = merge(live, ['dns', 'tcp']);
    assert.equal([...liveMerged.keys()].sort(), [...expected.keys()].sort());
    for (const [k, ttl] of expected) assert.is(liveMerged.get(k)!.ttl, ttl, k);
    // On `any` in a bridged node, each frame is seen leaving one pod's veth and entering another's.
    for (const [k, v] of liveMerged) assert.is(v.count, 2, `count of ${k}`);

    // Socket scan: the pre-existing connection, client side, server port; no hostname (the scan reads
    // nothing of a process but its net/tcp: socket-scan.ts, least privilege).
    const sockets = live.flatMap((r) => r.records as ConnectionRecord[]).filter((r) => r.source === 'socket' && (r.srcIp.startsWith(`${SUBNET4}.`) || r.srcIp.startsWith(`${SUBNET6}:`)));
    const to7000 = new Set(sockets.filter((r) => r.destinationPort === 7000).map(keyOf));
    assert.equal([...to7000], [`socket ${p.cli.ip4} ${web4} ${web4} 7000`]);
    assert.ok(sockets.every((r) => r.srcHostname === undefined), 'no hostname is read or sent');
    assert.not.ok(sockets.some((r) => r.srcIp === web4 || r.srcIp === web6), 'the LISTEN (server) side was reported');

    // Replay of tcpdump's file: the same records, counts and TTLs; times within the capture skew.
    const replayed: Report[] = [];
    for await (const r of replayReports([pcap], { node: NODE, intervalSeconds: 1 })) replayed.push(r);
    const replayMerged = merge(replayed, ['dns', 'tcp']);
    assert.equal([...replayMerged.keys()].sort(), [...liveMerged.keys()].sort());
    for (const [k, v] of liveMerged) {
      const r = replayMerged.get(k)!;
      assert.is(r.count, v.count, `replay count of ${k}`);
      assert.is(r.ttl, v.ttl, `replay ttl of ${k}`);
      assert.ok(Math.abs(Date.parse(r.lastSeen) - Date.parse(v.lastSeen)) < 1000, `lastSeen of ${k}: live ${v.lastSeen} replay ${r.lastSeen}`);
    }
    assert.ok(replayed.every((r) => r.node === NODE && r.records.length > 0));
  } finally {
    await dns?.stop();
    await topo?.cleanup();
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
