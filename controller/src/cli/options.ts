// Flag parsing and the pieces every verb shares: the flag table, usage errors (exit 2),
// `--help` text, and the standard streams (replaceable so tests can run verbs in process).

import { parseArgs } from 'node:util';
import { NetmapperError } from '../../common/errors.ts';

export interface FlagSpec {
  /** Long name without dashes, e.g. `exclude-services`. */
  name: string;
  /** Other spellings, with dashes: `-n`, `--output-path`. */
  aliases?: string[];
  /** `bool` flags take no value (`--x=false` is accepted); `list` values are comma-separated and repeatable. */
  type: 'string' | 'bool' | 'list';
  help: string;
  /** Shown in help; also the value when the flag is absent (string flags). */
  default?: string;
  valueName?: string;
}

/** Flags every map verb takes, as the Otterize CLI's global ones: `-q` silences the informational
 *  stderr lines (errors still print); `--telemetry-enabled` is accepted and ignored (nothing is ever sent). */
export const COMMON_FLAGS: FlagSpec[] = [
  { name: 'quiet', aliases: ['-q'], type: 'bool', help: 'no informational lines on stderr (errors still print)' },
  { name: 'telemetry-enabled', type: 'bool', help: 'accepted for Otterize compatibility and ignored: netmapper sends no telemetry' },
];

export type ParsedFlags = { [name: string]: string | boolean | string[] | undefined };

/** A command line the verb cannot run: printed with a pointer to `--help`, exit code 2. */
export class UsageError extends NetmapperError {
  constructor(message: string) {
    super('usage', message);
  }
}

export interface Io {
  stdout: { write(chunk: string | Uint8Array): unknown };
  stderr: { write(chunk: string): unknown };
  env: Record<string, string | undefined>;
}

export const processIo: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env };

/** Parses `argv` against `specs` (tokenised by node:util parseArgs); `--help`/`-h` gives `{ help: true }`. Throws UsageError. */
export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[]): ParsedFlags {
  const byRaw = new Map<string, FlagSpec>();
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const s of specs) {
    const type = s.type === 'bool' ? 'boolean' : 'string';
    byRaw.set(`--${s.name}`, s);
    options[s.name] = { type };
    for (const a of s.aliases ?? []) {
      byRaw.set(a, s);
      if (a.startsWith('--')) options[a.slice(2)] = { type };
      else options[s.name].short = a.slice(1);
    }
  }
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const out: ParsedFlags = {};
  for (const t of tokens) {
    if (t.kind === 'positional') throw new UsageError(`unexpected argument ${JSON.stringify(t.value)}: this command takes only flags`);
    if (t.kind === 'option-terminator') throw new UsageError('unknown flag --');
    if (t.rawName === '--help' || t.rawName === '-h') return { help: true };
    const key = t.rawName;
    const spec = byRaw.get(key);
    if (!spec) throw new UsageError(`unknown flag ${key}`);
    const value = t.value;
    if (spec.type === 'bool') {
      if (value === undefined || value === 'true') out[spec.name] = true;
      else if (value === 'false') out[spec.name] = false;
      else throw new UsageError(`flag ${key} takes true or false, not ${JSON.stringify(value)}`);
      continue;
    }
    if (value === undefined) throw new UsageError(`flag ${key} needs a value`);
    if (spec.type === 'list') {
      const items = value.split(',').map((v) => v.trim()).filter((v) => v !== '');
      out[spec.name] = [...((out[spec.name] as string[] | undefined) ?? []), ...items];
    } else {
      if (value === '') throw new UsageError(`flag ${key} needs a non-empty value`);
      out[spec.name] = value;
    }
  }
  for (const s of specs) if (s.type === 'string' && out[s.name] === undefined && s.default !== undefined) out[s.name] = s.default;
  return out;
}

export const str = (f: ParsedFlags, name: string): string | undefined => f[name] as string | undefined;
export const list = (f: ParsedFlags, name: string): string[] => (f[name] as string[] | undefined) ?? [];
export const bool = (f: ParsedFlags, name: string): boolean => f[name] === true;

/** The `--help` text: usage line, description, then one line per flag. */
export function helpText(usage: string, description: string, specs: readonly FlagSpec[]): string {
  const rows = specs.map((s) => {
    const names = [...(s.aliases ?? []).filter((a) => !a.startsWith('--')), `--${s.name}`, ...(s.aliases ?? []).filter((a) => a.startsWith('--'))];
    const left = `${names.join(', ')}${s.type === 'bool' ? '' : ` ${s.valueName ?? (s.type === 'list' ? 'a,b' : 'value')}`}`;
    return [left, `${s.help}${s.default !== undefined ? ` (default ${s.default})` : ''}`];
  });
  const width = Math.max(...rows.map(([l]) => l.length)) + 2;
  return `Usage: ${usage}\n\n${description}\n\nFlags:\n${rows.map(([l, r]) => `  ${l.padEnd(width)}${r}`).join('\n')}\n  -h, --help${' '.repeat(Math.max(2, width - 8))}show this help\n`;
}

/**
 * Runs a verb body with the shared exit-code rules: 0 ok, 2 for a UsageError (with a pointer to
 * `--help`), 1 for anything else, with the error's message on stderr.
 */
export async function runVerb(verb: string, io: Io, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`netmapper ${verb}: ${err.message}\nRun 'netmapper ${verb} --help' for its flags.\n`);
      return 2;
    }
    io.stderr.write(`netmapper ${verb}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
