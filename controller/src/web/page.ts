// The web map's HTML shell served at `GET /`: controls, the map's container and the details panel. The script
// (and the style, when not inline) come from the controller (`web/app.js`, `web/app.css`; assets.ts), by relative
// URLs, so the page also works behind `kubectl port-forward` or a path prefix and never reaches past the controller.

import { GRAPH_JSON_PATH } from './graph-types.ts';
import { graphUrl, stateFromQuery } from './client/state.ts';

export const SINCE_CHOICES: Array<[string, string]> = [['', 'all time'], ['5m', 'last 5 minutes'], ['15m', 'last 15 minutes'],
  ['1h', 'last hour'], ['6h', 'last 6 hours'], ['24h', 'last 24 hours'], ['7d', 'last 7 days']];

/** The workload kinds' shapes on the map (client/cy-style.ts): labels carry the name only. Outlines in 20×12 boxes. */
const KIND_SHAPES: Array<[string, string]> = [
  ['Deployment and others', '<rect x="1" y="1" width="18" height="10" rx="3"/>'],
  ['StatefulSet', '<path d="M3 1h14q2 0 2 2v6q0 2-2 2H3q-2 0-2-2V3q0-2 2-2z" stroke-linejoin="round"/><path d="M1 3q9-3 18 0M1 9q9 3 18 0"/>'],
  ['DaemonSet', '<path d="M3 1h14l2 2v6l-2 2H3l-2-2V3z"/>'],
  ['Job, CronJob', '<path d="M6 1h8l5 3.5v3L14 11H6L1 7.5v-3z"/>'],
  ['Internet', '<rect x="1" y="1" width="18" height="10" rx="3" stroke="#a35200" stroke-dasharray="3 2" fill="#fff1de"/>'],
];
const KIND_LEGEND = KIND_SHAPES.map(([kind, shape]) => `<span><svg class="shape" viewBox="0 0 20 12" aria-hidden="true">${shape}</svg> ${kind}</span>`).join(' ');

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The page for a request whose query string is `search` (the view state, client/state.ts): it preloads the
 *  graph.json the script will ask for, so the map's data is on its way while the bundle loads and compiles. With
 *  `css` (app.css) the style is inline: a stylesheet still loading would hold the script back. */
export function renderWebPage(search = '', css?: string): string {
  const graph = graphUrl(stateFromQuery(search), GRAPH_JSON_PATH);
  const style = css !== undefined && !/<\/style/i.test(css) ? `<style>${css}</style>` : '<link rel="stylesheet" href="web/app.css">';
  const since = SINCE_CHOICES.map(([v, l]) => `<option value="${v}">${l}</option>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Network Mapper</title>
<link rel="icon" href="data:,">
<script src="web/app.js" defer></script>
${style}
<link rel="preload" href="${attr(graph)}" as="fetch" crossorigin="anonymous">
</head>
<body>
<header>
  <h1>Network Mapper</h1>
  <form id="search-form" role="search" autocomplete="off">
    <label for="search">Find workload</label>
    <input id="search" type="search" list="search-names" placeholder="name (press /)" aria-describedby="search-result">
    <datalist id="search-names"></datalist>
    <button type="submit">Find</button>
    <span id="search-result" role="status"></span>
  </form>
  <div class="view-buttons" role="group" aria-label="View">
    <button type="button" id="zoom-in" aria-label="Zoom in">+</button>
    <button type="button" id="zoom-out" aria-label="Zoom out">−</button>
    <button type="button" id="fit">Fit</button>
    <button type="button" id="relayout">Re-layout</button>
  </div>
  <div class="export-buttons" role="group" aria-label="Export">
    <button type="button" id="export-png">PNG</button>
    <button type="button" id="export-svg">SVG</button>
    <a id="export-yaml" href="api/v1/clientintents?format=yaml" download="clientintents.yaml">YAML</a>
    <a id="export-json" href="api/v1/clientintents?format=json" download="clientintents.json">JSON</a>
  </div>
</header>
<div id="layout">
<aside id="filters" aria-label="Filters">
  <h2>Filters</h2>
  <label for="namespaces">Namespaces <span class="hint">(none selected: all)</span></label>
  <select id="namespaces" multiple size="8"></select>
  <label for="exclude-labels">Exclude labels <span class="hint">key=value, comma-separated</span></label>
  <input id="exclude-labels" type="text" list="label-hints" placeholder="e.g. app=batch">
  <datalist id="label-hints"></datalist>
  <label class="check"><input id="exclude-internet" type="checkbox"> Hide Internet</label>
  <label for="since">Seen in</label>
  <select id="since">${since}</select>
  <p id="filter-error" class="error" role="alert"></p>
  <h2>Map</h2>
  <p id="status" role="status" aria-live="polite">loading…</p>
  <p id="fresh-status"><span id="fresh-count">0</span> new since you opened the page <button type="button" id="fresh-clear">Clear</button></p>
  <p class="legend"><span class="swatch caller"></span> caller <span class="swatch callee"></span> callee <span class="swatch fresh"></span> new</p>
  <p class="legend kinds">${KIND_LEGEND}</p>
</aside>
<main id="map" aria-label="Network map: click a workload or use Find; double-click a namespace to collapse or expand it" tabindex="-1"></main>
<aside id="details" aria-label="Details" aria-live="polite"><h2>Details</h2><p class="hint">Select a workload, a namespace or a connection.</p></aside>
</div>
</body>
</html>
`;
}
