// The one settings reader of every role: a table of flags, each also readable from the environment
// as NETMAPPER_<FLAG> (`--store-file` ⇔ `NETMAPPER_STORE_FILE`), flag over environment over default;
// argv is tokenised by node:util parseArgs. It yields raw strings with where each came from and the
// help text; each role turns them into its typed config with common/units.ts and its own checks.

import { parseArgs } from 'node:util';
import { ConfigError } from './errors.ts';

export interface Setting {
  flag: string;
  help: string;
  /** A literal, or computed when asked for (the node name defaults to the hostname). */
  default?: string | (() => string);
  /** A switch: a bare `--flag` means true; `--flag false`, `--flag=0` also work. */
  boolean?: boolean;
}

export interface RawValue {
  value: string;
  /** 'flag', the environment variable's name, or 'default'. */
  origin: string;
}

export interface ReadSettings {
  values: Map<string, RawValue>;
  /** `--help` or `-h` was given. */
  help: boolean;
}

const BOOL_WORD = /^(true|false|1|0|yes|no)$/i;

/** `report-interval` → `NETMAPPER_REPORT_INTERVAL`. */
export const envName = (flag: string): string => `NETMAPPER_${flag.toUpperCase().replace(/-/g, '_')}`;

const defaultOf = (s: Setting): string | undefined => (typeof s.default === 'function' ? s.default() : s.default);

/**
 * Reads `argv` (no node or script) and `env` against `table`. Throws ConfigError naming the flag for an
 * unknown flag, a missing value, or a stray argument.
 * @example readSettings(SETTINGS, ['--port', '8081'], process.env).values.get('port') // { value: '8081', origin: 'flag' }
 */
export function readSettings(table: readonly Setting[], argv: readonly string[], env: Record<string, string | undefined>): ReadSettings {
  const byFlag = new Map(table.map((s) => [s.flag, s]));
  // A bare switch followed by something that is not a boolean word means true (parseArgs would take the word).
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const s = a.startsWith('--') && !a.includes('=') ? byFlag.get(a.slice(2)) : undefined;
    if (s?.boolean && (i + 1 >= argv.length || !BOOL_WORD.test(argv[i + 1]!))) args.push(`${a}=true`);
    else args.push(a);
  }
  const options = Object.fromEntries(table.map((s) => [s.flag, { type: 'string' as const }]));
  const { tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
  const fromFlags = new Map<string, string>();
  let help = false;
  for (const t of tokens) {
    if (t.kind === 'positional') throw new ConfigError(t.value, `unexpected argument ${JSON.stringify(t.value)} (flags look like --name value or --name=value)`);
    if (t.kind === 'option-terminator') throw new ConfigError('--', 'unexpected argument "--" (flags look like --name value or --name=value)');
    if (t.name === 'help' || t.name === 'h') { help = true; continue; }
    const s = byFlag.get(t.name);
    if (!s || t.rawName !== `--${t.name}`) throw new ConfigError(t.rawName, `unknown flag ${t.rawName} (see --help)`);
    if (t.value === undefined) throw new ConfigError(t.rawName, `${t.rawName} needs a value`);
    fromFlags.set(s.flag, t.value);
  }
  const values = new Map<string, RawValue>();
  for (const s of table) {
    const flag = fromFlags.get(s.flag);
    const fromEnv = env[envName(s.flag)];
    if (flag !== undefined) values.set(s.flag, { value: flag, origin: 'flag' });
    else if (fromEnv !== undefined) values.set(s.flag, { value: fromEnv, origin: envName(s.flag) });
    else {
      const d = defaultOf(s);
      if (d !== undefined) values.set(s.flag, { value: d, origin: 'default' });
    }
  }
  return { values, help };
}

/** `true|1|yes` / `false|0|no` (any case), else undefined. */
export function parseBool(text: string): boolean | undefined {
  if (/^(true|1|yes)$/i.test(text)) return true;
  if (/^(false|0|no)$/i.test(text)) return false;
  return undefined;
}

/** The help text: one row per flag with its environment variable and default. */
export function settingsHelp(usage: string, table: readonly Setting[]): string {
  const width = Math.max(...table.map((s) => s.flag.length)) + 2;
  const rows = table.map((s) => {
    const d = defaultOf(s);
    return `  --${s.flag.padEnd(width)} ${s.help}\n  ${' '.repeat(width + 2)} env ${envName(s.flag)}${d !== undefined ? `, default ${JSON.stringify(d)}` : ''}`;
  });
  return `${usage}\n\nEvery flag can also be set through its environment variable; the flag wins.\n\n${rows.join('\n')}\n`;
}
