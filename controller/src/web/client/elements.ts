// The graph model → Cytoscape elements for the current collapse state. A namespace (or the Internet group) is a
// compound node holding its workloads; collapsed, it is one node and the lines to and from its workloads become
// one line per other namespace (arrows at both ends when calls go both ways), labelled with how many connections it
// stands for.

import type { GraphEdge, GraphModel, GraphNode } from '../graph-types.ts';
import { INTERNET_GROUP } from './state.ts';

/** A namespace with more workloads than this starts collapsed. */
export const COLLAPSE_NAMESPACE_OVER = 40;
/** A map with more workloads than this starts with every group collapsed. */
export const COLLAPSE_ALL_OVER = 250;

export interface ElementData { id: string; [k: string]: unknown }
export interface Element { group: 'nodes' | 'edges'; data: ElementData; classes?: string }

/** Box size for a label (DejaVu Sans: about 0.6 em per character), so nothing is measured while laying out. */
export function labelBox(label: string, fontPx: number, pad: number): { w: number; h: number } {
  const lines = label.split('\n');
  return { w: Math.ceil(Math.max(...lines.map((l) => l.length)) * fontPx * 0.62 + 2 * pad), h: Math.ceil(lines.length * fontPx * 1.25 + 2 * pad) };
}

/** A drawn workload's box: its name at 11px, 6px around it. */
export const workloadSize = (n: GraphNode): { w: number; h: number } => labelBox(n.name, 11, 6);

export const groupOf = (n: GraphNode): string => n.namespace ?? INTERNET_GROUP;
export const groupId = (g: string): string => (g === INTERNET_GROUP ? 'g:internet' : `g:${g}`);

/** Groups collapsed when the URL does not say: all past COLLAPSE_ALL_OVER workloads, else the big ones. */
export function defaultCollapsed(model: GraphModel): string[] {
  const sizes = new Map<string, number>();
  for (const n of model.nodes) sizes.set(groupOf(n), (sizes.get(groupOf(n)) ?? 0) + 1);
  if (model.nodes.length > COLLAPSE_ALL_OVER) return [...sizes.keys()].sort();
  return [...sizes].filter(([, n]) => n > COLLAPSE_NAMESPACE_OVER).map(([g]) => g).sort();
}

function edgeLabel(e: GraphEdge): string {
  const parts = [...(e.topics ?? []).map((t) => t.name), ...(e.paths ?? []).map((p) => p.path)];
  if (parts.length === 0) return '';
  return parts.length > 3 ? `${parts.slice(0, 3).join(', ')} +${parts.length - 3}` : parts.join(', ');
}

/** Elements for `model` with the groups in `collapsed` folded; `fresh` ids get the `fresh` class. */
export function buildElements(model: GraphModel, collapsed: ReadonlySet<string>, fresh: ReadonlySet<string> = new Set()): Element[] {
  const out: Element[] = [];
  const members = new Map<string, GraphNode[]>();
  for (const n of model.nodes) {
    const g = groupOf(n);
    let m = members.get(g);
    if (!m) members.set(g, m = []);
    m.push(n);
  }
  const visible = new Map<string, string>();   // node id → the id drawn for it
  const boxOf = new Map<string, string>();     // drawn workload id → its namespace's (open) box
  for (const [g, nodes] of [...members].sort(([a], [b]) => (a === INTERNET_GROUP ? 1 : b === INTERNET_GROUP ? -1 : a < b ? -1 : 1))) {
    const gid = groupId(g);
    const isCollapsed = collapsed.has(g);
    const label = g === INTERNET_GROUP ? 'Internet' : g;
    const freshInside = nodes.some((n) => fresh.has(n.id));
    const glabel = isCollapsed ? `${label}\n${nodes.length} ${g === INTERNET_GROUP ? 'destinations' : 'workloads'}` : label;
    out.push({
      group: 'nodes',
      data: { id: gid, label: glabel, group: g, size: nodes.length, kind: 'group', ...(isCollapsed ? labelBox(glabel, 13, 12) : {}) },
      classes: ['group', isCollapsed ? 'collapsed' : 'expanded', g === INTERNET_GROUP ? 'internet' : '', isCollapsed && freshInside ? 'fresh' : ''].filter(Boolean).join(' '),
    });
    for (const n of nodes) {
      if (isCollapsed) { visible.set(n.id, gid); continue; }
      visible.set(n.id, n.id);
      boxOf.set(n.id, gid);
      // The name alone: the kind is the box's shape (cy-style.ts, the page's legend) and is in the details panel and
      // the hover title. A second line cost Cytoscape a wrap pass and a second measure per workload added (bench:web).
      out.push({
        group: 'nodes',
        data: { id: n.id, parent: gid, name: n.name, kind: n.kind, label: n.name, ...workloadSize(n) },
        classes: ['workload', n.kind === 'Internet' ? 'internet' : `kind-${n.kind || 'unknown'}`, fresh.has(n.id) ? 'fresh' : ''].filter(Boolean).join(' '),
      });
    }
  }
  // One line per pair of namespaces when either is folded: an open one's end is its box, not each of its workloads
  // (the lines of a selected workload are lit through it: map-view.ts applyHighlight). Both directions are one line
  // with an arrow at each end. Opening a namespace of 50 among folded ones draws its own lines and about 20 more,
  // not a fan of ~80 from its workloads: less to read, and every line costs Cytoscape style, geometry and drawing.
  const meta = new Map<string, { a: string; b: string; ab: string[]; ba: string[]; fresh: boolean }>();
  /** Every connection's ends, to find the two directions of a pair (drawn bent, not straight: cy-style.ts). */
  const reverse = new Set(model.edges.map((e) => `${e.source}\n${e.target}`));
  for (const e of model.edges) {
    let s = visible.get(e.source), t = visible.get(e.target);
    if (!s || !t) continue;
    if (s === e.source && t === e.target) {
      const cls = ['conn', ...e.types.map((x) => `type-${x}`), fresh.has(e.id) ? 'fresh' : '', reverse.has(`${t}\n${s}`) ? 'twoway' : ''].filter(Boolean).join(' ');
      out.push({ group: 'edges', data: { id: e.id, source: s, target: t, label: edgeLabel(e) }, classes: cls });
      continue;
    }
    s = boxOf.get(s) ?? s;
    t = boxOf.get(t) ?? t;
    if (s === t) continue;    // inside one collapsed group: counted on the group, not drawn
    const [a, b] = s < t ? [s, t] : [t, s];
    const key = `${a}\n${b}`;
    let m = meta.get(key);
    if (!m) meta.set(key, m = { a, b, ab: [], ba: [], fresh: false });
    (s === a ? m.ab : m.ba).push(e.id);
    if (fresh.has(e.id)) m.fresh = true;
  }
  for (const m of meta.values()) {
    const both = m.ab.length > 0 && m.ba.length > 0;
    const [source, target] = m.ab.length ? [m.a, m.b] : [m.b, m.a];
    const edges = [...m.ab, ...m.ba];
    const id = both ? `m:${m.a}<>${m.b}` : `m:${source}>${target}`;
    out.push({ group: 'edges', data: { id, source, target, label: edges.length > 1 ? String(edges.length) : '', edges }, classes: `conn meta${both ? ' both' : ''}${m.fresh ? ' fresh' : ''}` });
  }
  return out;
}
