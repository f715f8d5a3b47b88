// `tsx sniffer/bench/pipeline.ts [CAPTURE]`: the live sniffer's JavaScript per frame, without the
// kernel or libpcap: frames of a capture pushed into the decoder as capture.ts pushes them (one
// copy per frame, a decode every 256 frames), aggregated by the pipeline, an interval closed every
// capture second. CPU time per frame, in-process, after one warm-up pass. Default capture: the
// decoder bench's generator, 200k frames (half DNS responses).
// BENCH_BASE=DIR also measures the same loop with the sniffer sources under DIR (an older checkout).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { generateCapture, seedFrames } from '../../parser-wasm/bench/generate.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function readPcap(path: string): Array<{ data: Uint8Array; ts: number; linkType: number }> {
  const b = readFileSync(path);
  if (b.readUInt32LE(0) !== 0xa1b2c3d4) throw new Error(`${path}: only little-endian microsecond pcap here`);
  const linkType = b.readUInt32LE(20);
  const out = [];
  for (let at = 24; at + 16 <= b.length;) {
    const len = b.readUInt32LE(at + 8);
    out.push({ data: b.subarray(at + 16, at + 16 + len), ts: b.readUInt32LE(at) + b.readUInt32LE(at + 4) / 1e6, linkType });
    at += 16 + len;
  }
  return out;
}

async function measure(root: string, frames: ReturnType<typeof readPcap>): Promise<number> {
  const { createDecoder } = await import(join(root, 'parser-wasm/src/index.ts'));
  const { createPipeline } = await import(join(root, 'sniffer/src/pipeline.ts'));
  const run = async () => {
    const decoder = await createDecoder();
    const pipeline = createPipeline({ intervalMs: 1000, filter: { dns: true, tcp: true } });
    const raw = typeof pipeline.addRaw === 'function' && typeof decoder.decodeBatchRaw === 'function';
    const visit = (o: unknown) => pipeline.addRaw(o);
    const flush = () => { if (raw) decoder.decodeBatchRaw(visit); else pipeline.addRecords(decoder.decodeBatch()); };
    let second = Math.floor(frames[0]!.ts), records = 0;
    const c0 = process.cpuUsage();
    for (const f of frames) {
      if (!decoder.push(f.data, f.ts, f.linkType)) { flush(); decoder.push(f.data, f.ts, f.linkType); }
      if (decoder.pending >= 256) flush();
      if (f.ts >= second + 1) { second = Math.floor(f.ts); flush(); for (const c of pipeline.closeBefore(second)) records += c.records.length; }
    }
    flush();
    for (const c of pipeline.closeAll()) records += c.records.length;
    const c = process.cpuUsage(c0);
    return { cpu: (c.user + c.system) / 1e6, records };
  };
  await run();
  const runs = [await run(), await run(), await run()];
  const cpu = runs.map((r) => r.cpu).sort((a, b) => a - b)[1]!;
  console.log(`  ${root === ROOT ? 'this checkout' : root}: ${(cpu * 1e6 / frames.length).toFixed(2)} µs CPU per frame (${cpu.toFixed(3)} CPU-s for ${frames.length} frames, ${runs[0]!.records} report records)`);
  return cpu;
}

let capture = process.argv[2];
if (!capture) {
  capture = join(tmpdir(), 'sniffer-pipeline-bench.pcap');
  await generateCapture(capture, 20e6, await seedFrames());
}
const frames = readPcap(capture);
console.log(`sniffer pipeline benchmark: ${frames.length} frames of ${capture}; median of 3 runs after a warm-up`);
const now = await measure(ROOT, frames);
if (process.env.BENCH_BASE) {
  const base = await measure(process.env.BENCH_BASE, frames);
  console.log(`  before ÷ now: ${(base / now).toFixed(2)}×`);
}
