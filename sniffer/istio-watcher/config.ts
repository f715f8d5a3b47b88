// Istio watcher settings: the common settings table (flag, then NETMAPPER_<FLAG>, then default), turned
// into a typed config here. Everything is checked at start-up and a bad value names its setting.

import { hostname } from 'node:os';
import { ConfigError } from '../../controller/common/errors.ts';
import type { LogLevel } from '../../controller/common/log.ts';
import { parseBool, readSettings, settingsHelp, type Setting as CommonSetting } from '../../controller/common/settings.ts';
import { DURATION_HINT, parseDuration, parseSize, SIZE_HINT } from '../../controller/common/units.ts';
import { HelpRequested } from '../src/config.ts';
import { PathRuleError, regexRule, templateRule } from './paths.ts';

export { ConfigError, HelpRequested };

export interface IstioWatcherConfig {
  controllerUrl: string;
  tokenFile: string;
  name: string;
  intervalMs: number;
  port: number;
  path: string;
  namespace: string;
  concurrency: number;
  timeoutMs: number;
  maxScrapeBytes: number;
  maxSamples: number;
  reportHistory: boolean;
  pathTemplates: string[];
  pathRules: string[];
  foldIds: boolean;
  maxPathsPerPair: number;
  prometheusUrl: string;
  prometheusWindowMs: number;
  healthPort: number;
  backlogMax: number;
  logLevel: LogLevel;
}

type Kind = 'string' | 'url' | 'optional-url' | 'duration' | 'port' | 'count' | 'count0' | 'bytes' | 'bool' | 'level' | 'path' | 'list';
interface Setting extends CommonSetting { key: keyof IstioWatcherConfig; kind: Kind; default: () => string }

export const SETTINGS: readonly Setting[] = [
  { flag: 'controller-url', key: 'controllerUrl', kind: 'url', default: () => 'http://netmapper-controller.netmapper-system.svc:8080', help: 'controller base URL; reports go to <url>/api/v1/reports' },
  { flag: 'token-file', key: 'tokenFile', kind: 'string', default: () => '', help: 'bearer token file, re-read for every report; empty = no auth' },
  { flag: 'name', key: 'name', kind: 'string', default: () => hostname(), help: 'reporter name sent with every report (default: hostname)' },
  { flag: 'interval', key: 'intervalMs', kind: 'duration', default: () => '15s', help: 'scrape (and report) period' },
  { flag: 'metrics-port', key: 'port', kind: 'port', default: () => '15020', help: "sidecar metrics port: 15020 (pilot-agent's merged endpoint) or 15090 (Envoy's own)" },
  { flag: 'metrics-path', key: 'path', kind: 'path', default: () => '/stats/prometheus', help: 'sidecar metrics path' },
  { flag: 'namespace', key: 'namespace', kind: 'string', default: () => '', help: 'only scrape sidecars in this namespace (default: all)' },
  { flag: 'concurrency', key: 'concurrency', kind: 'count', default: () => '10', help: 'sidecars scraped at once' },
  { flag: 'scrape-timeout', key: 'timeoutMs', kind: 'duration', default: () => '5s', help: 'time allowed for one sidecar scrape (or the Prometheus query)' },
  { flag: 'max-scrape-bytes', key: 'maxScrapeBytes', kind: 'bytes', default: () => '16Mi', help: 'largest scrape body read; larger ones fail with too-large' },
  { flag: 'max-samples', key: 'maxSamples', kind: 'count', default: () => '100000', help: 'istio_requests_total series read per scrape' },
  { flag: 'report-history', key: 'reportHistory', kind: 'bool', default: () => 'false', help: "report a pod's whole counter history on first sight (Otterize's behaviour) instead of a baseline" },
  { flag: 'path-templates', key: 'pathTemplates', kind: 'list', default: () => '', help: 'comma list of path templates, e.g. /users/{id},/users/{id}/orders/{order}' },
  { flag: 'path-rules', key: 'pathRules', kind: 'list', default: () => '', help: 'comma list of REGEX=>REPLACEMENT path rules, tried after the templates' },
  { flag: 'fold-ids', key: 'foldIds', kind: 'bool', default: () => 'false', help: 'fold numeric, UUID and long-hex path segments to {id}, {uuid}, {hex}' },
  { flag: 'max-paths-per-pair', key: 'maxPathsPerPair', kind: 'count0', default: () => '100', help: 'distinct paths kept per client→server pair (0 = no limit); overflow counted' },
  { flag: 'prometheus-url', key: 'prometheusUrl', kind: 'optional-url', default: () => '', help: "query this mesh Prometheus once per round instead of scraping sidecars (no pod access needed)" },
  { flag: 'prometheus-window', key: 'prometheusWindowMs', kind: 'duration', default: () => '2m', help: 'increase() window of the Prometheus query (at least two Prometheus scrape intervals)' },
  { flag: 'health-port', key: 'healthPort', kind: 'port', default: () => '57922', help: 'port serving /healthz and /metrics' },
  { flag: 'backlog-max', key: 'backlogMax', kind: 'count', default: () => '100000', help: 'max records held while the controller is unreachable (oldest dropped)' },
  { flag: 'log-level', key: 'logLevel', kind: 'level', default: () => 'info', help: 'debug, info, warn or error' },
];

const MIN_MS = 100, MAX_MS = 3_600_000;

function convert(s: Setting, raw: string, origin: string): unknown {
  const bad = (why: string): never => { throw new ConfigError(`--${s.flag}`, `invalid --${s.flag} (${origin}) ${JSON.stringify(raw)}: ${why}`); };
  const count = (min: number) => {
    const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!(n >= min && Number.isSafeInteger(n))) bad(min === 0 ? 'expected a whole number' : 'expected a positive integer');
    return n;
  };
  switch (s.kind) {
    case 'string': return raw;
    case 'path': return raw.startsWith('/') ? raw : bad('must start with /');
    case 'url': case 'optional-url': {
      if (raw === '' && s.kind === 'optional-url') return '';
      let u: URL;
      try { u = new URL(raw); } catch { return bad('not a URL'); }
      if (u.protocol !== 'http:' && u.protocol !== 'https:') bad('must be http:// or https://');
      return raw.replace(/\/+$/, '');
    }
    case 'list': return raw.split(',').map((x) => x.trim()).filter((x) => x !== '');
    case 'duration': {
      const ms = parseDuration(raw);
      if (ms === undefined) return bad(`expected a duration (${DURATION_HINT})`);
      if (ms < MIN_MS || ms > MAX_MS) bad('must be between 100ms and 1h');
      return ms;
    }
    case 'port': {
      const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
      return n >= 1 && n <= 65535 ? n : bad('expected a port number 1-65535');
    }
    case 'count': return count(1);
    case 'count0': return count(0);
    case 'bytes': {
      const n = parseSize(raw);
      if (n === undefined || n < 1024) return bad(`expected at least 1Ki (${SIZE_HINT})`);
      return n;
    }
    case 'bool':
      return parseBool(raw) ?? bad('expected true or false');
    case 'level':
      return ['debug', 'info', 'warn', 'error'].includes(raw) ? raw : bad('expected debug, info, warn or error');
  }
}

/** Parses argv and the environment; throws ConfigError naming the setting, HelpRequested for --help. */
export function loadWatcherConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): IstioWatcherConfig {
  const table = SETTINGS.map((s) => (s.kind === 'bool' ? { ...s, boolean: true } : s));
  const { values, help } = readSettings(table, argv, env);
  if (help) throw new HelpRequested();
  const out: Record<string, unknown> = {};
  for (const s of SETTINGS) {
    const { value, origin } = values.get(s.flag)!;
    out[s.key] = convert(s, value, origin);
  }
  const config = out as unknown as IstioWatcherConfig;
  // Path rules are compiled now, so a bad one stops the pod with its text in the message.
  try {
    config.pathTemplates.forEach(templateRule);
    config.pathRules.forEach(regexRule);
  } catch (err) {
    if (err instanceof PathRuleError) throw new ConfigError(config.pathTemplates.length ? '--path-templates' : '--path-rules', err.message);
    throw err;
  }
  return config;
}

export function helpText(): string {
  return settingsHelp('Usage: istio-watcher [--setting value]...\n\nScrapes istio_requests_total from Istio sidecars (or a mesh Prometheus) and reports HTTP paths and methods\nbetween workloads to the controller.', SETTINGS);
}
