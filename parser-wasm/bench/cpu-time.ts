// Whole-process CPU time (user + sys of the child, from GNU time) of commands run interleaved:
// on a shared machine wall time swings several-fold while CPU time stays within about 30 %.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GNU_TIME = '/usr/bin/time';

export interface Command { name: string; cmd: string; args: string[]; cwd?: string }
export interface CpuRun { user: number; sys: number; cpu: number; wall: number; maxRssMb: number }
export interface CpuResult { command: Command; runs: CpuRun[]; error?: string }

/** Runs `c` once with stdout to /dev/null; throws with the command's stderr tail when it fails. */
export function timeOnce(c: Command): CpuRun {
  const dir = mkdtempSync(join(tmpdir(), 'cpu-time-'));
  const out = join(dir, 'time.txt');
  try {
    const r = spawnSync(GNU_TIME, ['-f', '%U %S %e %M', '-o', out, c.cmd, ...c.args], {
      cwd: c.cwd, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 24,
    });
    if (r.error) throw r.error;
    if (r.status !== 0) throw new Error(`exit ${r.status}: ${r.stderr.toString().trim().split('\n').slice(-3).join(' | ')}`);
    const line = readFileSync(out, 'utf8').trim().split('\n').pop() ?? '';
    const [user, sys, wall, rssKb] = line.split(' ').map(Number);
    if (![user, sys, wall, rssKb].every(Number.isFinite)) throw new Error(`unreadable GNU time output: ${line}`);
    return { user, sys, cpu: user + sys, wall, maxRssMb: rssKb / 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `rounds` rounds; in each, every command once, the order rotated round by round so that no
 * command always runs right after the same neighbour. A command that fails is dropped.
 */
export function timeInterleaved(commands: Command[], rounds: number, onRun?: (c: Command, r: CpuRun) => void): CpuResult[] {
  const results: CpuResult[] = commands.map((command) => ({ command, runs: [] }));
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < results.length; k++) {
      const res = results[(k + round) % results.length];
      if (res.error) continue;
      try {
        const run = timeOnce(res.command);
        res.runs.push(run);
        onRun?.(res.command, run);
      } catch (err) {
        res.error = err instanceof Error ? err.message : String(err);
      }
    }
  }
  return results;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
