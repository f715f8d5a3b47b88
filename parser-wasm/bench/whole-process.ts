// `netmapper decode FILE > /dev/null` beside the commands a user would pick instead, each a whole
// process timed by CPU time (user + sys), interleaved: tcpdump, tshark, a gopacket program writing
// the same JSON lines (two ways of using gopacket), a pure-JS decoder writing the same JSON lines,
// and the WASM decoder with records only counted (the ceiling).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { buildSync } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { timeInterleaved, median, type Command, type CpuResult } from './cpu-time.ts';
import { buildGopacketAnchor } from './gopacket/build.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSHARK_FIELDS = ['frame.number', 'ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst', 'tcp.srcport', 'tcp.dstport',
  'udp.srcport', 'udp.dstport', 'tcp.flags.ack', 'dns.qry.name', 'dns.a', 'dns.aaaa', 'dns.cname', 'dns.resp.ttl'];

export const OURS = 'netmapper decode FILE > /dev/null';
const STARTUP = 'netmapper decode EMPTY (start-up alone)';
const PCAP_HEADER = Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000', 'hex');

/** The `netmapper` users run: the esbuild bundle when built, else the bin that loads the sources through tsx. */
export function netmapperEntry(): string {
  const dist = join(ROOT, 'dist/netmapper.js');
  return existsSync(dist) ? dist : join(ROOT, 'controller/bin/netmapper.js');
}

/**
 * The bench's own decoders (child.ts) bundled like dist/ (esbuild, decoder.wasm beside it), so they
 * pay Node's start-up as netmapper does and not TypeScript loading through tsx.
 */
export function buildChild(workDir: string): string {
  const out = join(workDir, 'bench-child.mjs');
  if (existsSync(out)) return out;
  buildSync({
    entryPoints: [join(ROOT, 'parser-wasm/bench/child.ts')], outfile: out, bundle: true, platform: 'node', format: 'esm',
    target: 'node20', define: { NETMAPPER_DIST: 'true' }, logLevel: 'error',
    // dns-packet is CommonJS and requires Node built-ins.
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
  copyFileSync(join(ROOT, 'parser-wasm/build/decoder.wasm'), join(workDir, 'decoder.wasm'));
  return out;
}

/** The commands, and which of them print the same JSON lines as ours (checked before timing). */
export function commands(file: string, workDir: string, tools: boolean, emptyFile: string): { list: Command[]; sameJson: Set<string>; notes: string[] } {
  const node = process.execPath;
  const notes: string[] = [];
  const list: Command[] = [{ name: OURS, cmd: node, args: [netmapperEntry(), 'decode', file], cwd: ROOT }];
  // What every run pays before the first frame: Node, loading netmapper, compiling the WASM.
  list.push({ name: STARTUP, cmd: node, args: [netmapperEntry(), 'decode', emptyFile], cwd: ROOT });
  const sameJson = new Set([OURS]);
  const anchor = buildGopacketAnchor(workDir);
  if ('path' in anchor) {
    for (const [mode, label] of [['parser', 'gopacket DecodingLayerParser, same JSON'], ['packet', 'gopacket NewPacket + Layer, same JSON']]) {
      list.push({ name: label, cmd: anchor.path, args: ['-mode', mode, file] });
      sameJson.add(label);
    }
  } else {
    notes.push(`gopacket anchor skipped: ${anchor.skip}`);
  }
  if (tools) {
    list.push({ name: 'tcpdump -nn -r FILE', cmd: 'tcpdump', args: ['-nn', '-r', file] });
    list.push({
      name: 'tshark -T fields (same fields)', cmd: 'tshark',
      args: ['-n', '-r', file, '-Y', 'dns.flags.response==1 || tcp.flags.syn==1', '-T', 'fields', ...TSHARK_FIELDS.flatMap((f) => ['-e', f])],
    });
  }
  const child = buildChild(workDir);
  list.push({ name: 'pure JS (dns-packet), same JSON', cmd: node, args: [child, 'js', file], cwd: ROOT });
  sameJson.add('pure JS (dns-packet), same JSON');
  list.push({ name: 'WASM whole file, records counted', cmd: node, args: [child, 'wasm-count', file], cwd: ROOT });
  return { list, sameJson, notes };
}

/** sha256 and line count of a command's stdout (not timed). */
function digest(c: Command): Promise<{ sha: string; lines: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(c.cmd, c.args, { cwd: c.cwd, stdio: ['ignore', 'pipe', 'ignore'] });
    const h = createHash('sha256');
    let lines = 0;
    child.stdout.on('data', (b: Buffer) => {
      h.update(b);
      for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) lines++;
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve({ sha: h.digest('hex'), lines }) : reject(new Error(`${c.name} exited ${code}`))));
  });
}

/** Checks that every "same JSON" command prints byte for byte what `netmapper decode` prints. */
export async function checkSameOutput(list: Command[], sameJson: Set<string>): Promise<Map<string, string>> {
  const verdict = new Map<string, string>();
  const ours = await digest(list[0]);
  verdict.set(OURS, `${ours.lines} lines`);
  for (const c of list.slice(1)) {
    if (!sameJson.has(c.name)) continue;
    const d = await digest(c).catch((e: Error) => ({ sha: `error: ${e.message}`, lines: 0 }));
    verdict.set(c.name, d.sha === ours.sha ? 'identical' : `DIFFERS (${d.lines} lines vs ${ours.lines})`);
  }
  return verdict;
}

const f1 = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(0)} k` : n.toFixed(0));

/** The table: frames per CPU-second, and how many times less CPU `netmapper decode` needs than each. */
export function printTable(results: CpuResult[], frames: number, verdict: Map<string, string>): Map<string, number> {
  const cpu = new Map<string, number>();
  for (const r of results) if (r.runs.length) cpu.set(r.command.name, median(r.runs.map((x) => x.cpu)));
  const ours = cpu.get(OURS) ?? NaN;
  console.log(`  ${'command'.padEnd(40)} ${'frames/CPU-s'.padStart(12)} ${'CPU-s'.padStart(7)} ${'(runs)'.padEnd(18)} ${'wall s'.padStart(6)} ${'max RSS'.padStart(8)}  ${'ours is'.padStart(8)}  output`);
  const ratios = new Map<string, number>();
  for (const r of results) {
    if (r.error && !r.runs.length) { console.log(`  ${r.command.name.padEnd(40)} failed: ${r.error}`); continue; }
    const c = cpu.get(r.command.name)!;
    if (r.command.name === STARTUP) {
      console.log(`  ${r.command.name.padEnd(40)} ${''.padStart(12)} ${c.toFixed(2).padStart(7)} ${''.padEnd(18)} ${median(r.runs.map((x) => x.wall)).toFixed(2).padStart(6)} ${`${median(r.runs.map((x) => x.maxRssMb)).toFixed(0)} MB`.padStart(8)}`);
      continue;
    }
    const ratio = c / ours;
    ratios.set(r.command.name, ratio);
    const runs = r.runs.map((x) => x.cpu.toFixed(2)).join(' ');
    console.log(`  ${r.command.name.padEnd(40)} ${f1(frames / c).padStart(12)} ${c.toFixed(2).padStart(7)} ${`(${runs})`.padEnd(18)} ${median(r.runs.map((x) => x.wall)).toFixed(2).padStart(6)} ${`${median(r.runs.map((x) => x.maxRssMb)).toFixed(0)} MB`.padStart(8)}  ${r.command.name === OURS ? '1×'.padStart(8) : `${ratio.toFixed(2)}×`.padStart(8)}  ${verdict.get(r.command.name) ?? ''}`);
  }
  return ratios;
}

export async function benchWholeProcess(file: string, frames: number, workDir: string, rounds: number, tools: boolean, verify: boolean): Promise<void> {
  const empty = join(workDir, 'empty.pcap');
  writeFileSync(empty, PCAP_HEADER);
  const { list, sameJson, notes } = commands(file, workDir, tools, empty);
  for (const n of notes) console.log(`  ${n}`);
  console.log(`  netmapper: ${list[0].args[0].replace(ROOT, '')}`);
  const verdict = verify ? await checkSameOutput(list, sameJson) : new Map<string, string>();
  const results = timeInterleaved(list, rounds);
  const ratios = printTable(results, frames, verdict);
  const goal = (name: string, want: number) => {
    const r = ratios.get(name);
    return r === undefined ? `${name}: not measured` : `${name} ${r.toFixed(2)}× (goal ≥ ${want}×: ${r >= want ? 'met' : 'not met'})`;
  };
  console.log(`  goals: ${goal('gopacket DecodingLayerParser, same JSON', 2)}; ${goal('tcpdump -nn -r FILE', 5)}; ${goal('tshark -T fields (same fields)', 20)}`);
}
