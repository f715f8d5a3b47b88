// Documents to YAML with the `yaml` package, shaped as the reference prints them (§4.3): block
// style, sequences indented under their key, no line folding, documents joined by `\n---\n`, no
// final newline. The YAML 1.1 schema makes the writer quote what a 1.1 parser (kubectl's) would
// read as something else — `yes`, `on`, `1:20` — besides what 1.2 already quotes (`true`, `123`, `*`).
import { stringify } from 'yaml';

const OPTIONS = { version: '1.1', lineWidth: 0, indentSeq: true } as const;

export function renderYamlDocs(docs: readonly object[]): string {
  return docs.map((d) => stringify(d, OPTIONS).replace(/\n$/, '')).join('\n---\n');
}
