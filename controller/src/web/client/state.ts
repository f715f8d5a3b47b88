// The page's view state and its URL form, so a view can be shared: the filters (the API's own parameter names),
// the search text, the selection, which namespaces are collapsed, and the viewport.

export interface ViewState {
  namespaces: string[];
  excludeLabels: string[];
  excludeInternet: boolean;
  /** A duration (`15m`) or RFC 3339 time; '' for all time. */
  since: string;
  /** Search text. */
  q: string;
  /** Selected element id (node, namespace group or edge), '' for none. */
  sel: string;
  /** Collapsed groups (namespace names, `(internet)`); undefined: the size-based default. */
  collapsed?: string[];
  /** Zoom and pan; undefined: fit the map. */
  view?: { zoom: number; x: number; y: number };
}

export const INTERNET_GROUP = '(internet)';

const list = (p: URLSearchParams, k: string): string[] => (p.get(k) ?? '').split(',').map((s) => s.trim()).filter(Boolean);

export function stateFromQuery(search: string): ViewState {
  const p = new URLSearchParams(search);
  const s: ViewState = {
    namespaces: list(p, 'namespaces'), excludeLabels: list(p, 'excludeLabels'),
    excludeInternet: ['1', 'true', ''].includes(p.get('excludeInternet') ?? 'no'),
    since: p.get('since') ?? '', q: p.get('q') ?? '', sel: p.get('sel') ?? '',
  };
  if (p.has('collapsed')) s.collapsed = list(p, 'collapsed');
  const v = (p.get('view') ?? '').split(',').map(Number);
  if (v.length === 3 && v.every(Number.isFinite) && v[0] > 0) s.view = { zoom: v[0], x: v[1], y: v[2] };
  return s;
}

/** The filters alone, as graph.json and the ClientIntents export take them. */
export function filterQuery(s: ViewState): URLSearchParams {
  const p = new URLSearchParams();
  if (s.namespaces.length) p.set('namespaces', s.namespaces.join(','));
  if (s.excludeLabels.length) p.set('excludeLabels', s.excludeLabels.join(','));
  if (s.excludeInternet) p.set('excludeInternet', 'true');
  if (s.since) p.set('since', s.since);
  return p;
}

/** The graph.json URL (relative to the page) for `s`'s filters: the page asks for it, and the server names it in
 *  the page's preload link, so both must spell it the same. */
export function graphUrl(s: ViewState, path: string): string {
  return `${path}?${filterQuery(s)}`;
}

export function stateToQuery(s: ViewState): string {
  const p = filterQuery(s);
  if (s.q) p.set('q', s.q);
  if (s.sel) p.set('sel', s.sel);
  if (s.collapsed) p.set('collapsed', s.collapsed.join(','));
  if (s.view) p.set('view', [s.view.zoom, s.view.x, s.view.y].map((n) => Math.round(n * 1000) / 1000).join(','));
  const q = p.toString();
  return q ? `?${q}` : '';
}
