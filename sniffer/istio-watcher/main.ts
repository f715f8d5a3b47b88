// The Istio watcher's main (entry.ts runs it; dist/istio-watcher.js): reads settings, wires pod discovery,
// the scrape loop, the reporter and the health server, and turns signals and errors into exit codes
// (0 clean stop, 1 runtime failure, 2 bad settings).

import { access, constants } from 'node:fs/promises';
import { KubeConfig } from '@kubernetes/client-node';
import { startHealthServer } from '../src/health-server.ts';
import { createLogger } from '../../controller/common/log.ts';
import { ConfigError, HelpRequested, helpText, loadWatcherConfig, type IstioWatcherConfig } from './config.ts';
import { createDelivery } from './deliver.ts';
import { createSidecarDiscovery, type SidecarDiscovery } from './discovery.ts';
import { createWatcherMetrics } from './metrics.ts';
import { createIstioWatcher } from './watcher.ts';

/** The reporter's families worth showing beside the watcher's (the rest of the sniffer set is capture-only). */
const REPORTER_FAMILY = /^(# (HELP|TYPE) )?netmapper_sniffer_(reports_|records_sent|backlog)/;

export async function main(argv: string[], env: NodeJS.ProcessEnv, kubeConfig?: KubeConfig): Promise<number> {
  let config: IstioWatcherConfig;
  try {
    config = loadWatcherConfig(argv, env);
    if (config.tokenFile) {
      await access(config.tokenFile, constants.R_OK).catch((err: Error) => {
        throw new ConfigError('--token-file', `invalid --token-file ${JSON.stringify(config.tokenFile)}: ${err.message}`);
      });
    }
  } catch (err) {
    if (err instanceof HelpRequested) { process.stdout.write(helpText()); return 0; }
    if (err instanceof ConfigError) { process.stderr.write(`istio-watcher: ${err.message}\n`); return 2; }
    throw err;
  }

  const log = createLogger(config.logLevel);
  const metrics = createWatcherMetrics();
  const delivery = createDelivery({ controllerUrl: config.controllerUrl, name: config.name, tokenFile: config.tokenFile, backlogMax: config.backlogMax, log });
  let discovery: SidecarDiscovery | undefined;
  if (!config.prometheusUrl) {
    const kc = kubeConfig ?? new KubeConfig();
    if (!kubeConfig) kc.loadFromDefault();
    discovery = createSidecarDiscovery(kc, { ...(config.namespace ? { namespace: config.namespace } : {}), onError: (err) => log.warn('pod watch failed; retrying', { error: (err as Error).message ?? String(err) }) });
  }
  const watcher = createIstioWatcher({
    port: config.port, path: config.path, concurrency: config.concurrency, timeoutMs: config.timeoutMs, maxScrapeBytes: config.maxScrapeBytes,
    maxSamples: config.maxSamples, maxLineLength: 64 * 1024, reportHistory: config.reportHistory,
    paths: { templates: config.pathTemplates, rules: config.pathRules, foldIds: config.foldIds, maxPathsPerPair: config.maxPathsPerPair },
    ...(config.prometheusUrl ? { prometheusUrl: config.prometheusUrl } : {}), prometheusWindowSeconds: config.prometheusWindowMs / 1000,
  }, { sidecars: () => discovery?.sidecars() ?? [], deliver: delivery.deliver, metrics, log });

  const stop = new AbortController();
  const stopReporting = new AbortController();
  let health;
  try {
    health = await startHealthServer({
      port: config.healthPort,
      metrics: { ...metrics.registry, render: async () => (await metrics.registry.render())
        + (await delivery.reporterMetrics.render()).split('\n').filter((l) => REPORTER_FAMILY.test(l)).join('\n') + '\n' },
      healthy: () => (discovery && !discovery.synced() ? 'pod list not received yet' : watcher.health()),
    });
  } catch (err) {
    log.error('start-up failed', { error: (err as Error).message });
    return 1;
  }
  const delivering = delivery.reporter.runForever(stopReporting.signal);
  await discovery?.start(stop.signal);
  log.info('istio watcher running', { controller: config.controllerUrl, source: config.prometheusUrl || `sidecars :${config.port}${config.path}`, intervalMs: config.intervalMs, healthPort: health.port });
  const loop = watcher.runForever(config.intervalMs, stop.signal);

  const signal = await new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  log.info('stopping', { signal });
  stop.abort();
  await loop;
  await discovery?.stop();
  await delivery.reporter.drained(5000);   // what the last round found goes out before we leave
  stopReporting.abort();
  await delivering;
  await health.close();
  log.info('stopped', { backlog: delivery.reporter.backlog });
  return 0;
}
