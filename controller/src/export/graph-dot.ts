// The map as a Graphviz DOT graph (reference §4.4): rankdir=LR, one node per `name.namespace`,
// one edge per ClientIntents target. Internet destinations are dashed boxes labelled
// `<domain> (Internet)`. Past CLUSTER_NODES_OVER nodes (or when asked) each namespace is a cluster
// (a framed, labelled group whose nodes show only the workload name) and Internet destinations
// are gathered in one "Internet" cluster.

import { printable } from '../../common/printable.ts';
import { internetLabel, splitTargetName } from './client-intents.ts';
import type { ClientIntentsDoc } from './client-intents.ts';

/** The font the labels are laid out and drawn with (Debian fonts-dejavu-core). */
export const GRAPH_FONT = 'DejaVu Sans';
/** Namespaces become clusters by default when the graph has more nodes than this. */
export const CLUSTER_NODES_OVER = 15;

export interface DotOptions {
  /** Namespaces as clusters: true, false, or undefined for "past CLUSTER_NODES_OVER nodes". */
  clusters?: boolean;
}

interface DotNode { attrs: string; group: string; short: string }
const INTERNET = '\u0000internet';

export function renderDot(docs: readonly ClientIntentsDoc[], opts: DotOptions = {}): string {
  return [...renderDotChunks(docs, opts)].join('');
}

/** renderDot's text in pieces of up to 1,000 lines (the controller streams it; the layout needs every node first). */
export function* renderDotChunks(docs: readonly ClientIntentsDoc[], opts: DotOptions = {}): Generator<string> {
  const nodes = new Map<string, DotNode>();
  const edges: string[] = [];
  for (const doc of docs) {
    const client = `${doc.name}.${doc.namespace}`;
    if (!nodes.has(client)) nodes.set(client, { attrs: '', group: doc.namespace, short: doc.name });
    for (const t of doc.targets) {
      let node: string;
      if ('internet' in t) {
        node = `${internetLabel(t)} (Internet)`;
        nodes.set(node, { attrs: 'shape=box, style=dashed', group: INTERNET, short: internetLabel(t) });
      } else {
        const name = 'kubernetes' in t ? t.kubernetes.name : 'service' in t ? t.service.name : t.kafka.name;
        const s = splitTargetName(name, doc.namespace);
        node = `${s.name}.${s.namespace}`;
        if (!nodes.has(node)) nodes.set(node, { attrs: '', group: s.namespace, short: s.name });
      }
      const style = 'kafka' in t ? ' [label="kafka"]' : ('kubernetes' in t && t.kubernetes.http) || ('service' in t && t.service.http) ? ' [label="http"]' : '';
      edges.push(`  ${id(client)} -> ${id(node)}${style};`);
    }
  }
  const clusters = opts.clusters ?? nodes.size > CLUSTER_NODES_OVER;
  const attrList = (a: string) => (a ? ` [${a}]` : '');
  let body: string[];
  if (!clusters) {
    body = [...nodes].map(([n, d]) => `  ${id(n)}${attrList(d.attrs)};`);
  } else {
    const groups = new Map<string, Array<[string, DotNode]>>();
    for (const [n, d] of nodes) {
      let g = groups.get(d.group);
      if (!g) groups.set(d.group, g = []);
      g.push([n, d]);
    }
    body = [];
    const names = [...groups.keys()].sort((a, b) => (a === INTERNET ? 1 : b === INTERNET ? -1 : a < b ? -1 : a > b ? 1 : 0));
    names.forEach((g, i) => {
      const internet = g === INTERNET;
      body.push(`  subgraph ${id(`cluster_${i}`)} {`,
        `    label=${id(internet ? 'Internet' : g)}; style="rounded,filled"; fillcolor=${internet ? '"#fffaf2"' : '"#f3f5f8"'}; color=${internet ? '"#a35200"' : '"#8a96a8"'};`);
      for (const [n, d] of groups.get(g)!) body.push(`    ${id(n)} [${[`label=${id(d.short)}`, d.attrs].filter(Boolean).join(', ')}];`);
      body.push('  }');
    });
  }
  yield [
    'digraph "network-map" {',
    '  rankdir=LR;',
    `  graph [fontname=${id(GRAPH_FONT)}];`,
    `  node [margin=0.2, fontname=${id(GRAPH_FONT)}${clusters ? ', style=filled, fillcolor=white' : ''}];`,
    `  edge [fontname=${id(GRAPH_FONT)}, fontsize=10];`,
    '',
  ].join('\n');
  for (const lines of [body, edges]) {
    for (let i = 0; i < lines.length; i += 1000) yield `${lines.slice(i, i + 1000).join('\n')}\n`;
  }
  yield '}\n';
}

/** A DOT quoted ID: only `"` and `\` need escaping inside quotes (graphviz.org/doc/info/lang.html);
 *  control characters are first shown as escapes (printable), whose backslash is then escaped too, so
 *  Graphviz's own label escapes (`\n`, `\N`, `\G`) never act on a name. */
function id(s: string): string {
  return `"${printable(s).replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
