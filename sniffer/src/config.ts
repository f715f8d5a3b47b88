// Sniffer settings: one table of flags, each also readable from NETMAPPER_<NAME> in the environment.
// Precedence: flag, then environment, then default. Every value is checked here, at start-up, so a
// typo in the DaemonSet fails the pod with a message naming the setting instead of misbehaving later.

import { hostname } from 'node:os';
import { ConfigError } from '../../controller/common/errors.ts';
import { envName, parseBool, readSettings, settingsHelp, type Setting as CommonSetting } from '../../controller/common/settings.ts';
import { parseDuration, parseSize } from '../../controller/common/units.ts';

export type { LogLevel } from '../../controller/common/log.ts';
import type { LogLevel } from '../../controller/common/log.ts';
import { NetmapperError } from '../../controller/common/errors.ts';

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
  /** Address the health port binds to; empty = every address. */
  healthAddress: string;
  backlogMax: number;
  captureBuffer: number;
  enableDns: boolean;
  enableTcp: boolean;
  enableSocketScan: boolean;
  logLevel: LogLevel;
}

export { ConfigError };

/** Thrown for `--help`: not an error, the caller prints `helpText()` and exits 0. */
export class HelpRequested extends NetmapperError {
  constructor() {
    super('help-requested', 'help requested');
  }
}

type Kind = 'string' | 'url' | 'list' | 'duration' | 'path' | 'port' | 'count' | 'bytes' | 'bool' | 'level';

interface Setting extends CommonSetting {
  key: keyof SnifferConfig;
  kind: Kind;
  default: () => string;
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
  { flag: 'health-address', key: 'healthAddress', kind: 'string', default: () => '', help: 'address the health port binds to (e.g. the node IP); empty = every address' },
  { flag: 'backlog-max', key: 'backlogMax', kind: 'count', default: () => '100000', help: 'max records held while the controller is unreachable (oldest dropped)' },
  // 16Mi: lossless at 100k DNS responses/s in bench:sniffer where 8Mi lost 5-10 % beside it; the ring is resident,
  // and 32Mi kept the sniffer above 100 MB under load (sniffer/README.md#benchmark).
  { flag: 'capture-buffer', key: 'captureBuffer', kind: 'bytes', default: () => '16Mi', help: 'libpcap buffer per device, bytes (suffixes Ki, Mi, Gi); resident memory' },
  { flag: 'enable-dns', key: 'enableDns', kind: 'bool', default: () => 'true', help: 'report DNS responses' },
  { flag: 'enable-tcp', key: 'enableTcp', kind: 'bool', default: () => 'true', help: 'report TCP SYNs' },
  { flag: 'enable-socket-scan', key: 'enableSocketScan', kind: 'bool', default: () => 'true', help: 'report established client sockets from <host-proc>/<pid>/net/tcp{,6}' },
  { flag: 'log-level', key: 'logLevel', kind: 'level', default: () => 'info', help: 'debug, info, warn or error' },
];

export { envName };

export { parseDuration } from '../../controller/common/units.ts';

function convert(s: Setting, raw: string, origin: string): SnifferConfig[keyof SnifferConfig] {
  const bad = (why: string): never => {
    throw new ConfigError(`--${s.flag}`, `invalid --${s.flag} (${origin}) ${JSON.stringify(raw)}: ${why}`);
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
      const n = parseSize(raw);
      if (n === undefined) bad('expected bytes, e.g. 33554432 or 32Mi');
      if (n! < MIN_CAPTURE_BUFFER || n! > MAX_CAPTURE_BUFFER) bad('must be between 1Mi and 2Gi-1');
      return n!;
    }
    case 'bool':
      return parseBool(raw) ?? bad('expected true or false');
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
  const table = SETTINGS.map((s) => (s.kind === 'bool' ? { ...s, boolean: true } : s));
  const { values, help } = readSettings(table, argv, env);
  if (help) throw new HelpRequested();
  const out: Partial<Record<keyof SnifferConfig, unknown>> = {};
  for (const s of SETTINGS) {
    const { value, origin } = values.get(s.flag)!;
    out[s.key] = convert(s, value, origin);
  }
  return out as unknown as SnifferConfig;
}

export function helpText(): string {
  return settingsHelp('Usage: sniffer [--setting value]...', SETTINGS);
}
