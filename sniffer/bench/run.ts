// Sniffer benchmark (npm run bench:sniffer; root; needs tcpreplay): the real sniffer (main.ts)
// pinned to CPU 0 in a node namespace, capturing on `any`, while tcpreplay on CPU 1 replays real DNS
// responses (recorded once from a dns-packet generator) from one pod to another at stepped rates.
// `any` sees every frame twice (leaving one veth, entering the other), so expected frames =
// 2 × the frames the client's veth carried. cap exposes no libpcap drop counter: loss = expected −
// frames the sniffer counted. CPU from /proc/<pid>/stat (utime+stime), memory from
// /proc/<pid>/status (VmRSS now, VmHWM peak).
//
// Two libpcap modes are measured, because cap turns on immediate mode only when it can
// dlopen("libpcap.so") (present with libpcap-dev, absent in a runtime image with libpcap0.8 only):
//   immediate — TPACKET_V2, one 64 KiB slot per frame (cap fixes snaplen at 65535);
//   block     — TPACKET_V3, frames packed in blocks, delivered when a block fills or after 1 s.
// "block" is emulated here by putting a decoy libpcap.so first on LD_LIBRARY_PATH.

import { readFileSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { createTopology, waitFor, type Topology } from '../../fixtures/test-support/netns.ts';
import { formatRssParts, rssParts, sampleLargest } from './smaps.ts';
import { SETTINGS } from '../src/config.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RATES = (process.env.BENCH_RATES ?? '25000,50000,75000,100000').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const MODES = (process.env.BENCH_MODES ?? 'immediate,block').split(',');
/** A bundled build of main.ts to measure instead of `node --import tsx sniffer/src/main.ts` (tsx alone costs ~38 MB RSS). */
const ENTRY = process.env.BENCH_ENTRY;
/** Extra sniffer flags and NODE_OPTIONS to try (e.g. "--capture-buffer 8Mi", "--max-semi-space-size=4"). */
const EXTRA_ARGS = (process.env.BENCH_ARGS ?? '').split(' ').filter(Boolean);
/** As the chart runs the sniffer: its NODE_OPTIONS (sniffer.maxSemiSpaceMi), unless BENCH_NODE_OPTIONS says otherwise ("" = none). */
function chartNodeOptions(): string | undefined {
  const mi = (parseYaml(readFileSync(join(ROOT, 'chart/values.yaml'), 'utf8')) as { sniffer?: { maxSemiSpaceMi?: number | '' } }).sniffer?.maxSemiSpaceMi;
  return mi ? `--max-semi-space-size=${mi}` : undefined;
}
const NODE_OPTIONS = process.env.BENCH_NODE_OPTIONS ?? chartNodeOptions();
/** Node flags NODE_OPTIONS refuses, given before the entry (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"). */
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
/**
 * The niceness of the sniffer's and tcpreplay's sessions (e.g. -20), on a machine shared with other work, so
 * that others' processes do not take the cores they are measured on ("on one core"). With the kernel's
 * autogroup scheduling a process's own nice ranks it only within its session, and sessions share a CPU
 * equally: /proc/<pid>/autogroup is what weighs it against the rest. Unset: the default share.
 */
const AUTOGROUP_NICE = process.env.BENCH_AUTOGROUP_NICE;
const NAMES = 1000;
/** Ring bytes per frame besides the captured bytes: tpacket3_hdr, sockaddr_ll, alignment (TPACKET_V3, "any"). */
const RING_FRAME_OVERHEAD = 100;
const TICK = 100; // USER_HZ

const defaultOf = (flag: string) => SETTINGS.find((s) => s.flag === flag)!.default();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
function cpuSplit(pid: number): [number, number] {
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return [Number(f[11]), Number(f[12])]; // utime, stime
}
function cpuTicks(pid: number): number {
  const [u, k] = cpuSplit(pid);
  return u + k;
}
function memMb(pid: number, key: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}
async function metrics(topo: Topology): Promise<{ frames: number; dns: number; drops: number; lagMaxMs: number; read: { frames: number; bytes: number }; v8: string }> {
  const text = await topo.run(topo.node, 'curl', ['-sS', '--max-time', '3', 'http://127.0.0.1:57921/metrics']);
  const num = (re: RegExp) => Number(re.exec(text)?.[1] ?? 0);
  const mb = (name: string) => (num(new RegExp(`^${name} ([\\d.e+]+)`, 'm')) / 2 ** 20).toFixed(1);
  const v8 = `V8 heap used ${mb('nodejs_heap_size_used_bytes')} of ${mb('nodejs_heap_size_total_bytes')} MB, external ${mb('nodejs_external_memory_bytes')} MB`;
  const drops = [...text.matchAll(/^netmapper_sniffer_capture_dropped_total\{[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
  // prom-client resets its event-loop delay histogram at each scrape: this is the longest stall since the last one.
  const lagMaxMs = num(/^nodejs_eventloop_lag_max_seconds ([\d.e+-]+)/m) * 1000;
  // Likewise the largest read from the ring in one wake-up (how full it got).
  const read = { frames: num(/^netmapper_sniffer_capture_largest_read_frames (\d+)/m), bytes: num(/^netmapper_sniffer_capture_largest_read_bytes (\d+)/m) };
  return { frames: num(/^netmapper_sniffer_frames_total (\d+)/m), dns: num(/^netmapper_sniffer_observations_total\{source="dns"\} (\d+)/m), drops, lagMaxMs, read, v8 };
}
/** Where the RSS goes (smaps) and what V8 says of its heap, one line for the bench's notes. */
async function memoryLine(topo: Topology, pid: number, when: string): Promise<string> {
  return `- RSS ${when}: ${formatRssParts(rssParts(pid))}; ${(await metrics(topo)).v8}`;
}
async function vethTx(topo: Topology, dev: string): Promise<number> {
  return JSON.parse(await topo.run(topo.node, 'ip', ['-s', '-j', 'link', 'show', dev]))[0].stats64.tx.packets;
}

/** tcpreplay pinned to CPU 1 (its session weighted like the sniffer's, see AUTOGROUP_NICE); resolves with its output. */
async function runReplay(topo: Topology, ns: string, args: string[]): Promise<string> {
  const child = topo.spawn(ns, 'taskset', ['-c', '1', 'tcpreplay', ...args]);
  if (AUTOGROUP_NICE) writeFileSync(`/proc/${child.pid}/autogroup`, AUTOGROUP_NICE);
  let text = '';
  child.stdout!.on('data', (d) => { text += d; });
  child.stderr!.on('data', (d) => { text += d; });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`tcpreplay exited ${code}: ${text}`);
  return text;
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'nmsn-bench-'));
  const topo = await createTopology([{ name: 'dns', host: 2 }, { name: 'cli', host: 3 }]);
  const out: string[] = [];
  try {
    const { dns, cli } = topo.pods as Record<'dns' | 'cli', { ns: string; ip4: string }>;
    await topo.run(cli!.ns, 'iptables', ['-A', 'INPUT', '-p', 'udp', '--dport', '40000', '-j', 'DROP']);

    // Record a template of real responses: 2 × NAMES datagrams from the dns pod, as the wire carries them.
    const template = join(dir, 'responses.pcap');
    const rec = topo.spawn(dns!.ns, 'tcpdump', ['-i', 'eth0', '--immediate-mode', '-U', '-Z', 'root', '-w', template, '-c', String(2 * NAMES), 'udp src port 53']);
    const recErr: string[] = [];
    rec.stderr!.on('data', (d) => recErr.push(String(d)));
    await waitFor('template tcpdump', () => recErr.join('').includes('listening on'), 10_000);
    await topo.run(dns!.ns, process.execPath, ['--import', 'tsx', join(ROOT, 'sniffer/bench/dns-flood.ts'), cli!.ip4, '40000', '5000', '1', String(NAMES)], 30_000);
    await waitFor('template recorded', () => rec.exitCode !== null, 10_000);

    // A decoy libpcap.so (any library without pcap_set_immediate_mode) makes cap skip immediate mode.
    const decoy = join(dir, 'no-libpcap-so');
    await mkdir(decoy);
    await symlink('/lib/x86_64-linux-gnu/libm.so.6', join(decoy, 'libpcap.so'));
    const token = join(dir, 'token');
    await writeFile(token, 'bench');
    const rx = topo.spawn(topo.node, process.execPath, ['--import', 'tsx', join(ROOT, 'fixtures/test-support/receiver.ts'), '18080', 'bench'], { cwd: ROOT });
    let reports = 0;
    rx.stdout!.on('data', (d: Buffer) => { reports += String(d).split('"report"').length - 1; });

    for (const mode of MODES) {
      const env = [...(mode === 'block' ? [`LD_LIBRARY_PATH=${decoy}`] : []), ...(NODE_OPTIONS ? [`NODE_OPTIONS=${NODE_OPTIONS}`] : [])];
      const entry = ENTRY ? [ENTRY] : ['--import', 'tsx', join(ROOT, 'sniffer/src/main.ts')];
      const sniffer = topo.spawn(topo.node, 'taskset', ['-c', '0', 'env', ...env, process.execPath, ...NODE_ARGS, ...entry,
        '--controller-url', 'http://127.0.0.1:18080', '--token-file', token, '--node-name', 'bench-node', '--log-level', 'warn', ...EXTRA_ARGS], { cwd: ROOT });
      const pid = sniffer.pid!; // taskset and env exec, so this is node's pid (spawned detached: its own session, its own autogroup)
      if (AUTOGROUP_NICE) writeFileSync(`/proc/${pid}/autogroup`, AUTOGROUP_NICE);
      await waitFor('sniffer serving metrics', async () => (await metrics(topo).catch(() => undefined)) !== undefined, 20_000, 200);
      await sleep(2000);
      const ring = (await topo.run(topo.node, 'ss', ['-0', '-e', '-m'])).match(/ring_rx\([^)]*\)/)?.[0] ?? 'ring: ?';
      let c0 = cpuTicks(pid), t0 = performance.now();
      await sleep(SECONDS * 1000);
      const idleCpu = ((cpuTicks(pid) - c0) / TICK / ((performance.now() - t0) / 1000)) * 100;
      out.push(`\n### mode: ${mode} (${ring})\n`, '| responses/s offered | achieved | frames expected (2 × veth) | frames seen | DNS observations | lost | sniffer CPU-s per s of traffic | RSS now / peak |', '|---|---|---|---|---|---|---|---|');
      out.push(`| idle | – | – | – | – | – | ${(idleCpu / 100).toFixed(3)} | ${memMb(pid, 'VmRSS').toFixed(0)} / ${memMb(pid, 'VmHWM').toFixed(0)} MB |`);
      const memory = [await memoryLine(topo, pid, 'idle')];
      for (const rate of RATES) {
        const m0 = await metrics(topo), tx0 = await vethTx(topo, 'v3');
        c0 = cpuTicks(pid); t0 = performance.now();
        const split0 = cpuSplit(pid);
        const loops = Math.max(1, Math.round((rate * SECONDS) / (2 * NAMES)));
        const sampler = sampleLargest(pid);
        const replay = await runReplay(topo, dns!.ns, ['-q', '-i', 'eth0', `--pps=${rate}`, `--loop=${loops}`, template]);
        const sendSeconds = (performance.now() - t0) / 1000;
        let m1 = await metrics(topo), prev = -1; // then wait for the sniffer to catch up (block mode delivers ≤ 1 s late)
        let lagMaxMs = m1.lagMaxMs, read = m1.read;
        for (let i = 0; i < 40 && m1.frames !== prev; i++) {
          prev = m1.frames; await sleep(1200); m1 = await metrics(topo);
          lagMaxMs = Math.max(lagMaxMs, m1.lagMaxMs);
          if (m1.read.bytes > read.bytes) read = m1.read;
        }
        const cpuPerSec = (cpuTicks(pid) - c0) / TICK / sendSeconds; // CPU-seconds for this traffic (incl. catch-up) per second of it
        const split1 = cpuSplit(pid);
        const userShare = (split1[0] - split0[0]) / Math.max(1, split1[0] - split0[0] + split1[1] - split0[1]);
        const tx = (await vethTx(topo, 'v3')) - tx0;
        const frames = m1.frames - m0.frames, expected = 2 * tx, lost = Math.max(0, expected - frames);
        const achieved = /Rated: [\d.]+ Bps, [\d.]+ Mbps, ([\d.]+) pps/.exec(replay)?.[1] ?? '?';
        out.push(`| ${rate.toLocaleString('en')} | ${Number(achieved).toFixed(0)} | ${expected} | ${frames} | ${m1.dns - m0.dns} | ${lost} (${((lost / expected) * 100).toFixed(2)} %; kernel counted ${m1.drops - m0.drops}) | ${cpuPerSec.toFixed(2)} (${(userShare * 100).toFixed(0)} % user) | ${memMb(pid, 'VmRSS').toFixed(0)} / ${memMb(pid, 'VmHWM').toFixed(0)} MB |`);
        process.stderr.write(`${mode} ${rate}: ${out.at(-1)} load ${loadavg()[0]!.toFixed(1)}\n`);
        const largest = sampler.stop();
        if (largest) memory.push(`- largest RSS sampled during ${rate.toLocaleString('en')}/s: ${formatRssParts(largest)}`);
        // In the ring each frame also takes its TPACKET_V3 header and alignment: about 100 bytes on "any".
        const ringMb = (read.bytes + read.frames * RING_FRAME_OVERHEAD) / 2 ** 20;
        memory.push(`- ring use during ${rate.toLocaleString('en')}/s: the largest read in one wake-up was ${read.frames} frames, ${(read.bytes / 2 ** 20).toFixed(1)} MiB captured, ≈ ${ringMb.toFixed(1)} MiB of ring at most (it includes what arrived while the backlog was drained); longest event-loop stall ${lagMaxMs.toFixed(0)} ms`);
        memory.push(await memoryLine(topo, pid, `after ${rate.toLocaleString('en')}/s`));
      }
      out.push('', ...memory);
      const t = performance.now();
      sniffer.kill('SIGTERM');
      const code = await waitFor('sniffer exit', () => (sniffer.exitCode !== null ? { code: sniffer.exitCode } : undefined), 20_000);
      out.push(`\nstopped with exit code ${code.code} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    console.log(`# Sniffer benchmark\n\n${SECONDS} s per step; ${NAMES} distinct names, one A answer per response; sniffer (${ENTRY ? `bundle ${ENTRY}` : 'node --import tsx sniffer/src/main.ts'}) on CPU 0, tcpreplay on CPU 1; capture on "any" in the node namespace; default settings (--capture-buffer ${defaultOf('capture-buffer')}, --report-interval ${defaultOf('report-interval')}, socket scan on)${EXTRA_ARGS.length ? ` plus ${EXTRA_ARGS.join(' ')}` : ''}${NODE_OPTIONS ? `, NODE_OPTIONS=${NODE_OPTIONS}` : ''}${AUTOGROUP_NICE ? `, the sniffer's and tcpreplay's sessions (autogroups) at nice ${AUTOGROUP_NICE}` : ''}. "achieved" is tcpreplay's own rate. Reports received by the test controller: ${reports}.`);
    console.log(out.join('\n'));
    console.log(`\nload average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  } finally {
    await topo.cleanup();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
