// One rule for text we print that someone else chose (workload names from annotations, DNS names,
// HTTP paths, Kafka topics): characters that can break a line, drive a terminal or reorder what the
// reader sees are shown as escapes, so one record is one line and looks like what it is. The same set
// the report contract refuses at ingest (contract/schema.ts PRINTABLE); names from the cluster
// (annotation values may hold anything) and old snapshots still reach the formats, so every format
// escapes too.

/** C0, DEL, C1, U+2028/U+2029, bidi embeddings, overrides and isolates. */
export const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * `s` unchanged when it has nothing to escape (the common case, byte for byte as before); else each
 * such character as `\n`, `\t`, `\r`, `\xHH` or `\uHHHH`, and backslashes doubled so the escape is unambiguous.
 * @example printable('a\nb.example.net') === 'a\\nb.example.net'
 */
export function printable(s: string): string {
  UNPRINTABLE.lastIndex = 0;
  if (!UNPRINTABLE.test(s)) return s;
  return s.replace(/\\/g, '\\\\').replace(UNPRINTABLE, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    if (c === '\r') return '\\r';
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
