// A Prometheus text exposition format (0.0.4) parser, bounded: label values are unescaped exactly
// (dots, quotes, commas, braces and `\n` survive), a line or a scrape past its limit is cut and counted,
// and a malformed line is skipped and counted by reason — never a throw, never an unbounded allocation.
// Grammar: https://prometheus.io/docs/instrumenting/exposition_formats/#text-format-details

export interface Sample {
  name: string;
  /** Label name → unescaped value. A Map, so a label called `__proto__` is just a label. */
  labels: Map<string, string>;
  value: number;
}

export interface ParseOptions {
  /** Only samples of these metric names are kept (their labels parsed); others are passed over cheaply. */
  names?: ReadonlySet<string>;
  /** Longest line accepted, in UTF-16 code units (default 64 Ki). Envoy's istio_requests_total lines are ~1.5 K. */
  maxLineLength?: number;
  /** Kept samples; past it parsing stops and `truncated` is set (default 100 000). */
  maxSamples?: number;
  /** Labels per sample (default 64). */
  maxLabels?: number;
}

export type SkipReason =
  | 'line-too-long' | 'bad-metric-name' | 'bad-label-name' | 'bad-label-value' | 'bad-escape'
  | 'duplicate-label' | 'too-many-labels' | 'bad-value' | 'bad-timestamp' | 'trailing-garbage';

export interface ParseResult {
  samples: Sample[];
  /** Lines skipped, by reason. */
  skipped: Partial<Record<SkipReason, number>>;
  /** Sample lines of other metrics, not parsed further. */
  ignored: number;
  /** True when maxSamples stopped the parse early. */
  truncated: boolean;
}

export const DEFAULT_MAX_LINE_LENGTH = 64 * 1024;
export const DEFAULT_MAX_SAMPLES = 100_000;
export const DEFAULT_MAX_LABELS = 64;

const isNameStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58;   // a-z A-Z _ :
const isNameChar = (c: number) => isNameStart(c) || (c >= 48 && c <= 57);
const isLabelStart = (c: number) => c !== 58 && isNameStart(c);                                            // no ':' in label names
const isLabelChar = (c: number) => c !== 58 && isNameChar(c);
/** What may follow a metric name: blanks, `{`, or the line's end. */
const isNameEnd = (c: number) => c === 32 || c === 9 || c === 123 || c === 13 || c === 10 || Number.isNaN(c);
const SPACE = 32, TAB = 9, QUOTE = 34, BACKSLASH = 92, COMMA = 44, EQUALS = 61, LBRACE = 123, RBRACE = 125, HASH = 35;

/** Decimal floats as exporters write them, plus the special values (text format: "NaN", "+Inf", "-Inf"). */
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL: Record<string, number> = { NaN: NaN, Nan: NaN, nan: NaN, '+Inf': Infinity, Inf: Infinity, '+inf': Infinity, inf: Infinity, '-Inf': -Infinity, '-inf': -Infinity };

function parseValue(tok: string): number | undefined {
  if (tok in SPECIAL) return SPECIAL[tok];
  if (!FLOAT.test(tok)) return undefined;
  return Number(tok);
}

class LineError {
  constructor(readonly reason: SkipReason) {}
}

/** Parses one sample line `name{l="v",...} value [timestamp]` from `s` (already bounded). */
function parseSampleLine(s: string, names: ReadonlySet<string> | undefined, maxLabels: number): Sample | LineError | null {
  let i = 0;
  const n = s.length;
  if (!isNameStart(s.charCodeAt(0))) return new LineError('bad-metric-name');
  while (i < n && isNameChar(s.charCodeAt(i))) i++;
  const name = s.slice(0, i);
  const after = s.charCodeAt(i);
  if (i < n && after !== SPACE && after !== TAB && after !== LBRACE) return new LineError('bad-metric-name');
  if (names && !names.has(name)) return null;
  const labels = new Map<string, string>();
  const skipBlank = () => { while (i < n && (s.charCodeAt(i) === SPACE || s.charCodeAt(i) === TAB)) i++; };
  skipBlank();
  if (s.charCodeAt(i) === LBRACE) {
    i++;
    for (;;) {
      skipBlank();
      if (s.charCodeAt(i) === RBRACE) { i++; break; }
      const start = i;
      if (!isLabelStart(s.charCodeAt(i))) return new LineError('bad-label-name');
      while (i < n && isLabelChar(s.charCodeAt(i))) i++;
      const label = s.slice(start, i);
      skipBlank();
      if (s.charCodeAt(i) !== EQUALS) return new LineError('bad-label-name');
      i++;
      skipBlank();
      if (s.charCodeAt(i) !== QUOTE) return new LineError('bad-label-value');
      i++;
      // Unescape: only \\, \" and \n are legal (the reference parser rejects any other escape).
      let value = '';
      let chunk = i;
      for (;;) {
        if (i >= n) return new LineError('bad-label-value');
        const c = s.charCodeAt(i);
        if (c === QUOTE) break;
        if (c === BACKSLASH) {
          value += s.slice(chunk, i);
          const e = s.charCodeAt(i + 1);
          if (e === BACKSLASH) value += '\\';
          else if (e === QUOTE) value += '"';
          else if (e === 110) value += '\n';
          else return new LineError('bad-escape');
          i += 2;
          chunk = i;
          continue;
        }
        i++;
      }
      value += s.slice(chunk, i);
      i++;   // closing quote
      if (labels.has(label)) return new LineError('duplicate-label');
      if (labels.size >= maxLabels) return new LineError('too-many-labels');
      labels.set(label, value);
      skipBlank();
      const sep = s.charCodeAt(i);
      if (sep === COMMA) { i++; continue; }
      if (sep === RBRACE) { i++; break; }
      return new LineError('bad-label-value');
    }
  }
  // value [timestamp], separated by blanks; nothing else may follow.
  const rest = s.slice(i).trim().split(/[ \t]+/);
  if (rest[0] === '') return new LineError('bad-value');
  const value = parseValue(rest[0]!);
  if (value === undefined) return new LineError('bad-value');
  if (rest.length >= 2 && !/^-?\d+$/.test(rest[1]!)) return new LineError('bad-timestamp');
  if (rest.length > 2) return new LineError('trailing-garbage');
  return { name, labels, value };
}

/**
 * Parses a scrape. Comments (`# HELP`, `# TYPE`, anything after `#`) and blank lines are passed over;
 * CRLF line ends are accepted.
 * @example parsePrometheusText(body, { names: new Set(['istio_requests_total']) }).samples
 */
export function parsePrometheusText(text: string, opts: ParseOptions = {}): ParseResult {
  const maxLine = opts.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  const maxSamples = opts.maxSamples ?? DEFAULT_MAX_SAMPLES;
  const maxLabels = opts.maxLabels ?? DEFAULT_MAX_LABELS;
  const out: ParseResult = { samples: [], skipped: {}, ignored: 0, truncated: false };
  const skip = (r: SkipReason) => { out.skipped[r] = (out.skipped[r] ?? 0) + 1; };
  const names = opts.names ? [...opts.names] : undefined;
  let pos = 0;
  const len = text.length;
  while (pos < len) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = len;
    const lineStart = pos;
    pos = end + 1;
    if (end - lineStart > maxLine) { skip('line-too-long'); continue; }
    let first = lineStart;
    while (first < end && (text.charCodeAt(first) === SPACE || text.charCodeAt(first) === TAB)) first++;
    if (first === end || text.charCodeAt(first) === HASH || (first === end - 1 && text.charCodeAt(first) === 13)) continue;
    // Most lines of a sidecar scrape are other families: recognise them without copying the line.
    if (names && !names.some((n) => text.startsWith(n, first) && isNameEnd(text.charCodeAt(first + n.length)))) {
      if (isNameStart(text.charCodeAt(first))) { out.ignored++; continue; }
    }
    let lineEnd = end;
    if (text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    const r = parseSampleLine(text.slice(first, lineEnd), opts.names, maxLabels);
    if (r === null) { out.ignored++; continue; }
    if (r instanceof LineError) { skip(r.reason); continue; }
    if (out.samples.length >= maxSamples) { out.truncated = true; break; }
    out.samples.push(r);
  }
  return out;
}
