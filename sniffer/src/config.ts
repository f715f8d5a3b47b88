// Sniffer settings: one table of flags, each also readable from NETMAPPER_<NAME> in the environment.
// Precedence: flag, then environment, then default. Every value is checked here, at start-up, so a
// typo in the DaemonSet fails the pod with a message naming the setting instead of misbehaving later.

import { hostname } from 'node:os';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface SnifferConfig {
  controllerUrl: string;
  devices: string[];
  /** Report (and socket scan) period, milliseconds. */
  reportIntervalMs: number;
  hostProc: string;
  nodeName: string;
  /** Empty: send no Authorization header. */
  tokenFile: string;
  healthPort: number;
  backlogMax: number;
  captureBuffer: number;
  enableDns: boolean;
  enableTcp: boolean;
  enableSocketScan: boolean;
  logLevel: LogLevel;
}

export class ConfigError extends Error {
  readonly code = 'ERR_SNIFFER_CONFIG';
  override name = 'ConfigError';
}

/** Thrown for `--help`: not an error, the caller prints `helpText()` and exits 0. */
export class HelpRequested extends Error {
  override name = 'HelpRequested';
}

type Kind = 'string' | 'url' | 'list' | 'duration' | 'path' | 'port' | 'count' | 'bytes' | 'bool' | 'level';

interface Setting {
  flag: string;
  key: keyof SnifferConfig;
  kind: Kind;
  default: () => string;
  help: string;
}

const MIN_INTERVAL_MS = 100;
const MAX_INTERVAL_MS = 3_600_000;
const MIN_CAPTURE_BUFFER = 1 << 20;
const MAX_CAPTURE_BUFFER = 2 ** 31 - 1; // cap passes it to pcap_set_buffer_size as a C int

export const SETTINGS: readonly Setting[] = [
  { flag: 'controller-url', key: 'controllerUrl', kind: 'url', default: () => 'http://netmapper-controller.netmapper-system.svc:8080', help: 'controller base URL; reports go to <url>/api/v1/reports' },
  { flag: 'devices', key: 'devices', kind: 'list', default: () => 'any', help: 'capture devices, comma-separated (libpcap names; "any" = all)' },
  { flag: 'report-interval', key: 'reportIntervalMs', kind: 'duration', default: () => '1s', help: 'aggregation, report and socket-scan period (e.g. 500ms, 1s, 1m)' },
  { flag: 'host-proc', key: 'hostProc', kind: 'path', default: () => '/proc', help: "host's /proc mount, read by the socket scan" },
  { flag: 'node-name', key: 'nodeName', kind: 'string', default: () => hostname(), help: 'node name sent with every report (default: hostname)' },
  { flag: 'token-file', key: 'tokenFile', kind: 'string', default: () => '', help: 'bearer token file, re-read for every report; empty = no auth' },
  { flag: 'health-port', key: 'healthPort', kind: 'port', default: () => '57921', help: 'port serving /healthz and /metrics' },
  { flag: 'backlog-max', key: 'backlogMax', kind: 'count', default: () => '100000', help: 'max records held while the controller is unreachable (oldest dropped)' },
  { flag: 'capture-buffer', key: 'captureBuffer', kind: 'bytes', default: () => '32Mi', help: 'libpcap buffer per device, bytes (suffixes Ki, Mi, Gi)' },
  { flag: 'enable-dns', key: 'enableDns', kind: 'bool', default: () => 'true', help: 'report DNS responses' },
  { flag: 'enable-tcp', key: 'enableTcp', kind: 'bool', default: () => 'true', help: 'report TCP SYNs' },
  { flag: 'enable-socket-scan', key: 'enableSocketScan', kind: 'bool', default: () => 'true', help: 'report established client sockets from <host-proc>/<pid>/net/tcp{,6}' },
  { flag: 'log-level', key: 'logLevel', kind: 'level', default: () => 'info', help: 'debug, info, warn or error' },
];

/** `report-interval` → `NETMAPPER_REPORT_INTERVAL`. */
export function envName(flag: string): string {
  return `NETMAPPER_${flag.toUpperCase().replace(/-/g, '_')}`;
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const BYTE_UNITS: Record<string, number> = { '': 1, Ki: 1024, KiB: 1024, Mi: 1024 ** 2, MiB: 1024 ** 2, Gi: 1024 ** 3, GiB: 1024 ** 3 };

/** Go-style durations as Kubernetes users write them: `500ms`, `1s`, `1m30s`. Returns milliseconds. */
export function parseDuration(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
  return total;
}

export function parseBytes(text: string): number | undefined {
  const m = /^(\d+)(Ki|KiB|Mi|MiB|Gi|GiB)?$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * BYTE_UNITS[m[2] ?? '']!;
}

function convert(s: Setting, raw: string, origin: string): SnifferConfig[keyof SnifferConfig] {
  const bad = (why: string): never => {
    throw new ConfigError(`invalid --${s.flag} (${origin}) ${JSON.stringify(raw)}: ${why}`);
  };
  switch (s.kind) {
    case 'string':
    case 'path':
      if (s.kind === 'path' && raw === '') bad('must not be empty');
      return raw;
    case 'url': {
      let u: URL;
      try { u = new URL(raw); } catch { return bad('not a URL'); }
      if (u.protocol !== 'http:' && u.protocol !== 'https:') bad('must be http:// or https://');
      return raw.replace(/\/+$/, '');
    }
    case 'list': {
      const items = raw.split(',').map((d) => d.trim());
      if (items.some((d) => d === '')) bad('empty device name in the list');
      return [...new Set(items)];
    }
    case 'duration': {
      const ms = parseDuration(raw);
      if (ms === undefined) bad('expected a duration such as 500ms, 1s or 1m');
      if (ms! < MIN_INTERVAL_MS || ms! > MAX_INTERVAL_MS) bad(`must be between ${MIN_INTERVAL_MS}ms and 1h`);
      return ms!;
    }
    case 'port': {
      const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
      if (!(n >= 1 && n <= 65535)) bad('expected a port number 1-65535');
      return n;
    }
    case 'count': {
      const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
      if (!(n >= 1 && Number.isSafeInteger(n))) bad('expected a positive integer');
      return n;
    }
    case 'bytes': {
      const n = parseBytes(raw);
      if (n === undefined) bad('expected bytes, e.g. 33554432 or 32Mi');
      if (n! < MIN_CAPTURE_BUFFER || n! > MAX_CAPTURE_BUFFER) bad('must be between 1Mi and 2Gi-1');
      return n!;
    }
    case 'bool':
      if (/^(true|1|yes)$/i.test(raw)) return true;
      if (/^(false|0|no)$/i.test(raw)) return false;
      return bad('expected true or false');
    case 'level':
      if (!['debug', 'info', 'warn', 'error'].includes(raw)) bad('expected debug, info, warn or error');
      return raw as LogLevel;
  }
}

/**
 * Parses argv (without node and script) and the environment.
 * Accepts `--flag value`, `--flag=value`, and a bare `--enable-x` meaning true.
 * @throws ConfigError naming the offending setting; HelpRequested for --help / -h.
 */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): SnifferConfig {
  const byFlag = new Map(SETTINGS.map((s) => [s.flag, s]));
  const fromFlags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') throw new HelpRequested();
    const m = /^--([a-z0-9-]+)(?:=(.*))?$/s.exec(arg);
    if (!m) throw new ConfigError(`unexpected argument ${JSON.stringify(arg)} (settings are --name value)`);
    const s = byFlag.get(m[1]!);
    if (!s) throw new ConfigError(`unknown flag --${m[1]} (see --help)`);
    let value = m[2];
    if (value === undefined) {
      const next = argv[i + 1];
      if (s.kind === 'bool' && (next === undefined || !/^(true|false|1|0|yes|no)$/i.test(next))) value = 'true';
      else if (next === undefined) throw new ConfigError(`--${s.flag} needs a value`);
      else value = argv[++i]!;
    }
    fromFlags.set(s.flag, value);
  }
  const out: Partial<Record<keyof SnifferConfig, unknown>> = {};
  for (const s of SETTINGS) {
    const flagValue = fromFlags.get(s.flag);
    const envValue = env[envName(s.flag)];
    const [raw, origin] = flagValue !== undefined ? [flagValue, 'flag']
      : envValue !== undefined ? [envValue, envName(s.flag)]
      : [s.default(), 'default'];
    out[s.key] = convert(s, raw, origin);
  }
  return out as unknown as SnifferConfig;
}

export function helpText(): string {
  const rows = SETTINGS.map((s) => `  --${s.flag.padEnd(20)} ${s.help}\n  ${' '.repeat(22)} env ${envName(s.flag)}, default ${JSON.stringify(s.default())}`);
  return `Usage: sniffer [--setting value]...\n\nEach setting can also be given as an environment variable; a flag wins over the environment.\n\n${rows.join('\n')}\n`;
}
