// Kafka watcher settings: one table read by the common settings reader (flag, then NETMAPPER_<FLAG>,
// then default), turned into a typed config here and checked at start-up, so a bad value fails the
// pod with a message naming the setting and where it came from.

import { hostname } from 'node:os';
import { ConfigError } from '../../controller/common/errors.ts';
import { LOG_LEVELS, type LogLevel } from '../../controller/common/log.ts';
import { readSettings, settingsHelp, type Setting } from '../../controller/common/settings.ts';
import { DURATION_HINT, parseDuration } from '../../controller/common/units.ts';
import { parseTargets, TargetError, type BrokerTargets } from './broker-targets.ts';

export { ConfigError } from '../../controller/common/errors.ts';

export type Mode = 'kubernetes' | 'file';

export interface WatcherConfig {
  mode: Mode;
  /** kubernetes mode: the broker pods. */
  targets?: BrokerTargets;
  container?: string;
  lookbackMs: number;
  /** file mode: the authorizer log and the broker pod it belongs to. */
  logFile: string;
  podName: string;
  podNamespace: string;
  fileFrom: 'start' | 'end';
  reportIntervalMs: number;
  controllerUrl: string;
  tokenFile: string;
  backlogMax: number;
  healthPort: number;
  watcherName: string;
  logLevel: LogLevel;
}

/** Thrown for `--help`: not an error, the caller prints `helpText()` and exits 0. */
export class HelpRequested extends Error { override name = 'HelpRequested'; }

export const SETTINGS: readonly Setting[] = [
  { flag: 'mode', default: 'kubernetes', help: 'kubernetes: stream broker pods\' logs through the API; file: tail --log-file (sidecar)' },
  { flag: 'brokers', default: '', help: 'broker pods as <pod>.<namespace>, space- or comma-separated (kubernetes mode)' },
  { flag: 'broker-selectors', default: '', help: 'broker pods by label, <namespace>:<selector>, ;-separated (kubernetes mode)' },
  { flag: 'container', default: '', help: 'follow only this container of each broker pod; empty: every container' },
  { flag: 'lookback', default: '10s', help: 'pods already running at start are read from this long before it' },
  { flag: 'log-file', default: '/opt/otterize/kafka-watcher/authz.log', help: 'authorizer log to tail (file mode)' },
  { flag: 'log-file-from', default: 'end', help: 'file mode: start reading at the file\'s end or start' },
  { flag: 'pod-name', default: '', help: 'file mode: the broker pod (downward API metadata.name)' },
  { flag: 'pod-namespace', default: '', help: 'file mode: the broker pod\'s namespace (downward API metadata.namespace)' },
  { flag: 'report-interval', default: '10s', help: 'how often deduplicated accesses are reported' },
  { flag: 'controller-url', default: 'http://netmapper-controller.netmapper-system.svc:8080', help: 'controller base URL; reports go to <url>/api/v1/reports' },
  { flag: 'token-file', default: '', help: 'bearer token file, re-read for every report; empty = no auth' },
  { flag: 'backlog-max', default: '100000', help: 'max records held while the controller is unreachable (oldest dropped)' },
  { flag: 'health-port', default: '9090', help: 'port serving /healthz and /metrics' },
  { flag: 'watcher-name', default: () => hostname(), help: 'name sent with every report (default: hostname)' },
  { flag: 'log-level', default: 'info', help: 'debug, info, warn or error' },
];

export function helpText(): string {
  return settingsHelp('Usage: kafka-watcher [--setting value]...\n\nReads Kafka authorizer logs and reports which clients use which topics.', SETTINGS);
}

/** @throws ConfigError naming the setting; HelpRequested for --help. */
export function loadConfig(argv: readonly string[], env: Record<string, string | undefined> = process.env): WatcherConfig {
  const { values, help } = readSettings(SETTINGS, argv, env);
  if (help) throw new HelpRequested();
  const raw = (flag: string) => values.get(flag)!.value;
  const bad = (flag: string, why: string): never => { throw new ConfigError(`--${flag}`, `invalid --${flag} (${values.get(flag)!.origin}) ${JSON.stringify(raw(flag))}: ${why}`); };
  const duration = (flag: string, min: number, max: number) => {
    const ms = parseDuration(raw(flag));
    if (ms === undefined) return bad(flag, DURATION_HINT);
    if (ms < min || ms > max) return bad(flag, `must be between ${min}ms and ${max}ms`);
    return ms;
  };
  const int = (flag: string, min: number, max: number) => {
    const n = /^\d+$/.test(raw(flag)) ? Number(raw(flag)) : NaN;
    if (!(n >= min && n <= max)) bad(flag, `expected an integer ${min}-${max}`);
    return n;
  };
  const mode = raw('mode');
  if (mode !== 'kubernetes' && mode !== 'file') bad('mode', 'expected kubernetes or file');
  const level = raw('log-level');
  if (!(LOG_LEVELS as readonly string[]).includes(level)) bad('log-level', 'expected debug, info, warn or error');
  const from = raw('log-file-from');
  if (from !== 'start' && from !== 'end') bad('log-file-from', 'expected start or end');
  let url: URL | undefined;
  try { url = new URL(raw('controller-url')); } catch { bad('controller-url', 'not a URL'); }
  if (url!.protocol !== 'http:' && url!.protocol !== 'https:') bad('controller-url', 'must be http:// or https://');

  const cfg: WatcherConfig = {
    mode: mode as Mode, lookbackMs: duration('lookback', 0, 24 * 3_600_000),
    logFile: raw('log-file'), podName: raw('pod-name'), podNamespace: raw('pod-namespace'), fileFrom: from as 'start' | 'end',
    reportIntervalMs: duration('report-interval', 100, 3_600_000), controllerUrl: raw('controller-url').replace(/\/+$/, ''),
    tokenFile: raw('token-file'), backlogMax: int('backlog-max', 1, Number.MAX_SAFE_INTEGER), healthPort: int('health-port', 1, 65535),
    watcherName: raw('watcher-name') || hostname(), logLevel: level as LogLevel,
  };
  if (raw('container')) cfg.container = raw('container');
  if (cfg.mode === 'kubernetes') {
    try { cfg.targets = parseTargets(raw('brokers'), raw('broker-selectors')); } catch (err) {
      if (err instanceof TargetError) throw new ConfigError(values.get('brokers')!.origin === 'default' ? '--broker-selectors' : '--brokers', err.message);
      throw err;
    }
  } else {
    if (!cfg.logFile) bad('log-file', 'must not be empty in file mode');
    if (!cfg.podName) bad('pod-name', 'required in file mode (the broker pod; set it from the downward API)');
    if (!cfg.podNamespace) bad('pod-namespace', 'required in file mode');
  }
  return cfg;
}
