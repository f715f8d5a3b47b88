// `npm run bench:decoder`: decode throughput of the WASM decoder (decodeBatch and whole-file)
// side by side with tshark, tcpdump and a pure-JS decoder (dns-packet), on one generated capture.
// Env: BENCH_DECODER_BYTES (default 1 GiB), BENCH_DECODER_DIR (default the OS temp dir),
//      BENCH_DECODER_KEEP=1 (keep the capture), BENCH_DECODER_TOOLS=0 (skip tshark/tcpdump).
import { mkdtempSync, rmSync, statSync, openSync, readSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createDecoder, scanCapture } from '../src/index.ts';
import { instantiate, DEFAULT_INPUT_BYTES, type DecoderExports } from '../src/wasm.ts';
import { BATCH_HDR_SIZE } from '../src/layout.ts';
import { generateCapture, seedFrames, vary } from './generate.ts';
import { jsDecodeFrame, emptyJsCounts, type JsCounts, type JsRecord } from './js-decoder.ts';
import type { Frame } from '../../fixtures/test-support/pcap-frames.ts';

const BYTES = Number(process.env.BENCH_DECODER_BYTES ?? 1 << 30);
const DIR = process.env.BENCH_DECODER_DIR ?? tmpdir();
const TOOLS = process.env.BENCH_DECODER_TOOLS !== '0';

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
  console.log(`  ${name.padEnd(44)} ${fmt(fps).padStart(9)} frames/s ${mbs.toFixed(0).padStart(6)} MB/s  ${(ms / 1000).toFixed(2).padStart(7)} s  ${note}`);
}

/** decodeBatch on frames already in memory: push + one WASM call per 4 MiB batch. */
async function benchBatch(name: string, frames: Uint8Array[], rounds: number, materialize: boolean): Promise<void> {
  const d = await createDecoder();
  let records = 0;
  let bytes = 0;
  for (const f of frames) bytes += f.length;
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const f of frames) {
      if (!d.push(f, 0, 1)) {
        records += materialize ? d.decodeBatch().length : d.decodeBatchCount();
        d.push(f, 0, 1);
      }
    }
    records += materialize ? d.decodeBatch().length : d.decodeBatchCount();
  }
  const ms = performance.now() - t0;
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
  const t0 = performance.now();
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
  record(name, n * rounds, bytes * rounds, performance.now() - t0, `${n} frames per call, ${fmt(records)} records`);
}

function makeStream(pool: Frame[], n: number): Uint8Array[] {
  let s = 7;
  const rand = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 0x100000000; };
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) out.push(vary(pool[i % pool.length], rand));
  return out;
}

async function benchFile(path: string, size: number, materialize: boolean): Promise<void> {
  const t0 = performance.now();
  const it = scanCapture(path, { materialize });
  let records = 0;
  let counters;
  for (;;) {
    const s = await it.next();
    if (s.done) { counters = s.value; break; }
    records += s.value.count;
  }
  const ms = performance.now() - t0;
  record(`WASM whole file${materialize ? ' (records as objects)' : ' (counted)'}`, counters.frames, size, ms, `${fmt(records)} records`);
}

function benchJsFile(path: string, size: number): JsCounts {
  const c = emptyJsCounts();
  let out: JsRecord[] = [];
  const fd = openSync(path, 'r');
  const CH = 16 << 20;
  const buf = Buffer.alloc(CH + (1 << 20));
  let have = readSync(fd, buf, 0, 24, 0);
  let pos = have;
  const linkType = buf.readUInt32LE(20);
  have = 0;
  const t0 = performance.now();
  for (;;) {
    const n = readSync(fd, buf, have, CH, pos);
    pos += n;
    have += n;
    let o = 0;
    while (o + 16 <= have) {
      const len = buf.readUInt32LE(o + 8);
      if (o + 16 + len > have) break;
      jsDecodeFrame(buf.subarray(o + 16, o + 16 + len), linkType, c, out);
      o += 16 + len;
    }
    out = []; // records are made and dropped per chunk, like the WASM whole-file run
    buf.copyWithin(0, o, have);
    have -= o;
    if (n === 0) break;
  }
  closeSync(fd);
  record('pure JS (link/IP walk + dns-packet), whole file', c.frames, size, performance.now() - t0, `${fmt(c.dns + c.syn + c.synack)} records as JS objects`);
  return c;
}

function benchTool(name: string, cmd: string, args: string[], frames: number, size: number): void {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  const ms = performance.now() - t0;
  if (r.error || r.status !== 0) {
    console.log(`  ${name.padEnd(44)} failed: ${r.error?.message ?? r.stderr.toString().split('\n').slice(-3).join(' ')}`);
    return;
  }
  record(name, frames, size, ms, 'output to /dev/null');
}

async function main(): Promise<void> {
  console.log(`decoder benchmark: Node ${process.version}, capture of ${fmt(BYTES)}B in ${DIR}`);
  const seeds = await seedFrames();
  console.log(`seed frames from fixtures/pcap: ${seeds.dns.length} DNS responses, ${seeds.syn.length} SYN/SYN-ACK, ${seeds.other.length} other`);

  console.log('\ndecodeBatch, frames in memory (push copies each frame into WASM memory; one WASM call per 4 MiB batch):');
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
    console.log('\nwhole file, same capture:');
    await benchFile(path, size, false);
    await benchFile(path, size, true);
    benchJsFile(path, size);
    if (TOOLS) {
      benchTool('tcpdump -nn -r FILE > /dev/null', 'tcpdump', ['-nn', '-r', path], gen.frames, size);
      benchTool('tshark -r FILE -T fields (same fields)', 'tshark', ['-n', '-r', path, '-Y', 'dns.flags.response==1 || tcp.flags.syn==1', '-T', 'fields',
        '-e', 'frame.number', '-e', 'ip.src', '-e', 'ip.dst', '-e', 'ipv6.src', '-e', 'ipv6.dst', '-e', 'tcp.srcport', '-e', 'tcp.dstport',
        '-e', 'udp.srcport', '-e', 'udp.dstport', '-e', 'tcp.flags.ack', '-e', 'dns.qry.name', '-e', 'dns.a', '-e', 'dns.aaaa', '-e', 'dns.cname', '-e', 'dns.resp.ttl'], gen.frames, size);
    }
  } finally {
    if (process.env.BENCH_DECODER_KEEP !== '1') rmSync(dir, { recursive: true, force: true });
  }

  const fps = (r: Row) => r.frames / r.ms;
  for (const label of ['WASM whole file (counted)', 'WASM whole file (records as objects)']) {
    const base = rows.find((r) => r.name.startsWith(label));
    if (!base) continue;
    console.log(`\nratios (frames/s): ${label} vs`);
    for (const r of rows) {
      if (r === base || !/whole file|tcpdump|tshark/.test(r.name) || r.name.startsWith('WASM')) continue;
      console.log(`  ${r.name.padEnd(48)} ${(fps(base) / fps(r)).toFixed(1)}x`);
    }
  }
}

await main();
