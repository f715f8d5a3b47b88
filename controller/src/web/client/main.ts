// The web map's entry point (bundled by esbuild into web/app.js): reads the view state from the URL, fetches the
// graph, draws it, wires the controls, and keeps the map live. `window.netmapperView` exposes the view and its
// timings to the browser tests and the benchmark.

import './style.css';
import { GRAPH_JSON_PATH, type GraphModel } from '../graph-types.ts';
import { renderDetails } from './details.ts';
import { download, exportPng, exportSvg } from './export-image.ts';
import { whenIdle } from './idle.ts';
import { startLive } from './live.ts';
import { loadFcose } from './fcose-loader.ts';
import { createMapView } from './map-view.ts';
import { filterQuery, graphUrl, stateFromQuery, stateToQuery, type ViewState } from './state.ts';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const state: ViewState = stateFromQuery(location.search);
// No extra headers: the first request must match the page's <link rel="preload"> (page.ts) to reuse its response.
const fetchGraph = () => fetch(graphUrl(state, GRAPH_JSON_PATH));
/** The first request goes out before the map is set up (and was preloaded by the page). */
let early: Promise<Response> | undefined = fetchGraph();
const timings: Record<string, number> = {};
const started = performance.now();
timings.scriptStart = started;
let liveState = 'connecting';
let ready!: () => void;
const readyPromise = new Promise<void>((r) => { ready = r; });

/** Whether the address bar's update is queued: replaceState cost the page 10–16 ms a call (CPU profile; Chromium's
 *  same-document navigation), and one search changes the view twice (the namespace unfolded, then the selection). It
 *  is written once, when the page is next idle: after the map's next frame, not before it. */
let urlQueued = false;
function writeUrl(): void {
  if (!urlQueued) {
    urlQueued = true;
    const write = () => { urlQueued = false; history.replaceState(null, '', `${location.pathname}${stateToQuery(state)}`); };
    whenIdle(write, 250);
  }
  const q = filterQuery(state).toString();
  $<HTMLAnchorElement>('export-yaml').href = `api/v1/clientintents?format=yaml${q ? `&${q}` : ''}`;
  $<HTMLAnchorElement>('export-json').href = `api/v1/clientintents?format=json${q ? `&${q}` : ''}`;
}

let viewportTimer: ReturnType<typeof setTimeout> | undefined;
const view = createMapView({
  container: $('map'),
  collapsed: state.collapsed,
  onSelect: (id) => { state.sel = id; renderDetails($('details'), view, id); writeUrl(); },
  onCollapse: () => { state.collapsed = view.collapsed(); writeUrl(); },
});
view.cy.on('viewport', () => {
  clearTimeout(viewportTimer);
  viewportTimer = setTimeout(() => { const p = view.cy.pan(); state.view = { zoom: view.cy.zoom(), x: p.x, y: p.y }; writeUrl(); }, 300);
});
view.cy.on('tap', 'node, edge', (e) => view.select(e.target.id()));
// A workload's label is its name; its kind, drawn as the shape, is also named on hover (and in the details panel).
// The title goes on the element holding Cytoscape's canvases: an attribute change of its container is taken for a
// resize (a MutationObserver) and redraws everything.
const hoverTitle = () => (view.cy.container()?.firstElementChild ?? $('map')) as HTMLElement;
view.cy.on('mouseover', 'node.workload', (e) => { const d = e.target.data(); hoverTitle().title = d.kind ? `${d.name} (${d.kind})` : d.name; });
view.cy.on('mouseout', 'node.workload', () => { hoverTitle().removeAttribute('title'); });
view.cy.on('tap', (e) => { if (e.target === view.cy) view.select(''); });
// A double-click's first tap has selected the folded group; opening it drops that selection, so the group is drawn
// progressively (a plain unfold; with a selection everything goes in at once, its highlight worked out whole).
view.cy.on('dbltap', 'node.group', (e) => {
  const id = e.target.id(), g = view.groupOf(id);
  if (!g) return;
  if (view.isCollapsed(g) && view.selected() === id) view.select('');
  view.toggleGroup(g);
});

function showStatus(m: GraphModel): void {
  const workloads = m.nodes.filter((n) => n.namespace).length;
  const ext = m.nodes.length - workloads;
  $('status').textContent = `${workloads} workloads, ${ext} Internet destinations, ${m.edges.length} connections; ${liveState}; updated ${new Date().toLocaleTimeString()}`;
  const nodes = view.freshNodes(), edges = view.freshEdges();
  const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
  $('fresh-count').textContent = `${plural(nodes, 'workload')} and ${plural(edges, 'connection')}`;
}

function fillControls(m: GraphModel): void {
  const sel = $<HTMLSelectElement>('namespaces');
  const names = [...new Set([...m.namespaces, ...state.namespaces])].sort();
  const current = [...sel.options].map((o) => o.value).join();
  if (current !== names.join()) {
    sel.replaceChildren(...names.map((n) => { const o = new Option(n, n); o.selected = state.namespaces.includes(n); if (!m.namespaces.includes(n)) o.text = `${n} (no connections)`; return o; }));
  }
}

/** The search and label suggestions: a thousand options, filled when the page is next idle (after the first frame,
 *  and after a refetch's): nobody reads them while the map redraws, and a refilter spent ~10 ms on them. */
let suggestionsFor: GraphModel | undefined;
function fillSuggestions(m: GraphModel): void {
  const fill = () => {
    if (suggestionsFor !== m) return;   // a newer model came meanwhile: its own call fills them
    $('label-hints').replaceChildren(...m.labels.map((l) => new Option(l, l)));
    $('search-names').replaceChildren(...[...new Set(m.nodes.map((n) => n.name))].sort().map((n) => new Option(n, n)));
  };
  suggestionsFor = m;
  whenIdle(fill, 1000);
}

async function load(o: { relayout?: boolean } = {}): Promise<boolean> {
  const t0 = performance.now();
  let res: Response;
  try {
    res = await (early ?? fetchGraph());
    early = undefined;
  } catch (err) {
    $('filter-error').textContent = `cannot reach the controller: ${(err as Error).message}`;
    return false;
  }
  if (!res.ok) {
    const body = await res.json().catch(() => undefined) as { error?: { message?: string } } | undefined;
    $('filter-error').textContent = body?.error?.message ?? `HTTP ${res.status}`;
    return false;
  }
  const model = await res.json() as GraphModel;
  const t1 = performance.now();
  $('filter-error').textContent = '';
  view.setModel(model, o);
  const t2 = performance.now();
  timings.fetch = t1 - t0;
  timings.draw = t2 - t1;
  const t3 = performance.now();
  // The first time, the side panels are filled right after the first frame (boot): the map comes first.
  if (timings.firstRender !== undefined) fillPanels(model);
  timings.controls = performance.now() - t3;
  if (state.sel && state.sel !== view.selected()) view.select(state.sel);
  else if (timings.firstRender !== undefined) renderDetails($('details'), view, view.selected());
  return true;
}

function fillPanels(model: GraphModel): void {
  fillControls(model);
  fillSuggestions(model);
  showStatus(model);
  // Only when it changes: Cytoscape takes any attribute change of its container for a resize and redraws everything.
  const label = `Network map of ${model.nodes.length} workloads and destinations and ${model.edges.length} connections: click a workload or use Find; double-click a namespace to collapse or expand it`;
  if ($('map').getAttribute('aria-label') !== label) $('map').setAttribute('aria-label', label);
}

const currentRevision = () => view.model()?.revision ?? -1;

async function boot(): Promise<void> {
  $<HTMLInputElement>('exclude-labels').value = state.excludeLabels.join(',');
  $<HTMLInputElement>('exclude-internet').checked = state.excludeInternet;
  const since = $<HTMLSelectElement>('since');
  if (state.since && ![...since.options].some((o) => o.value === state.since)) since.append(new Option(`since ${state.since}`, state.since));
  since.value = state.since;
  $<HTMLInputElement>('search').value = state.q;
  await load();
  const t0 = performance.now();
  if (state.view) { view.cy.zoom(state.view.zoom); view.cy.pan({ x: state.view.x, y: state.view.y }); } else view.fit();
  if (state.sel) view.select(state.sel, { centre: !state.view });
  writeUrl();
  timings.fit = performance.now() - t0;
  // The first frame with the map drawn: what a user waits for.
  const t1 = performance.now();
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  timings.frame = performance.now() - t1;
  // Since navigation start (performance's time origin): what a user waits for, script download and parse included.
  timings.firstRender = performance.now();
  // After the first frame, in the same task (a test that sees firstRender sees the panels filled too): the controls,
  // the status and the suggestions; then fCoSE for Re-layout.
  const m = view.model();
  if (m) { fillPanels(m); if (!state.sel) renderDetails($('details'), view, view.selected()); }
  ready();
  loadFcose().catch((err: Error) => { $('filter-error').textContent = err.message; });
  startLive(currentRevision, async () => { await load(); }, (s) => { liveState = s; const m = view.model(); if (m) showStatus(m); });
}

// Filters: each change refetches; what stays keeps its place.
const refilter = async () => { writeUrl(); await load(); };
$<HTMLSelectElement>('namespaces').addEventListener('change', (e) => {
  state.namespaces = [...(e.target as HTMLSelectElement).selectedOptions].map((o) => o.value);
  void refilter();
});
$<HTMLInputElement>('exclude-labels').addEventListener('change', (e) => {
  state.excludeLabels = (e.target as HTMLInputElement).value.split(',').map((s) => s.trim()).filter(Boolean);
  void refilter();
});
$<HTMLInputElement>('exclude-internet').addEventListener('change', (e) => { state.excludeInternet = (e.target as HTMLInputElement).checked; void refilter(); });
$<HTMLSelectElement>('since').addEventListener('change', (e) => { state.since = (e.target as HTMLSelectElement).value; void refilter(); });

$('search-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const q = $<HTMLInputElement>('search').value.trim();
  state.q = q;
  const t0 = performance.now();
  const [i, n] = view.find(q);
  timings.search = performance.now() - t0;
  $('search-result').textContent = n === 0 ? (q ? `no match for “${q}”` : '') : `${i} of ${n}: ${view.index().nodes.get(view.selected())?.name ?? ''}`;
  writeUrl();
});
$('zoom-in').addEventListener('click', () => view.zoomBy(1.25));
$('zoom-out').addEventListener('click', () => view.zoomBy(0.8));
$('fit').addEventListener('click', () => view.fit());
$('relayout').addEventListener('click', () => { void view.relayout(); });
$('export-png').addEventListener('click', () => download(view.withFaded(() => exportPng(view.cy)), 'network-map.png', 'image/png'));
$('export-svg').addEventListener('click', () => download(view.withFaded(() => exportSvg(view.cy)), 'network-map.svg', 'image/svg+xml'));
$('fresh-clear').addEventListener('click', () => { view.clearFresh(); const m = view.model(); if (m) showStatus(m); });

// The details panel's buttons select (and centre) what they name, and keep keyboard focus in the panel.
$('details').addEventListener('click', (e) => {
  const b = (e.target as HTMLElement).closest('button');
  if (!b) return;
  if (b.dataset.toggle) { view.toggleGroup(b.dataset.toggle); renderDetails($('details'), view, view.selected()); }
  else if (b.dataset.select !== undefined) view.select(b.dataset.select, { centre: true });
  else return;
  ($('details').querySelector('button') as HTMLElement | null)?.focus();
});
document.addEventListener('keydown', (e) => {
  const typing = (e.target as HTMLElement).closest('input, select, textarea');
  if (e.key === '/' && !typing) { e.preventDefault(); $('search').focus(); }
  else if (e.key === 'Escape') view.select('');
});

(window as unknown as { netmapperView: unknown }).netmapperView = { view, state, timings, ready: readyPromise, load };
void boot();
