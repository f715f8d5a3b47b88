// Kafka watcher settings: one table of flags, each also read from NETMAPPER_<NAME> in the environment
// (flag wins, then environment, then default), checked at start-up so a bad value fails the pod with
// a message naming the setting. Same shape as the sniffer's; moves onto controller/common/settings.ts.

import { hostname } from 'node:os';
import { envName, parseDuration, type LogLevel } from '../src/config.ts';
import { parseTargets, TargetError, type BrokerTargets } from './broker-targets.ts';

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

export class ConfigError extends Error {
  readonly code = 'ERR_KAFKA_WATCHER_CONFIG';
  override name = 'ConfigError';
}
export class HelpRequested extends Error { override name = 'HelpRequested'; }

interface Setting { flag: string; default: string; help: string }

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
  { flag: 'watcher-name', default: '', help: 'name sent with every report (default: hostname)' },
  { flag: 'log-level', default: 'info', help: 'debug, info, warn or error' },
];

export function helpText(): string {
  const rows = SETTINGS.map((s) => `  --${s.flag.padEnd(18)} ${s.help}\n  ${' '.repeat(20)} env ${envName(s.flag)}, default ${JSON.stringify(s.default)}`);
  return `Usage: kafka-watcher [--setting value]...\n\nReads Kafka authorizer logs and reports which clients use which topics.\n\n${rows.join('\n')}\n`;
}

function read(argv: readonly string[], env: NodeJS.ProcessEnv): Map<string, { raw: string; origin: string }> {
  const known = new Set(SETTINGS.map((s) => s.flag));
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') throw new HelpRequested();
    const m = /^--([a-z0-9-]+)(?:=(.*))?$/s.exec(arg);
    if (!m) throw new ConfigError(`unexpected argument ${JSON.stringify(arg)} (settings are --name value)`);
    if (!known.has(m[1]!)) throw new ConfigError(`unknown flag --${m[1]} (see --help)`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new ConfigError(`--${m[1]} needs a value`);
    flags.set(m[1]!, value);
  }
  const out = new Map<string, { raw: string; origin: string }>();
  for (const s of SETTINGS) {
    const f = flags.get(s.flag);
    const e = env[envName(s.flag)];
    out.set(s.flag, f !== undefined ? { raw: f, origin: 'flag' } : e !== undefined ? { raw: e, origin: envName(s.flag) } : { raw: s.default, origin: 'default' });
  }
  return out;
}

/** @throws ConfigError naming the setting; HelpRequested for --help. */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): WatcherConfig {
  const v = read(argv, env);
  const raw = (flag: string) => v.get(flag)!.raw;
  const bad = (flag: string, why: string): never => { throw new ConfigError(`invalid --${flag} (${v.get(flag)!.origin}) ${JSON.stringify(raw(flag))}: ${why}`); };
  const duration = (flag: string, min: number, max: number) => {
    const ms = raw(flag) === '0' ? 0 : parseDuration(raw(flag));
    if (ms === undefined) return bad(flag, 'expected a duration such as 500ms, 10s or 1m');
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
  if (!['debug', 'info', 'warn', 'error'].includes(level)) bad('log-level', 'expected debug, info, warn or error');
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
      if (err instanceof TargetError) throw new ConfigError(err.message);
      throw err;
    }
  } else {
    if (!cfg.logFile) bad('log-file', 'must not be empty in file mode');
    if (!cfg.podName) bad('pod-name', 'required in file mode (the broker pod; set it from the downward API)');
    if (!cfg.podNamespace) bad('pod-namespace', 'required in file mode');
  }
  return cfg;
}
