// One YAML scalar for the templated renderers. Otterize's template writes values raw; names,
// kinds and typical paths stay raw here too, and anything a YAML parser would read as something
// else (`*`, `: `, `#`, `true`, `123`, IPv6 colons...) is double-quoted so the document still
// parses to the same strings (YAML 1.2 §7.3.1: a double-quoted scalar is JSON-compatible).

const PLAIN_SAFE = /^[A-Za-z0-9_./-]+$/;
/** `svc:kubernetes.default`: a colon inside a word is plain (YAML 1.2 §7.3.3); all-digit colon
 *  forms like `1:20` stay quoted, since YAML 1.1 parsers read them as base-60 numbers. */
const PLAIN_WITH_COLON = /^[A-Za-z0-9_./-][A-Za-z0-9_./:-]*[A-Za-z0-9_./-]$/;
const AMBIGUOUS = /^(?:[-+]?(?:\d[\d_]*)?(?:\.\d*)?(?:[eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+|\.(?:inf|nan)|true|false|yes|no|on|off|y|n|null|~|-|\.|\.\.\.)$/i;

export function yamlScalar(value: string): string {
  const plain = PLAIN_SAFE.test(value) || (PLAIN_WITH_COLON.test(value) && /[A-Za-z]/.test(value));
  if (value !== '' && plain && !AMBIGUOUS.test(value) && !value.startsWith('-')) return value;
  return JSON.stringify(value);
}
