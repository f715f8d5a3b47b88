// The seam to the sniffer's one HTTP reporter (batching, retry with backoff, rotating token, bounded
// backlog). The reporter is typed for connection records today; `istio` records ride the same envelope.
// Only this file knows that, so the watcher moves to the contract's record union in one place.

import type { HttpRecord } from '../../controller/contract/schema.ts';
import type { Logger } from '../../controller/common/log.ts';
import { createSnifferMetrics, type Metrics } from '../src/metrics.ts';
import { createReporter, type Reporter } from '../src/reporter.ts';

export interface Delivery {
  deliver(records: HttpRecord[]): void;
  reporter: Reporter;
  /** The reporter's own metrics (reports sent/failed, backlog), rendered with the watcher's. */
  reporterMetrics: Metrics;
}

export function createDelivery(opts: { controllerUrl: string; name: string; tokenFile: string; backlogMax: number; log: Logger }): Delivery {
  const sm = createSnifferMetrics();
  const reporter = createReporter({
    controllerUrl: opts.controllerUrl, node: opts.name, tokenFile: opts.tokenFile, backlogMax: opts.backlogMax, metrics: sm, log: opts.log,
  });
  return {
    reporter,
    reporterMetrics: sm.registry,
    deliver: (records) => reporter.enqueue(records as unknown as Parameters<Reporter['enqueue']>[0]),
  };
}
