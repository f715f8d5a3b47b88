// Export of what the map shows: PNG through Cytoscape's own renderer, SVG written here from the elements'
// positions and computed styles (Cytoscape draws on a canvas and has no SVG output of its own).

import type cytoscape from 'cytoscape';

/** Longest side of an exported PNG, in pixels: big maps are scaled down rather than made unopenable. */
export const MAX_PNG_SIDE = 8000;

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function exportPng(cy: cytoscape.Core): Blob {
  const bb = cy.elements().boundingBox({});
  const scale = Math.max(0.05, Math.min(2, MAX_PNG_SIDE / Math.max(bb.w, bb.h, 1)));
  return cy.png({ output: 'blob', full: true, scale, bg: '#ffffff' }) as unknown as Blob;
}

/** The drawn map as a standalone SVG document (straight lines, arrowheads, boxes and labels). */
export function exportSvg(cy: cytoscape.Core): string {
  const bb = cy.elements().boundingBox({});
  const pad = 20;
  const out: string[] = [];
  const x0 = bb.x1 - pad, y0 = bb.y1 - pad, w = bb.w + 2 * pad, h = bb.h + 2 * pad;
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="${x0} ${y0} ${w} ${h}" width="${Math.round(w)}" height="${Math.round(h)}" font-family="DejaVu Sans, sans-serif">`);
  out.push('<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker></defs>');
  out.push(`<rect x="${x0}" y="${y0}" width="${w}" height="${h}" fill="#ffffff"/>`);
  const text = (x: number, y: number, label: string, size: number, weight = 'normal') => {
    const lines = label.split('\n');
    const top = y - ((lines.length - 1) * size * 1.2) / 2;
    return `<text x="${x}" y="${top}" font-size="${size}" font-weight="${weight}" text-anchor="middle" dominant-baseline="middle" fill="#1d2430">${lines.map((l, i) => `<tspan x="${x}" dy="${i === 0 ? 0 : size * 1.2}">${esc(l)}</tspan>`).join('')}</text>`;
  };
  const box = (n: cytoscape.NodeSingular) => {
    const b = n.boundingBox({ includeLabels: false, includeOverlays: false });
    const dash = n.style('border-style') === 'dashed' ? ' stroke-dasharray="5,3"' : '';
    return `<rect x="${b.x1}" y="${b.y1}" width="${b.w}" height="${b.h}" rx="6" fill="${n.style('background-color')}" stroke="${n.style('border-color')}" stroke-width="${parseFloat(n.style('border-width'))}"${dash} opacity="${n.style('opacity')}"/>`;
  };
  // Groups first (behind), then lines, then workloads on top.
  cy.nodes().filter((n) => n.isParent()).forEach((g) => {
    const b = g.boundingBox({ includeLabels: false });
    out.push(box(g), text((b.x1 + b.x2) / 2, b.y1 - 10, String(g.data('label') ?? ''), 14, 'bold'));
  });
  cy.edges().forEach((e) => {
    const s = e.sourceEndpoint(), t = e.targetEndpoint();
    const dash = e.style('line-style') === 'dashed' ? ' stroke-dasharray="6,4"' : '';
    out.push(`<line x1="${s.x}" y1="${s.y}" x2="${t.x}" y2="${t.y}" stroke="${e.style('line-color')}" stroke-width="${parseFloat(e.style('width'))}"${dash} marker-end="url(#arrow)" opacity="${e.style('opacity')}"/>`);
    const label = String(e.data('label') ?? '');
    if (label) out.push(text((s.x + t.x) / 2, (s.y + t.y) / 2, label, 9));
  });
  cy.nodes().filter((n) => n.isChildless()).forEach((n) => {
    const p = n.position();
    out.push(box(n), text(p.x, p.y, String(n.data('label') ?? ''), parseFloat(n.style('font-size'))));
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** Saves `data` as a file through a temporary link. */
export function download(data: Blob | string, name: string, type: string): void {
  const blob = typeof data === 'string' ? new Blob([data], { type }) : data;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
