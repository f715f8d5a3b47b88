// The map as a Graphviz DOT graph (reference §4.4): rankdir=LR, one node per `name.namespace`,
// one edge per ClientIntents target. Internet destinations are dashed boxes labelled
// `<domain> (Internet)`.

import { printable } from '../../common/printable.ts';
import { internetLabel, splitTargetName } from './client-intents.ts';
import type { ClientIntentsDoc } from './client-intents.ts';

/** The font the labels are laid out and drawn with (Debian fonts-dejavu-core). */
export const GRAPH_FONT = 'DejaVu Sans';

export function renderDot(docs: readonly ClientIntentsDoc[]): string {
  const nodes = new Map<string, string>();
  const edges: string[] = [];
  for (const doc of docs) {
    const client = `${doc.name}.${doc.namespace}`;
    nodes.set(client, '');
    for (const t of doc.targets) {
      let node: string;
      if ('internet' in t) {
        node = `${internetLabel(t)} (Internet)`;
        nodes.set(node, ' [shape=box, style=dashed]');
      } else {
        const name = 'kubernetes' in t ? t.kubernetes.name : 'service' in t ? t.service.name : t.kafka.name;
        const s = splitTargetName(name, doc.namespace);
        node = `${s.name}.${s.namespace}`;
        if (!nodes.has(node)) nodes.set(node, '');
      }
      const style = 'kafka' in t ? ' [label="kafka"]' : ('kubernetes' in t && t.kubernetes.http) || ('service' in t && t.service.http) ? ' [label="http"]' : '';
      edges.push(`  ${id(client)} -> ${id(node)}${style};`);
    }
  }
  return [
    'digraph "network-map" {',
    '  rankdir=LR;',
    `  graph [fontname=${id(GRAPH_FONT)}];`,
    `  node [margin=0.2, fontname=${id(GRAPH_FONT)}];`,
    `  edge [fontname=${id(GRAPH_FONT)}, fontsize=10];`,
    ...[...nodes].map(([n, attrs]) => `  ${id(n)}${attrs};`),
    ...edges,
    '}',
    '',
  ].join('\n');
}

/** A DOT quoted ID: only `"` and `\` need escaping inside quotes (graphviz.org/doc/info/lang.html);
 *  control characters are first shown as escapes (printable), whose backslash is then escaped too, so
 *  Graphviz's own label escapes (`\n`, `\N`, `\G`) never act on a name. */
function id(s: string): string {
  return `"${printable(s).replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
