// `npm run bench:decoder`: first the WASM decoder inside one process (the call alone, then whole
// files), then `netmapper decode` as a whole process beside tcpdump, tshark, gopacket (built here
// from Debian's packages) and a pure-JS decoder, by CPU time, on one generated capture.
// Env: BENCH_DECODER_BYTES (default 100 MB), BENCH_DECODER_DIR (default the OS temp dir),
//      BENCH_DECODER_KEEP=1 (keep the capture), BENCH_DECODER_TOOLS=0 (skip tshark/tcpdump),
//      BENCH_DECODER_ROUNDS (interleaved rounds of the whole-process commands, default 3),
//      BENCH_DECODER_VERIFY=0 (skip checking that the JSON outputs are identical).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDecoder, scanCapture } from '../src/index.ts';
import { instantiate, DEFAULT_INPUT_BYTES, type DecoderExports } from '../src/wasm.ts';
import { BATCH_HDR_SIZE } from '../src/layout.ts';
import { generateCapture, seedFrames, vary } from './generate.ts';
import { benchWholeProcess } from './whole-process.ts';
import type { Frame } from '../../fixtures/test-support/pcap-frames.ts';

const BYTES = Number(process.env.BENCH_DECODER_BYTES ?? 100e6);
const DIR = process.env.BENCH_DECODER_DIR ?? tmpdir();
const TOOLS = process.env.BENCH_DECODER_TOOLS !== '0';
const ROUNDS = Number(process.env.BENCH_DECODER_ROUNDS ?? 3);
const VERIFY = process.env.BENCH_DECODER_VERIFY !== '0';

/** CPU milliseconds (user + sys) of this process: wall time on a shared machine swings several-fold. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

interface Row { name: string; frames: number; bytes: number; ms: number; note: string }
const rows: Row[] = [];

function fmt(n: number, digits = 1): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(digits)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(digits)} k`;
  return n.toFixed(digits);
}

function record(name: string, frames: number, bytes: number, ms: number, note = ''): void {
  rows.push({ name, frames, bytes, ms, note });
  const fps = frames / (ms / 1000);
  const mbs = bytes / 1e6 / (ms / 1000);
  console.log(`  ${name.padEnd(44)} ${fmt(fps).padStart(9)} frames/CPU-s ${mbs.toFixed(0).padStart(6)} MB/CPU-s  ${(ms / 1000).toFixed(2).padStart(7)} CPU-s  ${note}`);
}

/** decodeBatch on frames already in memory: push + one WASM call per 4 MiB batch. */
async function benchBatch(name: string, frames: Uint8Array[], rounds: number, materialize: boolean): Promise<void> {
  const d = await createDecoder();
  let records = 0;
  let bytes = 0;
  for (const f of frames) bytes += f.length;
  const t0 = cpuMs();
  for (let r = 0; r < rounds; r++) {
    for (const f of frames) {
      if (!d.push(f, 0, 1)) {
        records += materialize ? d.decodeBatch().length : d.decodeBatchCount();
        d.push(f, 0, 1);
      }
    }
    records += materialize ? d.decodeBatch().length : d.decodeBatchCount();
  }
  const ms = cpuMs() - t0;
  record(name, frames.length * rounds, bytes * rounds, ms, `${fmt(records)} records${materialize ? ' as JS objects' : ' (counted in WASM)'}`);
}

/** The WASM call alone: one batch written into the input region once, decoded `rounds` times. */
function benchWasmCall(name: string, exp: DecoderExports, frames: Uint8Array[], rounds: number): void {
  const u8 = new Uint8Array(exp.memory.buffer);
  const dv = new DataView(exp.memory.buffer);
  const base = exp.inputPtr();
  let at = 0;
  let n = 0;
  let bytes = 0;
  for (const f of frames) {
    if (at + BATCH_HDR_SIZE + f.length > DEFAULT_INPUT_BYTES) break;
    dv.setUint32(base + at, f.length, true);
    dv.setUint32(base + at + 4, 1, true);
    dv.setFloat64(base + at + 8, 0, true);
    u8.set(f, base + at + BATCH_HDR_SIZE);
    at += BATCH_HDR_SIZE + f.length;
    n++;
    bytes += f.length;
  }
  let records = 0;
  const t0 = cpuMs();
  for (let r = 0; r < rounds; r++) {
    let done = 0;
    while (done < at) {
      // More than one call per round only when the output areas fill up.
      const reached = exp.decodeBatch(done, at);
      if (reached <= done) throw new Error(`decodeBatch returned ${reached}`);
      records += exp.recordCount();
      done = reached;
    }
  }
  record(name, n * rounds, bytes * rounds, cpuMs() - t0, `${n} frames per call, ${fmt(records)} records`);
}

function makeStream(pool: Frame[], n: number): Uint8Array[] {
  let s = 7;
  const rand = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 0x100000000; };
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) out.push(vary(pool[i % pool.length], rand));
  return out;
}

async function benchFile(path: string, size: number, materialize: boolean): Promise<void> {
  const t0 = cpuMs();
  const it = scanCapture(path, { materialize });
  let records = 0;
  let counters;
  for (;;) {
    const s = await it.next();
    if (s.done) { counters = s.value; break; }
    records += s.value.count;
  }
  const ms = cpuMs() - t0;
  record(`WASM whole file${materialize ? ' (records as objects)' : ' (counted)'}`, counters.frames, size, ms, `${fmt(records)} records`);
}

async function main(): Promise<void> {
  console.log(`decoder benchmark: Node ${process.version}, capture of ${fmt(BYTES)}B in ${DIR}`);
  const seeds = await seedFrames();
  console.log(`seed frames from fixtures/pcap: ${seeds.dns.length} DNS responses, ${seeds.syn.length} SYN/SYN-ACK, ${seeds.other.length} other`);

  console.log('\ndecodeBatch, frames in memory, CPU time of this process (push copies each frame into WASM memory; one WASM call per 4 MiB batch):');
  const syn = makeStream(seeds.syn, 200_000);
  const dns = makeStream(seeds.dns, 200_000);
  await benchBatch('decodeBatch, SYN/SYN-ACK only', syn, 10, false);
  await benchBatch('decodeBatch, SYN/SYN-ACK only', syn, 5, true);
  await benchBatch('decodeBatch, DNS responses only', dns, 5, false);
  await benchBatch('decodeBatch, DNS responses only', dns, 3, true);
  benchWasmCall('WASM decodeBatch call alone, SYN/SYN-ACK', await instantiate(), syn, 50);
  benchWasmCall('WASM decodeBatch call alone, DNS responses', await instantiate(), dns, 20);

  const dir = mkdtempSync(join(DIR, 'decoder-bench-'));
  const path = join(dir, 'bench.pcap');
  try {
    const t0 = performance.now();
    const gen = await generateCapture(path, BYTES, seeds);
    const size = statSync(path).size;
    console.log(`\ngenerated ${path}: ${fmt(gen.frames)} frames, ${fmt(size)}B (50% DNS responses, 30% SYN/SYN-ACK, 20% other) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    console.log('\nwhole file, inside one process:');
    await benchFile(path, size, false);
    await benchFile(path, size, true);
    console.log(`\nwhole process, CPU time (user+sys) of each command, median of ${ROUNDS} interleaved runs, output to /dev/null:`);
    await benchWholeProcess(path, gen.frames, dir, ROUNDS, TOOLS, VERIFY);
  } finally {
    if (process.env.BENCH_DECODER_KEEP !== '1') rmSync(dir, { recursive: true, force: true });
  }
}

await main();
