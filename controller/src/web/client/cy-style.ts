// The map's look: workloads as boxes labelled with their name and shaped by their kind (page.ts's legend), namespaces
// as framed groups, Internet destinations dashed and orange in their own group, Kafka and HTTP lines coloured and labelled with topics and paths.

import type cytoscape from 'cytoscape';

export const COLORS = {
  text: '#1d2430', node: '#e8f0fe', nodeBorder: '#4a6fa5', group: '#f3f5f8', groupBorder: '#8a96a8',
  collapsed: '#d7e1f0', internet: '#fff1de', internetBorder: '#a35200', edge: '#7d8a9c',
  kafka: '#7b3fa0', http: '#1f7a4d', caller: '#c2410c', callee: '#1d4ed8', callerFill: '#fde3d3', calleeFill: '#d6e2fd', selectedFill: '#fde68a', fresh: '#15803d', selected: '#111827',
};

export const CY_STYLE: cytoscape.StylesheetJson = [
  { selector: 'node', style: { label: 'data(label)', 'font-family': 'DejaVu Sans, system-ui, sans-serif', color: COLORS.text, 'min-zoomed-font-size': 5 } },
  // The kind is the shape (the page's legend shows them): a rounded box for a Deployment (and anything else).
  { selector: 'node.workload', style: {
    shape: 'round-rectangle', width: 'data(w)', height: 'data(h)', 'font-size': 11,
    'background-color': COLORS.node, 'border-width': 1, 'border-color': COLORS.nodeBorder, 'text-valign': 'center',
  } },
  { selector: 'node.kind-StatefulSet', style: { shape: 'barrel' } },
  { selector: 'node.kind-DaemonSet', style: { shape: 'cut-rectangle' } },
  { selector: 'node.kind-Job, node.kind-CronJob', style: { shape: 'octagon' } },
  { selector: 'node.workload.internet', style: { 'background-color': COLORS.internet, 'border-color': COLORS.internetBorder, 'border-style': 'dashed' } },
  // A folded namespace's label has two lines (name, count): wrapped. A workload's is one line, its name, left to
  // Cytoscape's default 'none': no wrap pass for it.
  { selector: 'node.group', style: {
    shape: 'round-rectangle', 'text-wrap': 'wrap', 'font-size': 14, 'font-weight': 'bold', 'background-color': COLORS.group, 'border-width': 1.5,
    'border-color': COLORS.groupBorder, padding: '14px',
  } },
  { selector: 'node.group.internet', style: { 'background-color': '#fffaf2', 'border-color': COLORS.internetBorder, 'border-style': 'dashed' } },
  { selector: 'node.group.collapsed', style: {
    'background-color': COLORS.collapsed, 'border-width': 2, 'text-valign': 'center', width: 'data(w)', height: 'data(h)', padding: '0px', 'font-size': 13,
  } },
  { selector: 'node.group.collapsed.internet', style: { 'background-color': COLORS.internet } },
  // Every style property an element gets costs Cytoscape work per element whenever it is styled (adding an unfolded
  // namespace styles a few hundred): values that are Cytoscape's defaults are left out (text-halign center, text-valign
  // top for a namespace, control-point-weights 0.5), and only lines with a label get the label's properties.
  // Straight: the cheapest line for Cytoscape to work out and draw, and one property. Only the two directions of a pair
  // of workloads (class `twoway`, elements.ts) bend, each a little to its own left, so they do not overlap — what
  // bundled beziers do, without their search for parallel lines (most of a big map's draw time, measured). A line to
  // or from a folded group is one per pair of ends, with both directions on it.
  { selector: 'edge', style: {
    width: 1.2, 'line-color': COLORS.edge, 'target-arrow-color': COLORS.edge, 'target-arrow-shape': 'triangle', 'arrow-scale': 0.8,
    'curve-style': 'straight',
  } },
  { selector: 'edge.twoway', style: { 'curve-style': 'unbundled-bezier', 'control-point-distances': 16 } },
  { selector: 'edge[?label]', style: {
    label: 'data(label)', 'font-size': 9, 'min-zoomed-font-size': 7, 'text-rotation': 'autorotate',
    'text-background-color': '#ffffff', 'text-background-opacity': 0.85, 'text-background-padding': '1px', color: '#374151',
  } },
  { selector: 'edge.meta', style: { width: 2, opacity: 0.45 } },
  { selector: 'edge.meta[?label]', style: { 'font-size': 11, 'font-weight': 'bold' } },
  { selector: 'edge.meta.both', style: { 'source-arrow-shape': 'triangle', 'source-arrow-color': COLORS.edge } },
  { selector: 'edge.type-kafka', style: { 'line-color': COLORS.kafka, 'target-arrow-color': COLORS.kafka, 'source-arrow-color': COLORS.kafka, width: 1.8 } },
  { selector: 'edge.type-http', style: { 'line-color': COLORS.http, 'target-arrow-color': COLORS.http, 'source-arrow-color': COLORS.http, width: 1.8 } },
  { selector: 'edge.type-internet', style: { 'line-color': COLORS.internetBorder, 'target-arrow-color': COLORS.internetBorder, 'source-arrow-color': COLORS.internetBorder, 'line-style': 'dashed' } },
  { selector: 'node.fresh', style: { 'border-color': COLORS.fresh, 'border-width': 3 } },
  { selector: 'edge.fresh', style: { 'line-color': COLORS.fresh, 'target-arrow-color': COLORS.fresh, 'source-arrow-color': COLORS.fresh, width: 2.5 } },
  // A highlight dims the rest with CSS (map-view.ts applyHighlight; style.css #map.dimmed); `faded` is for exports,
  // which draw without the page's CSS. A lit group is drawn over the dimmed map: its frame only, not its fill.
  { selector: '.faded', style: { opacity: 0.18 } },
  { selector: 'node.group.lit', style: { 'background-opacity': 0 } },
  // Highlight looks change colours only, never a size: a size change makes Cytoscape recompute the bounds of the
  // element, its lines and its namespace box, most of what a click cost once namespaces were open (bench:web).
  { selector: 'node.caller', style: { 'border-color': COLORS.caller, 'background-color': COLORS.callerFill } },
  { selector: 'node.callee', style: { 'border-color': COLORS.callee, 'background-color': COLORS.calleeFill } },
  { selector: 'edge.caller', style: { 'line-color': COLORS.caller, 'target-arrow-color': COLORS.caller, 'source-arrow-color': COLORS.caller, opacity: 1 } },
  { selector: 'edge.callee', style: { 'line-color': COLORS.callee, 'target-arrow-color': COLORS.callee, 'source-arrow-color': COLORS.callee, opacity: 1 } },
  { selector: 'node:selected', style: { 'border-color': COLORS.selected, 'background-color': COLORS.selectedFill, 'overlay-opacity': 0 } },
  { selector: 'edge:selected', style: { 'line-color': COLORS.selected, 'target-arrow-color': COLORS.selected, 'source-arrow-color': COLORS.selected, opacity: 1 } },
];
