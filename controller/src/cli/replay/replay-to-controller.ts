// `netmapper replay --mapper-url URL CAPTURE...`: the replayed reports go to a running controller
// through the sniffer's own HTTP reporter (same batching, retries, token, 413 split), so an offline
// capture can be loaded into a live map and the HTTP path (parse, validation, durability) is the one
// exercised. Done only when every record was acknowledged.

import { replayReports } from '../../../../sniffer/src/replay.ts';
import { createReporter, type ReporterStats } from '../../../../sniffer/src/reporter.ts';
import { createSnifferMetrics } from '../../../../sniffer/src/metrics.ts';
import type { CaptureProgress } from '../../../../parser-wasm/src/index.ts';
import type { ConnectionRecord } from '../../../contract/schema.ts';
import { silentLogger, type Logger } from '../../../common/log.ts';
import { NetmapperError } from '../../../common/errors.ts';

/** Records held before the capture reader waits for the controller: memory stays flat on huge files. */
export const HIGH_WATER_RECORDS = 20_000;

export interface SendInput {
  captures: string[];
  mapperUrl: string;
  /** A file holding the bearer token (re-read per attempt, as the sniffer does); '' for none. */
  tokenFile: string;
  intervalSeconds?: number;
  /** Give up once the controller has acknowledged nothing for this long. */
  timeoutMs: number;
  onProgress?: (capture: string, p: CaptureProgress) => void;
  /** Retry warnings (stderr in the CLI). */
  log?: Logger;
  initialBackoffMs?: number;
}

export interface SendResult extends ReporterStats { reports: number; records: number }

/** Some records were not acknowledged; the message says how many and why. */
export class NotAcknowledgedError extends NetmapperError {
  constructor(message: string, readonly result: SendResult) {
    super('not-acknowledged', message);
  }
}

export async function replayToController(input: SendInput): Promise<SendResult> {
  const reporter = createReporter({
    controllerUrl: input.mapperUrl.replace(/\/+$/, ''), node: 'replay', tokenFile: input.tokenFile,
    backlogMax: Number.MAX_SAFE_INTEGER,    // replay waits instead of dropping (HIGH_WATER_RECORDS)
    metrics: createSnifferMetrics(), log: input.log ?? silentLogger,
    ...(input.initialBackoffMs !== undefined ? { initialBackoffMs: input.initialBackoffMs } : {}),
    maxBackoffMs: 5000,
  });
  const ac = new AbortController();
  const loop = reporter.runForever(ac.signal);
  const result: SendResult = { reports: 0, records: 0, ...reporter.stats() };
  const waitFor = async (what: string) => {
    if (await reporter.drained(input.timeoutMs)) return;
    Object.assign(result, reporter.stats());
    throw new NotAcknowledgedError(`${input.mapperUrl} acknowledged nothing for ${input.timeoutMs / 1000} s ${what}; ${reporter.backlog} records not delivered`, result);
  };
  try {
    const reports = replayReports(input.captures, {
      node: 'replay',
      ...(input.intervalSeconds !== undefined ? { intervalSeconds: input.intervalSeconds } : {}),
      ...(input.onProgress ? { onProgress: input.onProgress } : {}),
    });
    for await (const report of reports) {
      result.reports++;
      result.records += report.records.length;
      reporter.enqueue(report.records as ConnectionRecord[]);   // the sniffer's pipeline yields connection records only
      if (reporter.backlog > HIGH_WATER_RECORDS) await waitFor('while replaying');
    }
    await waitFor('at the end');
  } finally {
    ac.abort();
    await loop;
  }
  Object.assign(result, reporter.stats());
  if (result.recordsRejected || result.recordsDropped) {
    throw new NotAcknowledgedError(`${result.recordsRejected + result.recordsDropped} of ${result.records} records were refused by ${input.mapperUrl} (see the messages above)`, result);
  }
  return result;
}
