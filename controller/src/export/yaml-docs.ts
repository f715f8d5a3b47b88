// Documents to YAML with the `yaml` package, shaped as the reference prints them (§4.3): block
// style, sequences indented under their key, no line folding, documents joined by `\n---\n`, no
// final newline. The YAML 1.1 schema makes the writer quote what a 1.1 parser (kubectl's) would
// read as something else — `yes`, `on`, `1:20` — besides what 1.2 already quotes (`true`, `123`, `*`).
// A string holding a control character, a Unicode line separator or a bidi control (common/printable.ts)
// is written double-quoted with every such character as a `\uXXXX` escape: YAML 1.1 readers take NEL,
// U+2028 and U+2029 as line breaks, and a terminal shows the rest as something else.
import { Scalar, stringify } from 'yaml';
import { UNPRINTABLE } from '../../common/printable.ts';

const OPTIONS = { version: '1.1', lineWidth: 0, indentSeq: true } as const;
const hasUnprintable = (s: string): boolean => { UNPRINTABLE.lastIndex = 0; return UNPRINTABLE.test(s); };

/** Strings needing escapes become double-quoted scalars; everything else as it was. */
function quoteUnprintable(v: unknown): unknown {
  if (typeof v === 'string') {
    if (!hasUnprintable(v)) return v;
    const s = new Scalar(v);
    s.type = Scalar.QUOTE_DOUBLE;
    return s;
  }
  if (Array.isArray(v)) return v.map(quoteUnprintable);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, quoteUnprintable(x)]));
  return v;
}

/** Raw characters the writer left inside double quotes, as `\uXXXX` (valid in YAML 1.1 and 1.2 double-quoted scalars). */
const escapeLeft = (text: string): string => text.replace(UNPRINTABLE, (c) => (c === '\n' ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));

export function renderYamlDocs(docs: readonly object[]): string {
  return [...renderYamlDocsChunks(docs)].join('');
}

/** The same text, one document at a time (the controller streams it). */
export function* renderYamlDocsChunks(docs: Iterable<object>): Generator<string> {
  let first = true;
  for (const d of docs) {
    const text = escapeLeft(stringify(quoteUnprintable(d), OPTIONS)).replace(/\n$/, '');
    yield first ? text : `\n---\n${text}`;
    first = false;
  }
}
