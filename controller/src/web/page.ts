// The live web view served at `GET /`: one self-contained HTML page (no CDN, no external
// assets, works offline) that polls the export API and shows the graph SVG and a table of edges.
// It asks with relative URLs, so it also works behind `kubectl port-forward` or a path prefix.

/** How often the page polls, in milliseconds. */
export const POLL_INTERVAL_MS = 5000;

const STYLE = `
  body { font-family: "DejaVu Sans", system-ui, sans-serif; margin: 0; color: #1d2430; background: #f6f7f9; }
  header { display: flex; gap: 1rem; align-items: center; padding: .6rem 1rem; background: #1d2430; color: #fff; flex-wrap: wrap; }
  header h1 { font-size: 1.1rem; margin: 0 1rem 0 0; }
  header label { font-size: .85rem; }
  header input[type=text] { width: 14rem; }
  #status { margin-left: auto; font-size: .85rem; }
  #status.error { color: #ffb4a9; }
  main { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1rem; padding: 1rem; }
  section { background: #fff; border: 1px solid #d8dce3; border-radius: 6px; padding: .75rem; overflow: auto; }
  #graph svg { max-width: 100%; height: auto; }
  table { border-collapse: collapse; width: 100%; font-size: .85rem; }
  th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #eceef2; vertical-align: top; }
  th { background: #f0f2f5; }
  .internet { color: #8a4b00; }
  .empty { color: #6b7280; font-style: italic; }
`;

const SCRIPT = `
(() => {
  const POLL = ${POLL_INTERVAL_MS};
  const $ = (id) => document.getElementById(id);
  const filters = () => {
    const p = new URLSearchParams();
    const ns = $('namespaces').value.trim();
    if (ns) p.set('namespaces', ns);
    if ($('excludeInternet').checked) p.set('excludeInternet', 'true');
    return p.toString();
  };
  const cell = (tr, text, cls) => { const td = document.createElement('td'); td.textContent = text; if (cls) td.className = cls; tr.appendChild(td); };
  const describe = (t, clientNs) => {
    const split = (n) => { const i = n.indexOf('.'); return i < 0 ? n + '.' + clientNs : n; };
    if (t.kubernetes) return { target: split(t.kubernetes.name), kind: t.kubernetes.kind || 'workload',
      detail: (t.kubernetes.http || []).map((h) => h.path + ' ' + h.methods.join(',')).join('; ') };
    if (t.service) return { target: split(t.service.name), kind: 'Service', detail: '' };
    if (t.kafka) return { target: split(t.kafka.name), kind: 'Kafka',
      detail: (t.kafka.topics || []).map((x) => x.name + ' [' + x.operations.join(' ') + ']').join('; ') };
    const i = t.internet || {};
    return { target: (i.domains || i.ips || []).join(', '), kind: 'Internet', detail: (i.ports || []).join(', '), cls: 'internet' };
  };
  async function refresh() {
    const q = filters();
    try {
      const [svgRes, jsonRes] = await Promise.all([fetch('api/v1/graph.svg?' + q), fetch('api/v1/clientintents?format=json&' + q)]);
      if (!svgRes.ok) throw new Error('graph: HTTP ' + svgRes.status + ' ' + (await svgRes.text()));
      if (!jsonRes.ok) throw new Error('clientintents: HTTP ' + jsonRes.status + ' ' + (await jsonRes.text()));
      const [svg, docs] = [await svgRes.text(), await jsonRes.json()];
      const rows = [];
      for (const d of docs) for (const t of d.spec.targets) rows.push({ client: d.metadata.name + '.' + d.metadata.namespace, ...describe(t, d.metadata.namespace) });
      const body = $('edges');
      body.replaceChildren();
      for (const r of rows) {
        const tr = document.createElement('tr');
        cell(tr, r.client); cell(tr, r.target, r.cls); cell(tr, r.kind); cell(tr, r.detail);
        body.appendChild(tr);
      }
      if (rows.length === 0) { const tr = document.createElement('tr'); cell(tr, 'No connections found.', 'empty'); tr.firstChild.colSpan = 4; body.appendChild(tr); }
      // The SVG comes from our own Graphviz render of names already escaped as XML text.
      $('graph').innerHTML = svg;
      $('status').className = '';
      $('status').textContent = docs.length + ' clients, ' + rows.length + ' connections; updated ' + new Date().toLocaleTimeString();
    } catch (err) {
      $('status').className = 'error';
      $('status').textContent = 'update failed: ' + (err && err.message ? err.message : err);
    }
  }
  let timer;
  const schedule = () => { clearTimeout(timer); refresh().finally(() => { timer = setTimeout(schedule, POLL); }); };
  $('namespaces').addEventListener('change', schedule);
  $('excludeInternet').addEventListener('change', schedule);
  schedule();
})();
`;

/** The page's HTML; everything it needs is inline. */
export function renderWebPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Network Mapper</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>Network Mapper</h1>
  <label>Namespaces <input id="namespaces" type="text" placeholder="all (comma-separated)"></label>
  <label><input id="excludeInternet" type="checkbox"> hide Internet</label>
  <span id="status">loading…</span>
</header>
<main>
  <section><div id="graph"></div></section>
  <section>
    <table>
      <thead><tr><th>Client</th><th>Target</th><th>Kind</th><th>Details</th></tr></thead>
      <tbody id="edges"></tbody>
    </table>
  </section>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
