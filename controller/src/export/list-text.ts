// The `list` text (reference §4.2), byte for byte as the Otterize CLI prints it, plus
// `  - <domain> (Internet)` lines for Internet targets (after the in-cluster targets, by domain).
// Every name is printed through printable(): one entry is one line, whatever a name holds.

import { printable as p } from '../../common/printable.ts';
import { internetLabel, splitTargetName } from './client-intents.ts';
import type { ClientIntentsDoc } from './client-intents.ts';

/** Renders the documents as the `list` text, one line per entry, each ending in `\n`; '' when empty. */
export function renderList(docs: readonly ClientIntentsDoc[]): string {
  return [...renderListChunks(docs)].join('');
}

/** The same text, one document's lines at a time (the controller streams it). */
export function* renderListChunks(docs: readonly ClientIntentsDoc[]): Generator<string> {
  for (const doc of docs) yield renderDocLines(doc);
}

function renderDocLines(doc: ClientIntentsDoc): string {
  const out: string[] = [];
  out.push(`${p(doc.name)} in namespace ${p(doc.namespace)} calls:`);
  for (const t of doc.targets) {
    if ('internet' in t) {
      out.push(`  - ${p(internetLabel(t))} (Internet)`);
      continue;
    }
    const name = 'kubernetes' in t ? t.kubernetes.name : 'service' in t ? t.service.name : t.kafka.name;
    const server = splitTargetName(name, doc.namespace);
    out.push(`  - ${p(server.name)} in namespace ${p(server.namespace)}`);
    if ('kafka' in t) {
      // Go's %v of a string slice: space-separated inside brackets.
      for (const topic of t.kafka.topics) out.push(`    - Kafka topic: ${p(topic.name)}, operations: [${p(topic.operations.join(' '))}]`);
    } else {
      const http = 'kubernetes' in t ? t.kubernetes.http : t.service.http;
      for (const r of http ?? []) out.push(`    - path ${p(r.path)}, methods: [${p(r.methods.join(','))}]`);
    }
  }
  return out.map((l) => `${l}\n`).join('');
}

/** What the CLI prints on stderr when there is nothing to list (reference §4). */
export const NO_CONNECTIONS = 'No connections found.';
