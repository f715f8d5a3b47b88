// The Kafka watcher's entry point (the image's third role): reads settings, wires the log source
// (Kubernetes log streams or a tailed file) to the access table, reports every interval through the
// one reporter, serves /healthz and /metrics, and turns signals into exit codes (0 stop, 1 failure, 2 settings).

import { access, constants } from 'node:fs/promises';
import { KubeConfig } from '@kubernetes/client-node';
import { createLogger } from '../../controller/common/log.ts';
import { createMetrics } from '../../controller/common/metrics.ts';
import { startHealthServer } from '../src/health-server.ts';
import { createAccessTable } from './accesses.ts';
import { ConfigError, HelpRequested, helpText, loadConfig } from './config.ts';
import { createKafkaReporter } from './deliver.ts';
import { tailFile } from './file-tail.ts';
import { startKubernetesMode } from './kubernetes-mode.ts';
import { createWatcherMetrics } from './metrics.ts';

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let config;
  try {
    config = loadConfig(argv, env);
    if (config.tokenFile) await access(config.tokenFile, constants.R_OK).catch((err: Error) => { throw new ConfigError('--token-file', `invalid --token-file: ${err.message}`); });
  } catch (err) {
    if (err instanceof HelpRequested) { process.stdout.write(helpText()); return 0; }
    if (err instanceof ConfigError) { process.stderr.write(`kafka-watcher: ${err.message}\n`); return 2; }
    throw err;
  }
  const log = createLogger(config.logLevel);
  const metrics = createWatcherMetrics(createMetrics({ processMetrics: true }));
  const stop = new AbortController();
  const table = createAccessTable({ metrics, timeSource: config.mode === 'kubernetes' ? 'stream' : 'read' });
  const reporter = createKafkaReporter({ controllerUrl: config.controllerUrl, node: config.watcherName, tokenFile: config.tokenFile, backlogMax: config.backlogMax, metrics, log });
  const delivering = reporter.runForever(stop.signal);
  const flush = setInterval(() => { const r = table.take(); if (r.length) reporter.enqueue(r); }, config.reportIntervalMs);

  let source: { stop(): Promise<void> };
  try {
    if (config.mode === 'kubernetes') {
      const kc = new KubeConfig();
      kc.loadFromDefault();   // in a pod: the service account; elsewhere: $KUBECONFIG or ~/.kube/config
      source = await startKubernetesMode({ kc, targets: config.targets!, ...(config.container ? { container: config.container } : {}), table, metrics, log, lookbackMs: config.lookbackMs });
    } else {
      const broker = { namespace: config.podNamespace, name: config.podName };
      metrics.brokers.set(1);
      const tailStop = new AbortController();
      const tailing = tailFile({
        path: config.logFile, from: config.fileFrom,
        onLine: (line, truncated) => table.line(broker, line, undefined, truncated),
        onEvent: (event, detail) => log.info(`log file ${event}`, { path: detail }),
      }, tailStop.signal);
      source = { stop: () => { tailStop.abort(); return tailing; } };
    }
  } catch (err) {
    log.error('start-up failed', { error: (err as Error).message });
    stop.abort(); clearInterval(flush);
    return 1;
  }
  let health;
  try {
    health = await startHealthServer({ port: config.healthPort, metrics: metrics.registry, healthy: () => undefined });
  } catch (err) {
    log.error('start-up failed', { error: (err as Error).message });
    stop.abort(); clearInterval(flush);
    await source.stop();
    return 1;
  }
  log.info('kafka watcher running', { mode: config.mode, controller: config.controllerUrl, reportIntervalMs: config.reportIntervalMs, healthPort: health.port });

  const signal = await new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  log.info('stopping', { signal });
  clearInterval(flush);
  await source.stop();
  const last = table.take();
  if (last.length) reporter.enqueue(last);
  await reporter.drained(5000);
  stop.abort();
  await delivering;
  await health.close();
  return 0;
}

main(process.argv.slice(2), process.env).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`kafka-watcher: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);   // a bug, not a state to linger in: the log source and the reporter would keep running
  },
);
