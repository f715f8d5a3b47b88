// The details panel: for a workload, who calls it and whom it calls (each a button that selects it, so the map can
// be walked with the keyboard alone); for a connection, first and last seen, count, how it was seen, Kafka topics
// and HTTP paths; for a group, its workloads and a fold/unfold button.

import type { GraphEdge, GraphNode } from '../graph-types.ts';
import type { MapView } from './map-view.ts';

/** What each record source means to a reader. */
export const SOURCE_NAMES: Record<string, string> = {
  dns: 'DNS answer', tcp: 'TCP SYN', socket: 'socket scan', kafka: 'Kafka watcher', istio: 'Istio watcher',
};

type Child = Node | string;
function h(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) el.append(c);
  return el;
}

export const nodeTitle = (n: GraphNode | undefined, id: string): string => (n ? (n.namespace ? `${n.name}.${n.namespace}` : n.name) : id);
const when = (iso: string) => { const d = new Date(iso); return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z')}`; };
const button = (label: string, sel: string, aria?: string) => h('button', { type: 'button', 'data-select': sel, ...(aria ? { 'aria-label': aria } : {}) }, label);

function edgeRows(view: MapView, edges: GraphEdge[], peerOf: (e: GraphEdge) => string, arrow: string): HTMLElement {
  const idx = view.index();
  if (edges.length === 0) return h('p', { class: 'hint' }, 'none');
  const ul = h('ul', { class: 'peers' });
  for (const e of [...edges].sort((a, b) => (peerOf(a) < peerOf(b) ? -1 : 1))) {
    const peer = idx.nodes.get(peerOf(e));
    const title = nodeTitle(peer, peerOf(e));
    const extra = [...(e.topics ?? []).map((t) => t.name), ...(e.paths ?? []).map((p) => p.path)].join(', ');
    ul.append(h('li', {}, `${arrow} `, button(title, peerOf(e)), ' ', button('details', e.id, `connection details ${arrow} ${title}`), extra ? h('span', { class: 'hint' }, ` ${extra}`) : ''));
  }
  return ul;
}

function edgeDetails(view: MapView, e: GraphEdge): HTMLElement[] {
  const idx = view.index();
  const dl = h('dl');
  const row = (k: string, v: Child) => dl.append(h('dt', {}, k), h('dd', {}, v));
  row('From', button(nodeTitle(idx.nodes.get(e.source), e.source), e.source));
  row('To', button(nodeTitle(idx.nodes.get(e.target), e.target), e.target));
  row('Types', e.types.join(', '));
  row('First seen', when(e.firstSeen));
  row('Last seen', when(e.lastSeen));
  row('Times seen', String(e.count));
  row('Seen by', e.sources.map((s) => SOURCE_NAMES[s] ?? s).join(', '));
  const out = [h('h3', {}, 'Connection'), dl];
  if (e.topics?.length) out.push(h('h4', {}, 'Kafka topics'), h('ul', {}, ...e.topics.map((t) => h('li', {}, `${t.name}: ${t.operations.join(', ')}`))));
  if (e.paths?.length) out.push(h('h4', {}, 'HTTP paths'), h('ul', {}, ...e.paths.map((p) => h('li', {}, `${p.methods.join(', ')} ${p.path}`))));
  const target = idx.nodes.get(e.target);
  if (target?.internet) out.push(h('h4', {}, 'Destination'), h('p', {}, `IPs: ${target.internet.ips.join(', ') || '—'}; ports: ${target.internet.ports.join(', ') || '—'}`));
  return out;
}

/** Renders the panel for the selected id ('' → a hint). */
export function renderDetails(panel: HTMLElement, view: MapView, id: string): void {
  const idx = view.index();
  const body: Child[] = [h('h2', {}, 'Details')];
  const node = idx.nodes.get(id);
  const edge = idx.edges.get(id);
  const ele = id ? view.cy.getElementById(id) : undefined;
  if (node) {
    body.push(h('h3', {}, nodeTitle(node, id)));
    const dl = h('dl');
    dl.append(h('dt', {}, 'Kind'), h('dd', {}, node.kind || 'unknown'));
    if (node.namespace) dl.append(h('dt', {}, 'Namespace'), h('dd', {}, button(node.namespace, `g:${node.namespace}`)));
    if (node.internet) dl.append(h('dt', {}, 'IPs'), h('dd', {}, node.internet.ips.join(', ') || '—'), h('dt', {}, 'Ports'), h('dd', {}, node.internet.ports.join(', ') || '—'));
    const labels = Object.entries(node.labels ?? {});
    if (labels.length) dl.append(h('dt', {}, 'Labels'), h('dd', {}, labels.map(([k, v]) => `${k}=${v}`).join(', ')));
    body.push(dl);
    const callees = idx.out.get(id) ?? [], callers = idx.in.get(id) ?? [];
    body.push(h('h4', {}, `Calls (${callees.length})`), edgeRows(view, callees, (e) => e.target, '→'));
    body.push(h('h4', {}, `Called by (${callers.length})`), edgeRows(view, callers, (e) => e.source, '←'));
  } else if (edge) {
    body.push(...edgeDetails(view, edge));
  } else if (id.startsWith('m:') && ele?.nonempty()) {
    const ids = (ele.data('edges') as string[]) ?? [];
    body.push(h('h3', {}, `${ids.length} connection${ids.length === 1 ? '' : 's'}`));
    body.push(h('ul', { class: 'peers' }, ...ids.map((eid) => {
      const e = idx.edges.get(eid);
      const label = e ? `${nodeTitle(idx.nodes.get(e.source), e.source)} → ${nodeTitle(idx.nodes.get(e.target), e.target)}` : eid;
      return h('li', {}, button(label, eid));
    })));
  } else if (id.startsWith('g:')) {
    const g = view.groupOf(id)!;
    const members = [...idx.nodes.values()].filter((n) => (n.namespace ?? '(internet)') === g);
    body.push(h('h3', {}, g === '(internet)' ? 'Internet' : `Namespace ${g}`), h('p', {}, `${members.length} ${g === '(internet)' ? 'destinations' : 'workloads'}`));
    body.push(h('button', { type: 'button', 'data-toggle': g }, view.isCollapsed(g) ? 'Expand' : 'Collapse'));
    body.push(h('ul', { class: 'peers' }, ...members.sort((a, b) => (a.name < b.name ? -1 : 1)).slice(0, 200).map((n) => h('li', {}, button(nodeTitle(n, n.id), n.id)))));
  } else {
    body.push(h('p', { class: 'hint' }, 'Select a workload, a namespace or a connection.'));
  }
  panel.replaceChildren(...body);
}
