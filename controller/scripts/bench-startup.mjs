// `npm run bench:startup`: whole-process CPU time (user+sys, GNU time's getrusage of the child) and
// peak RSS of `netmapper --help`, `netmapper decode` of an empty capture (start-up of the decoder: the
// decode chunks, the WASM compiled and instantiated), `netmapper replay` (the bundled fixture) and `netmapper serve --help`,
// the built dist/ beside the old path (TypeScript through tsx, as controller/bin/netmapper.js ran it).
// Runs are interleaved (built, tsx, built, ...) so load on the machine hits both alike. A figure, not a test.
// Usage: node controller/scripts/bench-startup.mjs [--runs N]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildDist } from './build.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TIME = '/usr/bin/time';
const TARGETS = { help: 0.15, replay: 0.5 };

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const runs = Number(values.runs);
if (!existsSync(TIME)) { console.error(`bench:startup: needs GNU time at ${TIME} (apt-get install time)`); process.exit(1); }

const { outdir } = await buildDist();
const TSX = ['--import', 'tsx', join(ROOT, 'controller/src/cli/main.ts')];
/** tsx keeps a transform cache in the temp dir; the image ran with it off (TSX_DISABLE_CACHE=1). */
const paths = {
  built: { args: [join(outdir, 'netmapper.js')], env: {} },
  'tsx (warm cache)': { args: TSX, env: {} },
  'tsx (no cache, as the image)': { args: TSX, env: { TSX_DISABLE_CACHE: '1' } },
};
/** A pcap with its file header and no packets: `decode` pays everything but decoding. */
const emptyDir = mkdtempSync(join(tmpdir(), 'bench-startup-'));
const EMPTY = join(emptyDir, 'empty.pcap');
writeFileSync(EMPTY, Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000', 'hex'));
process.on('exit', () => rmSync(emptyDir, { recursive: true, force: true }));
const commands = { help: ['--help'], 'decode EMPTY': ['decode', EMPTY], replay: ['replay'], 'serve --help': ['serve', '--help'] };

/** One run: CPU seconds (user+sys) and max RSS in MB of the whole child process. */
function measure({ args, env }, argv) {
  args = [...args, ...argv];
  const r = spawnSync(TIME, ['-f', '%U %S %M', process.execPath, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, KUBERNETES_SERVICE_HOST: '', ...env } });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const [user, sys, rssKb] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { cpu: user + sys, rss: rssKb / 1024 };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const rows = [];
for (const [name, argv] of Object.entries(commands)) {
  const got = Object.fromEntries(Object.keys(paths).map((p) => [p, []]));
  for (let i = 0; i < runs; i++) for (const p of Object.keys(paths)) got[p].push(measure(paths[p], argv));
  for (const p of Object.keys(paths)) {
    const cpu = got[p].map((x) => x.cpu);
    rows.push([`netmapper ${name}`, p, median(cpu).toFixed(2), Math.min(...cpu).toFixed(2), median(got[p].map((x) => x.rss)).toFixed(0),
      p === 'built' && TARGETS[name] !== undefined ? (median(cpu) <= TARGETS[name] ? `<= ${TARGETS[name]} ok` : `> ${TARGETS[name]} OVER`) : '']);
  }
}
const head = ['command', 'path', 'CPU-s median', 'CPU-s min', 'RSS MB', 'target'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(`startup, ${runs} interleaved runs each, CPU = user+sys of the whole process (GNU time), Node ${process.version}`);
console.log(line(head));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
