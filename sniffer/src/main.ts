// The sniffer's entry point (the image runs it): reads settings, wires capture, socket scan,
// reporting and the health server together, and turns signals and errors into exit codes
// (0 clean stop, 1 runtime failure, 2 bad settings).

import { access, constants } from 'node:fs/promises';
import { createDecoder, linkTypeFromCap } from '../../parser-wasm/src/index.ts';
import { ConfigError, HelpRequested, helpText, loadConfig } from './config.ts';
import { startHealthServer } from './health-server.ts';
import { startLiveSniffer } from './live.ts';
import { createLogger } from '../../controller/common/log.ts';
import { createSnifferMetrics } from './metrics.ts';
import { createMetrics } from '../../controller/common/metrics.ts';

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let config;
  try {
    config = loadConfig(argv, env);
    if (config.tokenFile) {
      await access(config.tokenFile, constants.R_OK).catch((err: Error) => {
        throw new ConfigError('--token-file', `invalid --token-file ${JSON.stringify(config!.tokenFile)}: ${err.message}`, { cause: err });
      });
    }
  } catch (err) {
    if (err instanceof HelpRequested) { process.stdout.write(helpText()); return 0; }
    if (err instanceof ConfigError) { process.stderr.write(`sniffer: ${err.message}\n`); return 2; }
    throw err;
  }

  const log = createLogger(config.logLevel);
  const metrics = createSnifferMetrics(createMetrics({ processMetrics: true, buildInfo: { role: 'sniffer', node: config.nodeName } }));
  let sniffer;
  let health;
  try {
    sniffer = await startLiveSniffer({ config, metrics, log, createDecoder: () => createDecoder(), linkTypeOf: linkTypeFromCap });
    health = await startHealthServer({ port: config.healthPort, host: config.healthAddress || undefined, metrics: metrics.registry, healthy: () => sniffer!.health() });
  } catch (err) {
    log.error('start-up failed', { error: (err as Error).message });
    await sniffer?.stop();
    return 1;
  }
  log.info('sniffer running', { node: config.nodeName, controller: config.controllerUrl, healthPort: health.port, reportIntervalMs: config.reportIntervalMs, dns: config.enableDns, tcp: config.enableTcp, socketScan: config.enableSocketScan });

  const signal = await new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  log.info('stopping', { signal });
  await sniffer.stop();
  await health.close();
  log.info('stopped', { backlog: sniffer.reporter.backlog });
  return 0;
}

main(process.argv.slice(2), process.env).then(
  // exit explicitly: idle keep-alive sockets to the controller must not hold a stopping pod open
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`sniffer: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
