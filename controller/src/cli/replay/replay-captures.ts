// Offline replay: capture files → the sniffer's reports (decoded in WASM, aggregated per interval,
// several captures merged in time order) → the controller's ingest against a snapshot cluster view
// → a fresh intent store. The same code a live node and controller run, with files instead of sockets:
// the CLI is the one place that composes the sniffer's pipeline with the controller's core.

import { stat } from 'node:fs/promises';
import { replayReports } from '../../../../sniffer/src/replay.ts';
import { buildReport } from '../../../../sniffer/src/reports.ts';
import type { KafkaRecord, Report } from '../../../contract/schema.ts';
import type { CaptureProgress } from '../../../../parser-wasm/src/index.ts';
import { loadSnapshotView, type SnapshotView } from '../../cluster/snapshot.ts';
import { createCore, keptAnnotations } from '../../core.ts';
import type { IntentStore } from '../../store/index.ts';
import { NetmapperError } from '../../../common/errors.ts';
import { normaliseOwnReport, ownLastSeenMs } from './own-records.ts';

export interface ReplayInput {
  captures: string[];
  snapshots: string[];
  clusterDomain?: string;
  /** Pod label naming the workload, as the controller's --workload-label. */
  workloadLabel?: string;
  /** As the controller's --workload-name-annotation. */
  workloadNameAnnotation?: string;
  /** As the controller's --min-server-age (default 5 minutes). */
  minServerAgeMs?: number;
  /** Report interval in capture time, seconds (default 1, the sniffer's default). */
  intervalSeconds?: number;
  excludeNamespaces?: string[];
  onProgress?: (capture: string, p: CaptureProgress) => void;
  /** The Kafka watcher's records (from authorizer logs beside the captures), ingested after them. */
  kafkaRecords?: KafkaRecord[];
}

export interface ReplayStats {
  reports: number;
  records: number;
  resolved: number;
  /** Records the report contract refused, by reason (none from our own sniffer pipeline, unless a bug). */
  skipped: Record<string, number>;
  /** Records not resolved to an intent, by reason (host network, unknown IP, ...). */
  unresolved: Record<string, number>;
}

export interface ReplayResult { store: IntentStore; view: SnapshotView; stats: ReplayStats }

/** Unusable input named by the file it came from; the CLI exits 1 with its message. */
export class ReplayInputError extends NetmapperError {
  constructor(readonly file: string, message: string, options?: { cause?: unknown }) {
    super('replay-input', message, options);
  }
}

async function checkReadable(kind: string, file: string): Promise<void> {
  let s;
  try {
    s = await stat(file);
  } catch (err) {
    throw new ReplayInputError(file, `${kind} ${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
  if (!s.isFile()) throw new ReplayInputError(file, `${kind} ${file}: not a regular file`);
}

/**
 * Replays captures against snapshots into a new store.
 * @example const { store } = await replayCaptures({ captures: ['node-a.pcap'], snapshots: ['cluster.yaml'] })
 */
export async function replayCaptures(input: ReplayInput): Promise<ReplayResult> {
  for (const f of input.snapshots) await checkReadable('snapshot', f);
  for (const f of input.captures) await checkReadable('capture', f);
  // The controller's own composition root, so replay resolves exactly as a running controller would.
  const view = await loadSnapshotView(input.snapshots, { keepAnnotations: keptAnnotations(input) });
  const { store, ingest } = createCore({ cluster: view, config: input });
  const stats: ReplayStats = { reports: 0, records: 0, resolved: 0, skipped: {}, unresolved: {} };
  const reports = replayReports(input.captures, {
    node: 'replay',
    ...(input.intervalSeconds !== undefined ? { intervalSeconds: input.intervalSeconds } : {}),
    ...(input.onProgress ? { onProgress: input.onProgress } : {}),
    timedRecords: true,
  });
  // The watcher's records go through the same ingest, normalised by the contract like its live reports.
  const kafka: Report[] = input.kafkaRecords?.length ? [{ ...buildReport('replay-kafka', new Date(), []), records: input.kafkaRecords }] : [];
  const add = (r: Awaited<ReturnType<typeof ingest>>) => {
    stats.reports++;
    stats.records += r.accepted;
    for (const [reason, n] of Object.entries(r.skipped)) stats.skipped[reason] = (stats.skipped[reason] ?? 0) + n;
    stats.resolved += r.resolved;
    for (const [reason, n] of Object.entries(r.unresolved)) stats.unresolved[reason] = (stats.unresolved[reason] ?? 0) + n;
  };
  // Our own pipeline's records are judged as the contract would judge them, without ajv per record
  // (own-records.ts), and their times go to ingest as numbers.
  for await (const report of reports) add(await ingest(report, undefined, { normalised: normaliseOwnReport(report), lastSeenMs: ownLastSeenMs }));
  for (const report of kafka) add(await ingest(report));
  return { store, view, stats };
}
