// What a process's resident memory is made of, from /proc/<pid>/smaps: each mapping's Rss added to
// one of a few named parts. Used by the sniffer bench to say where the sniffer's RSS goes; run alone
// as `tsx sniffer/bench/smaps.ts <pid>`.

import { readFileSync, readlinkSync } from 'node:fs';

/** An inaccessible reservation this large beside a mapping marks a WebAssembly memory (V8 reserves 8 GiB + guards). */
const WASM_GUARD_BYTES = 2 ** 30;
/** glibc's per-thread malloc arenas are 64 MiB reservations, aligned to their size (V8's worker threads use them). */
const ARENA_BYTES = 64 * 2 ** 20;

export type RssPart = 'node binary' | 'shared libraries' | 'malloc heap' | 'thread malloc arenas' | 'capture ring' | 'wasm memory' | 'anonymous (V8 heap, buffers)' | 'other';

interface Mapping { start: number; end: number; perms: string; name: string; rssKb: number }

export function readMappings(pid: number): Mapping[] {
  const out: Mapping[] = [];
  let cur: Mapping | undefined;
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      cur = { start: parseInt(head[1]!, 16), end: parseInt(head[2]!, 16), perms: head[3]!, name: head[4]!, rssKb: 0 };
      out.push(cur);
    } else if (cur && line.startsWith('Rss:')) {
      cur.rssKb = Number(/(\d+)/.exec(line)![1]);
    }
  }
  return out;
}

/**
 * Which part a mapping belongs to. libpcap's ring is an mmap of the packet socket, so it is named
 * after the socket ("socket:[inode]"); the node binary by its path.
 */
export function partOf(m: Mapping, nodeBinary: string, before?: Mapping, after?: Mapping): RssPart {
  if (m.name === nodeBinary) return 'node binary';
  if (m.name.startsWith('socket:')) return 'capture ring';
  if (m.name === '[heap]') return 'malloc heap';
  if (/\.so(\.|$)|\.node$/.test(m.name)) return 'shared libraries';
  if (m.name !== '') return 'other';
  const guard = (g?: Mapping) => g !== undefined && g.name === '' && g.perms.startsWith('---') && (g.start === m.end || g.end === m.start);
  if ((guard(before) && before!.end - before!.start >= WASM_GUARD_BYTES) || (guard(after) && after!.end - after!.start >= WASM_GUARD_BYTES)) return 'wasm memory';
  if (m.start % ARENA_BYTES === 0 && guard(after) && after!.end - m.start === ARENA_BYTES) return 'thread malloc arenas';
  return 'anonymous (V8 heap, buffers)';
}

export interface RssSnapshot { parts: Array<[RssPart, number]>; totalMb: number }

/** MB per part, largest first, plus the total. */
export function rssParts(pid: number): RssSnapshot {
  const nodeBinary = readlinkSync(`/proc/${pid}/exe`);
  const sums = new Map<RssPart, number>();
  let total = 0;
  const maps = readMappings(pid);
  for (const [i, m] of maps.entries()) {
    const part = partOf(m, nodeBinary, maps[i - 1], maps[i + 1]);
    sums.set(part, (sums.get(part) ?? 0) + m.rssKb);
    total += m.rssKb;
  }
  const parts = [...sums].sort((a, b) => b[1] - a[1]).map(([p, kb]) => [p, kb / 1024] as [RssPart, number]);
  return { parts, totalMb: total / 1024 };
}

export function formatRssParts({ parts, totalMb }: RssSnapshot): string {
  return `${totalMb.toFixed(0)} MB = ${parts.filter(([, mb]) => mb >= 0.5).map(([p, mb]) => `${p} ${mb.toFixed(0)}`).join(' + ')}`;
}

/**
 * Samples the parts every `everyMs` until stopped and keeps the largest total seen: VmHWM says how
 * high RSS went, this says what it was made of then.
 */
export function sampleLargest(pid: number, everyMs = 200): { stop(): RssSnapshot | undefined } {
  let largest: RssSnapshot | undefined;
  const take = () => {
    try {
      const s = rssParts(pid);
      if (!largest || s.totalMb > largest.totalMb) largest = s;
    } catch { /* the process is gone */ }
  };
  const timer = setInterval(take, everyMs);
  timer.unref(); // a step that throws must not keep the bench alive
  take();
  return { stop: () => { clearInterval(timer); take(); return largest; } };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(formatRssParts(rssParts(Number(process.argv[2]))));
