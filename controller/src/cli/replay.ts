// `netmapper replay [list|export|visualize] --cluster SNAPSHOT CAPTURE...`: the map from capture files,
// offline. With no captures and no --cluster it replays the bundled Online Boutique fixture.

import { fileURLToPath } from 'node:url';
import { parseReplayFlags, replayUsage, UsageError, type ReplayFlags } from '../replay/flags.ts';
import { checkOutputFlags, writeOutput, type Io } from '../replay/output.ts';
import { ReplayInputError, replayCaptures, type ReplayStats } from '../replay/replay-captures.ts';
import { createProgress } from '../replay/progress.ts';

/** The README's main command replays these. */
export const BUNDLED_SNAPSHOT = fileURLToPath(new URL('../../../fixtures/online-boutique/cluster.yaml', import.meta.url));
export const BUNDLED_CAPTURE = fileURLToPath(new URL('../../../fixtures/online-boutique/capture.pcap', import.meta.url));

const processIo: Io = {
  stdout: (s) => { process.stdout.write(s); },
  stderr: (s) => { process.stderr.write(s); },
};

/** Error classes that mean "this input cannot be used" (they name the file), not a bug. */
const INPUT_ERRORS = new Set(['ReplayInputError', 'SnapshotError', 'ObjectFieldError', 'CaptureFormatError', 'DecoderBuildError']);

function summary(s: ReplayStats): string {
  const reasons = Object.entries(s.unresolved).map(([r, n]) => `${r} ${n}`).join(', ');
  return `replay: ${s.records} records in ${s.reports} reports, ${s.resolved} resolved${reasons ? `; not resolved: ${reasons}` : ''}\n`;
}

export async function run(argv: string[], io: Io = processIo, isTty = process.stderr.isTTY === true): Promise<number> {
  let flags: ReplayFlags;
  try {
    flags = parseReplayFlags(argv);
    if (flags.help) { io.stdout(replayUsage()); return 0; }
    if (flags.captures.length === 0 && flags.snapshots.length === 0) {
      flags.captures = [BUNDLED_CAPTURE];
      flags.snapshots = [BUNDLED_SNAPSHOT];
    } else if (flags.snapshots.length === 0) {
      throw new UsageError('--cluster SNAPSHOT is required with captures (a kubectl get ... -A -o yaml dump of the cluster they came from)');
    } else if (flags.captures.length === 0) {
      throw new UsageError('no CAPTURE given: name one or more pcap or pcapng files after the flags');
    }
    checkOutputFlags(flags);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`netmapper replay: ${err.message}\nRun 'netmapper replay --help' for usage.\n`);
      return 2;
    }
    throw err;
  }

  const progress = isTty ? createProgress((s) => io.stderr(s)) : undefined;
  try {
    const { store, stats } = await replayCaptures({
      captures: flags.captures,
      snapshots: flags.snapshots,
      ...(flags.clusterDomain !== undefined ? { clusterDomain: flags.clusterDomain } : {}),
      ...(flags.workloadLabel !== undefined ? { workloadLabel: flags.workloadLabel } : {}),
      ...(flags.minServerAgeMs !== undefined ? { minServerAgeMs: flags.minServerAgeMs } : {}),
      ...(flags.intervalSeconds !== undefined ? { intervalSeconds: flags.intervalSeconds } : {}),
      ...(progress ? { onProgress: progress.update } : {}),
    });
    progress?.done();
    if (isTty) io.stderr(summary(stats));
    await writeOutput(flags, store, io);
    return 0;
  } catch (err) {
    progress?.done();
    if (err instanceof Error && (INPUT_ERRORS.has(err.name) || err instanceof ReplayInputError)) {
      io.stderr(`netmapper replay: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
