// Seeded fuzzing of the decoder: mutated real frames, random bytes and mutated capture files.
// Asserts no trap, no exception other than CaptureFormatError, and counters that add up.
// Usage: tsx parser-wasm/scripts/fuzz.ts [--seed N] [--frames N] [--files N]
// (CI runs a bounded pass from parser-wasm/test/fuzz.int.test.ts under a hard timeout.)
import { readdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDecoder, decodeFile, CaptureFormatError, type DecodedRecord } from '../src/index.ts';
import type { DecoderCounters } from '../src/read-back.ts';
import { readPcapFrames, type Frame } from '../../fixtures/test-support/pcap-frames.ts';

const PCAP = fileURLToPath(new URL('../../fixtures/pcap/', import.meta.url));
const LINK_TYPES = [0, 1, 1, 1, 12, 101, 108, 113, 113, 228, 229, 239, 276, 276];

/** xorshift32: small, seedable, good enough to pick mutations. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 0x100000000;
  };
}

const INTERESTING = [0x00, 0xff, 0xc0, 0xc0, 0x3f, 0x40, 0x80, 0x7f, 0x01, 0x35, 0x02, 0x12];

export function mutate(src: Uint8Array, rand: () => number, other: Uint8Array): Uint8Array {
  let b = new Uint8Array(src);
  const n = 1 + Math.floor(rand() * rand() * 6); // mostly one or two changes: keep frames near-valid
  const at = () => Math.floor(rand() * Math.max(1, b.length));
  for (let i = 0; i < n; i++) {
    const op = Math.floor(rand() * 7);
    if (b.length === 0 && op < 5) continue;
    if (op === 0) b[at()] ^= 1 << Math.floor(rand() * 8);
    else if (op === 1) b[at()] = INTERESTING[Math.floor(rand() * INTERESTING.length)];
    else if (op === 2) { const p = at(); b[p] = rand() * 256; if (p + 1 < b.length) b[p + 1] = rand() * 256; }
    else if (op === 3) b = b.subarray(0, at());
    else if (op === 4) { const p = at(); b.copyWithin(p, Math.floor(rand() * b.length)); }
    else if (op === 5) { const extra = new Uint8Array(Math.floor(rand() * 64)); for (let j = 0; j < extra.length; j++) extra[j] = rand() * 256; b = concat(b, extra); }
    else { const cut = Math.floor(rand() * other.length); b = concat(b.subarray(0, at()), other.subarray(cut)); }
  }
  return b;
}

function concat(a: Uint8Array, c: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + c.length);
  out.set(a);
  out.set(c, a.length);
  return out;
}

export function checkCounters(c: DecoderCounters, what: string): void {
  const skipped = Object.values(c.skipped).reduce((a, b) => a + b, 0);
  if (c.frames !== c.framesDecoded + skipped - c.nonFrameSkips) {
    throw new Error(`${what}: counters do not add up: ${JSON.stringify(c)}`);
  }
}

function checkRecord(r: DecodedRecord, what: string): void {
  const ok = r.sport >= 0 && r.sport <= 65535 && r.dport >= 0 && r.dport <= 65535 && Number.isFinite(r.ts)
    && (r.kind !== 'dns' || (r.name.length <= 253 && r.rcode <= 15 && r.answers.every((a) => a.name.length <= 253 && a.value.length <= 253)));
  if (!ok) throw new Error(`${what}: implausible record ${JSON.stringify(r)}`);
}

export function seedFrames(): Frame[] {
  const frames: Frame[] = [];
  for (const f of readdirSync(PCAP).filter((n) => n.endsWith('.pcap')).sort()) {
    try { frames.push(...readPcapFrames(PCAP + f)); } catch { /* pcapng behind a .pcap name */ }
  }
  return frames;
}

export interface FuzzResult { frames: number; records: number; files: number; formatErrors: number; counters: DecoderCounters }

export async function fuzzFrames(seed: number, count: number): Promise<FuzzResult> {
  const rand = rng(seed);
  const seeds = seedFrames();
  const d = await createDecoder({ batchBytes: 256 * 1024 });
  let records = 0;
  const kinds = { dns: 0, syn: 0, synack: 0 };
  const drain = () => {
    for (const r of d.decodeBatch()) { checkRecord(r, `seed ${seed}`); kinds[r.kind]++; records++; }
  };
  for (let i = 0; i < count; i++) {
    let data: Uint8Array;
    if (rand() < 0.1) {
      data = new Uint8Array(Math.floor(rand() * 1600));
      for (let j = 0; j < data.length; j++) data[j] = rand() * 256;
    } else {
      const s = seeds[Math.floor(rand() * seeds.length)];
      data = mutate(s.data, rand, seeds[Math.floor(rand() * seeds.length)].data);
    }
    const lt = rand() < 0.85 ? seeds[Math.floor(rand() * seeds.length)].linkType : LINK_TYPES[Math.floor(rand() * LINK_TYPES.length)];
    if (!d.push(data, i, lt)) { drain(); d.push(data, i, lt); }
  }
  drain();
  const c = d.counters;
  checkCounters(c, `frames seed ${seed}`);
  if (c.frames !== count) throw new Error(`seed ${seed}: ${count} frames pushed, ${c.frames} counted`);
  if (c.records.dns !== kinds.dns || c.records.syn !== kinds.syn || c.records.synack !== kinds.synack) {
    throw new Error(`seed ${seed}: record counters ${JSON.stringify(c.records)} but saw ${JSON.stringify(kinds)}`);
  }
  return { frames: count, records, files: 0, formatErrors: 0, counters: c };
}

export async function fuzzFiles(seed: number, count: number): Promise<FuzzResult> {
  const rand = rng(seed);
  const files = readdirSync(PCAP).filter((n) => /\.(pcap|pcapng)$/.test(n)).sort().map((n) => readFileSync(PCAP + n));
  const dir = mkdtempSync(join(tmpdir(), 'decoder-fuzz-'));
  let formatErrors = 0;
  let records = 0;
  let frames = 0;
  try {
    for (let i = 0; i < count; i++) {
      const src = files[Math.floor(rand() * files.length)];
      let data: Uint8Array;
      if (rand() < 0.05) {
        data = new Uint8Array(Math.floor(rand() * 4096));
        for (let j = 0; j < data.length; j++) data[j] = rand() * 256;
      } else {
        // Mutations concentrated near the start hit the file and block headers.
        data = new Uint8Array(src);
        const n = 1 + Math.floor(rand() * 8);
        for (let k = 0; k < n; k++) {
          const p = rand() < 0.5 ? Math.floor(rand() * Math.min(data.length, 256)) : Math.floor(rand() * data.length);
          data[p] = rand() < 0.5 ? INTERESTING[Math.floor(rand() * INTERESTING.length)] : rand() * 256;
        }
        if (rand() < 0.2) data = data.subarray(0, Math.floor(rand() * data.length));
      }
      const path = join(dir, `f${i}.cap`);
      writeFileSync(path, data);
      try {
        const got = await decodeFile(path);
        checkCounters(got.counters, `file seed ${seed} #${i}`);
        for (const r of got.records) checkRecord(r, `file seed ${seed} #${i}`);
        records += got.records.length;
        frames += got.counters.frames;
      } catch (err) {
        if (!(err instanceof CaptureFormatError)) throw new Error(`file seed ${seed} #${i}: ${String(err)}`, { cause: err });
        formatErrors++;
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { frames, records, files: count, formatErrors, counters: { frames, bytes: 0, records: { dns: 0, syn: 0, synack: 0 }, skipped: {}, framesDecoded: 0, nonFrameSkips: 0 } };
}

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const seed = arg('--seed', Date.now() % 0x7fffffff);
  const frames = arg('--frames', 1_000_000);
  const fileCount = arg('--files', 2000);
  const t0 = performance.now();
  const f = await fuzzFrames(seed, frames);
  const g = await fuzzFiles(seed, fileCount);
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ seed, frames: f.frames, records: f.records, skipped: f.counters.skipped, files: g.files, fileFrames: g.frames, fileRecords: g.records, notACapture: g.formatErrors, ms: Math.round(ms) }));
}
