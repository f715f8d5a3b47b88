// A live node: capture + socket scan feeding the pipeline, intervals closed on epoch-aligned wall
// clock ticks (so live and replay cut the same traffic the same way), each closed interval queued
// for the reporter. Started and stopped by main.ts, which owns the process.

import type { SnifferConfig } from './config.ts';
import { captureFilter, openCapture, type Capture, type FrameDecoder } from './capture.ts';
import { createPipeline } from './pipeline.ts';
import { createReporter, type Reporter } from './reporter.ts';
import { createSocketScanner } from './socket-scan.ts';
import type { Logger } from '../../controller/common/log.ts';
import type { SnifferMetrics } from './metrics.ts';
import { countCaptureDrops } from './capture-drops.ts';
import { createHttpPost } from './live-http-post.ts';

/** After a boundary, wait this long before closing the interval, so frames stamped just before it are decoded. */
const CLOSE_GRACE_MS = 25;
const SHUTDOWN_DELIVERY_MS = 5000;

export interface LiveDeps {
  config: SnifferConfig;
  metrics: SnifferMetrics;
  log: Logger;
  createDecoder: () => Promise<FrameDecoder>;
  linkTypeOf: (capName: string) => number | undefined;
}

export interface LiveSniffer {
  /** Undefined when healthy, else why not. */
  health(): string | undefined;
  /** Flushes the last interval, tries to deliver the backlog for a few seconds, then stops. */
  stop(): Promise<void>;
  readonly reporter: Reporter;
}

export async function startLiveSniffer(deps: LiveDeps): Promise<LiveSniffer> {
  const { config, metrics, log } = deps;
  const filter = { dns: config.enableDns, tcp: config.enableTcp };
  const pipeline = createPipeline({ intervalMs: config.reportIntervalMs, filter, metrics });
  const reporter = createReporter({ controllerUrl: config.controllerUrl, node: config.nodeName, tokenFile: config.tokenFile, backlogMax: config.backlogMax, metrics, log, post: createHttpPost() });
  const ac = new AbortController();
  const delivery = reporter.runForever(ac.signal);

  let capture: Capture | undefined;
  const bpf = captureFilter(filter);
  if (bpf) {
    const decoder = await deps.createDecoder();
    metrics.registry.onCollect(() => {
      const c = decoder.counters;
      for (const [reason, n] of Object.entries(c.skipped)) metrics.decodeSkipped.set(n, { reason });
    });
    capture = openCapture({ devices: config.devices, filter: bpf, bufferBytes: config.captureBuffer, decoder, linkTypeOf: deps.linkTypeOf, onRecords: (r) => pipeline.addRecords(r), onRaw: (o) => pipeline.addRaw(o), metrics, log });
    log.info('capture started', { devices: config.devices, linkTypes: capture.linkTypes, filter: bpf });
    const noDrops = countCaptureDrops(metrics);
    if (noDrops) log.warn('capture drops are not counted', { reason: noDrops });
  }
  const scanner = config.enableSocketScan ? createSocketScanner({ hostProc: config.hostProc }) : undefined;

  let lastScanError: string | undefined;
  let scanning = false;
  async function scan() {
    if (!scanner || scanning) return; // a slow scan is skipped, never stacked
    scanning = true;
    try {
      const r = await scanner.scan(Date.now() / 1000);
      metrics.socketScans.inc();
      metrics.socketScanNamespaces.set(r.namespaces);
      if (r.badLines) metrics.socketScanErrors.inc(undefined, r.badLines);
      pipeline.addObservations(r.observations);
      lastScanError = undefined;
    } catch (err) {
      metrics.socketScanErrors.inc();
      lastScanError = (err as Error).message;
      log.warn('socket scan failed', { error: lastScanError });
    } finally {
      scanning = false;
    }
  }

  const ship = (closed: ReturnType<typeof pipeline.closeAll>) => {
    for (const c of closed) if (c.records.length) reporter.enqueue(c.records);
  };

  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const interval = config.reportIntervalMs;
  function schedule() {
    const now = Date.now();
    const next = Math.floor(now / interval) * interval + interval;
    timer = setTimeout(() => tick(next), next - now + CLOSE_GRACE_MS);
  }
  function tick(boundaryMs: number) {
    if (stopped) return;
    capture?.flush();
    ship(pipeline.closeBefore(boundaryMs / 1000));
    void scan();
    schedule();
  }
  void scan();
  schedule();

  return {
    reporter,
    health() {
      if (stopped) return 'stopping';
      if (scanner && lastScanError && !capture) return `socket scan failing: ${lastScanError}`;
      return undefined;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      capture?.close();
      ship(pipeline.closeAll());
      if (!(await reporter.drained(SHUTDOWN_DELIVERY_MS))) log.warn('exiting with undelivered records', { records: reporter.backlog });
      ac.abort();
      await delivery;
    },
  };
}
