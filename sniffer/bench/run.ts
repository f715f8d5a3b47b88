// Sniffer benchmark (npm run bench:sniffer; root): the real sniffer in a node namespace capturing
// on `any` while a pod floods another pod with real DNS responses at stepped rates. Reports, per
// step, the responses sent, the frames the kernel put on the client's veth, the frames and DNS
// observations the sniffer decoded (any sees each frame twice: leaving one veth, entering the
// other), the sniffer's CPU (from /proc/<pid>/stat) and resident set (/proc/<pid>/status), and the
// same at idle. cap exposes no libpcap drop counter, so loss = expected frames − frames seen.

import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTopology, waitFor, type Topology } from '../test-support/netns.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RATES = (process.env.BENCH_RATES ?? '20000,50000,80000,110000').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const NAMES = 1000;
const TICK = 100; // USER_HZ on Linux

function cpuTicks(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').slice(readFileSync(`/proc/${pid}/stat`, 'utf8').lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime (fields 14, 15)
}
function status(pid: number, key: string): number {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}
function childPid(pid: number): number | undefined {
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const c = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
    if (c) return Number(c.split(' ')[0]);
  }
  return undefined;
}

async function metrics(topo: Topology): Promise<{ frames: number; dns: number }> {
  const text = await topo.run(topo.node, 'curl', ['-sS', '--max-time', '3', 'http://127.0.0.1:57921/metrics']);
  const num = (re: RegExp) => Number(re.exec(text)?.[1] ?? 0);
  return { frames: num(/^netmapper_sniffer_frames_total (\d+)/m), dns: num(/^netmapper_sniffer_observations_total\{source="dns"\} (\d+)/m) };
}
async function vethTx(topo: Topology, dev: string): Promise<number> {
  const j = JSON.parse(await topo.run(topo.node, 'ip', ['-s', '-j', 'link', 'show', dev]));
  return j[0].stats64.tx.packets;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'nmsn-bench-'));
  const topo = await createTopology([{ name: 'dns', host: 2 }, { name: 'cli', host: 3 }]);
  try {
    const { dns, cli } = topo.pods as Record<'dns' | 'cli', { ns: string; ip4: string }>;
    await topo.run(cli!.ns, 'iptables', ['-A', 'INPUT', '-p', 'udp', '--dport', '40000', '-j', 'DROP']);
    const token = join(dir, 'token');
    await writeFile(token, 'bench');
    const rx = topo.spawn(topo.node, process.execPath, ['--import', 'tsx', join(ROOT, 'sniffer/test-support/receiver.ts'), '18080', 'bench'], { cwd: ROOT });
    let reports = 0;
    rx.stdout!.on('data', (d: Buffer) => { reports += d.toString().split('"report"').length - 1; });
    const timeOut = join(dir, 'time.txt');
    const wrapper = topo.spawn(topo.node, '/usr/bin/time', ['-v', '-o', timeOut, process.execPath, '--import', 'tsx', join(ROOT, 'sniffer/src/main.ts'),
      '--controller-url', 'http://127.0.0.1:18080', '--token-file', token, '--node-name', 'bench-node', '--log-level', 'warn'], { cwd: ROOT });
    let err = '';
    wrapper.stderr!.on('data', (d) => { err += d; });
    const pid = await waitFor('sniffer process', () => childPid(wrapper.pid!), 10_000);
    await waitFor('sniffer serving metrics', async () => (await metrics(topo).catch(() => undefined)) !== undefined, 20_000, 200);
    await sleep(2000); // let start-up settle

    const rows: string[] = [];
    // Idle.
    let c0 = cpuTicks(pid), t0 = performance.now();
    await sleep(SECONDS * 1000);
    const idleCpu = ((cpuTicks(pid) - c0) / TICK) / ((performance.now() - t0) / 1000) * 100;
    rows.push(`| idle | – | – | – | – | – | ${idleCpu.toFixed(1)} % | ${status(pid, 'VmRSS').toFixed(1)} MB |`);

    for (const rate of RATES) {
      const m0 = await metrics(topo), tx0 = await vethTx(topo, 'v3');
      c0 = cpuTicks(pid); t0 = performance.now();
      let peakRss = 0;
      const sampler = setInterval(() => { peakRss = Math.max(peakRss, status(pid, 'VmRSS')); }, 200);
      const out = await topo.run(dns!.ns, process.execPath, ['--import', 'tsx', join(ROOT, 'sniffer/bench/dns-flood.ts'), cli!.ip4, '40000', String(rate), String(SECONDS), String(NAMES)], (SECONDS + 30) * 1000);
      const flood = JSON.parse(out.trim().split('\n').pop()!) as { sent: number; seconds: number };
      // Wait until the sniffer has caught up (frames stop increasing), bounded.
      let prev = -1, m1 = await metrics(topo);
      for (let i = 0; i < 50 && m1.frames !== prev; i++) { prev = m1.frames; await sleep(300); m1 = await metrics(topo); }
      const busy = (performance.now() - t0) / 1000;
      const cpu = ((cpuTicks(pid) - c0) / TICK) / Math.min(busy, flood.seconds + 0.3) * 100;
      clearInterval(sampler);
      const tx = (await vethTx(topo, 'v3')) - tx0;
      const frames = m1.frames - m0.frames, dnsObs = m1.dns - m0.dns;
      const expected = 2 * tx;
      const lost = Math.max(0, expected - frames);
      rows.push(`| ${rate.toLocaleString('en')} | ${(flood.sent / flood.seconds).toFixed(0)} | ${tx} | ${frames} | ${dnsObs} | ${lost} (${((lost / expected) * 100).toFixed(2)} %) | ${cpu.toFixed(1)} % | ${peakRss.toFixed(1)} MB |`);
      process.stderr.write(`rate ${rate}: ${rows.at(-1)}\n`);
      await sleep(1500);
    }
    wrapper.kill('SIGTERM'); // /usr/bin/time forwards nothing: signal the sniffer itself
    process.kill(pid, 'SIGTERM');
    await waitFor('sniffer exit', () => wrapper.exitCode !== null, 15_000);
    const time = readFileSync(timeOut, 'utf8');
    const pick = (k: string) => new RegExp(`${k}: (.*)`).exec(time)?.[1]?.trim();
    console.log(`\nSniffer benchmark: ${SECONDS} s per step, ${NAMES} distinct names, one A answer per response, capture on "any" in the node namespace (each frame seen twice).\n`);
    console.log('| target responses/s | sent/s | frames on client veth | frames seen by sniffer | DNS observations | lost (expected 2× veth) | sniffer CPU | sniffer RSS (peak) |');
    console.log('|---|---|---|---|---|---|---|---|');
    for (const r of rows) console.log(r);
    console.log(`\n/usr/bin/time -v over the whole run: max RSS ${(Number(pick('Maximum resident set size \\(kbytes\\)')) / 1024).toFixed(1)} MB, user ${pick('User time \\(seconds\\)')} s, system ${pick('System time \\(seconds\\)')} s, elapsed ${pick('Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\)')}; reports received by the test controller: ${reports}.`);
    if (err.trim()) console.log(`\nsniffer stderr:\n${err.trim().split('\n').slice(-5).join('\n')}`);
  } finally {
    await topo.cleanup();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
