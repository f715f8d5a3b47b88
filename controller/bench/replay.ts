// `npm run bench:replay`: `netmapper replay` as a whole process, by CPU time (user + sys), beside
// decoding the same file alone (the WASM decoder counting records, and `netmapper decode`), on two
// captures: the decoder bench's generator (diverse flows: random clients, many names) and the
// Online Boutique capture repeated (cluster-like: few workloads, the same names again and again),
// both replayed against the Online Boutique snapshot.
// Env: BENCH_REPLAY_BYTES (capture size, default 100 MB), BENCH_REPLAY_ROUNDS (default 3),
//      BENCH_REPLAY_DIR (default the OS temp dir).
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { timeInterleaved, median, type Command } from '../../parser-wasm/bench/cpu-time.ts';
import { generateCapture, repeatCapture, seedFrames } from '../../parser-wasm/bench/generate.ts';
import { buildChild, netmapperEntry } from '../../parser-wasm/bench/whole-process.ts';
import { scanCapture } from '../../parser-wasm/src/index.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SNAPSHOT_YAML = join(ROOT, 'fixtures/online-boutique/cluster.yaml');
let SNAPSHOT = SNAPSHOT_YAML;
const OB_CAPTURE = join(ROOT, 'fixtures/online-boutique/capture.pcap');
const BYTES = Number(process.env.BENCH_REPLAY_BYTES ?? 100e6);
const ROUNDS = Number(process.env.BENCH_REPLAY_ROUNDS ?? 3);
const DIR = process.env.BENCH_REPLAY_DIR ?? tmpdir();

async function countRecords(path: string): Promise<{ frames: number; records: number }> {
  const it = scanCapture(path, { materialize: false });
  let records = 0;
  for (;;) {
    const s = await it.next();
    if (s.done) return { frames: s.value.frames, records };
    records += s.value.count;
  }
}

const k = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : `${(n / 1e3).toFixed(0)} k`);

async function benchCapture(label: string, path: string): Promise<void> {
  const size = statSync(path).size;
  const { frames, records } = await countRecords(path);
  console.log(`\n${label}: ${k(frames)} frames, ${k(records)} decoded records, ${(size / 1e6).toFixed(0)} MB`);
  const node = process.execPath;
  const entry = netmapperEntry();
  const replay: Command = { name: 'netmapper replay --cluster OB FILE', cmd: node, args: [entry, 'replay', '--cluster', SNAPSHOT, path], cwd: ROOT };
  const decode: Command = { name: 'netmapper decode FILE', cmd: node, args: [entry, 'decode', path], cwd: ROOT };
  const count: Command = { name: 'decode only: WASM, records counted', cmd: node, args: [buildChild(dir), 'wasm-count', path], cwd: ROOT };
  const results = timeInterleaved([replay, decode, count], ROUNDS);
  const cpu = new Map<string, number>();
  for (const r of results) {
    if (!r.runs.length) { console.log(`  ${r.command.name.padEnd(38)} failed: ${r.error}`); continue; }
    const c = median(r.runs.map((x) => x.cpu));
    cpu.set(r.command.name, c);
    const rss = median(r.runs.map((x) => x.maxRssMb));
    console.log(`  ${r.command.name.padEnd(38)} ${c.toFixed(2).padStart(6)} CPU-s (${r.runs.map((x) => x.cpu.toFixed(2)).join(' ')})  ${k(records / c).padStart(8)} records/s  ${(size / 1e6 / c).toFixed(0).padStart(4)} MB/s  max RSS ${rss.toFixed(0)} MB`);
  }
  const ratio = (cpu.get(replay.name) ?? NaN) / (cpu.get(count.name) ?? NaN);
  console.log(`  replay / decode-only CPU: ${ratio.toFixed(1)}× (aim: under 5×); load average now ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
}

console.log(`replay benchmark: Node ${process.version}, captures of ${(BYTES / 1e6).toFixed(0)} MB, median of ${ROUNDS} interleaved runs, CPU time of the whole process, output to /dev/null; netmapper: ${netmapperEntry().replace(ROOT, '')}`);
const dir = mkdtempSync(join(DIR, 'replay-bench-'));
try {
  // The snapshot as JSON (the loader reads either): parsing the YAML is a fixed ~0.3 CPU-s that is not the pipeline.
  SNAPSHOT = join(dir, 'cluster.json');
  const docs = parseAllDocuments(readFileSync(SNAPSHOT_YAML, 'utf8')).map((d) => d.toJSON());
  writeFileSync(SNAPSHOT, JSON.stringify(docs.length === 1 ? docs[0] : { apiVersion: 'v1', kind: 'List', items: docs }));
  const diverse = join(dir, 'diverse.pcap');
  await generateCapture(diverse, BYTES, await seedFrames());
  await benchCapture('diverse (the generator: 50% DNS responses, 30% SYN/SYN-ACK, random clients)', diverse);
  const cluster = join(dir, 'cluster-like.pcap');
  repeatCapture(OB_CAPTURE, cluster, BYTES);
  await benchCapture('cluster-like (the Online Boutique capture repeated, time shifted per copy)', cluster);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
