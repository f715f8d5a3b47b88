// The map as an image: DOT laid out by Graphviz compiled to WASM (@hpcc-js/wasm-graphviz),
// SVG rasterised by resvg with the DejaVu fonts (Debian fonts-dejavu-core), JPEG by our own
// baseline encoder (resvg writes only PNG). Everything offline, in process.

import { existsSync } from 'node:fs';
import { Graphviz } from '@hpcc-js/wasm-graphviz';
import { Resvg } from '@resvg/resvg-js';
import { encodeJpeg } from './jpeg-encode.ts';
import { GRAPH_FONT } from './graph-dot.ts';

/** Where Debian's fonts-dejavu-core puts the faces the graph uses. */
const FONT_FILES = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'];
/** Raster scale: Graphviz lays out in points; 2x keeps small labels readable. */
const RASTER_ZOOM = 2;
const JPEG_QUALITY = 90;

let graphviz: Promise<Graphviz> | undefined;
/** The last layout: the web view polls, and an unchanged map need not be laid out again. */
let last: { dot: string; svg: string } | undefined;

/** Lays the DOT graph out as SVG. The WASM module is loaded once, on first use. */
export async function renderSvg(dot: string): Promise<string> {
  if (last?.dot === dot) return last.svg;
  graphviz ??= Graphviz.load();
  const gv = await graphviz;
  try {
    const svg = gv.dot(dot, 'svg');
    last = { dot, svg };
    return svg;
  } catch (err) {
    throw new Error(`graphviz could not lay out the graph: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function rasterise(svg: string) {
  const fontFiles = FONT_FILES.filter((f) => existsSync(f));
  // Without a font resvg draws no text at all; fall back to the system's fonts but say so.
  if (fontFiles.length === 0) process.emitWarning(`DejaVu fonts not found (${FONT_FILES[0]}); labels use system fonts. Install fonts-dejavu-core.`);
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: RASTER_ZOOM },
    font: { fontFiles, loadSystemFonts: fontFiles.length === 0, defaultFontFamily: GRAPH_FONT },
  });
  return resvg.render();
}

export async function renderPng(dot: string): Promise<Uint8Array> {
  return new Uint8Array(rasterise(await renderSvg(dot)).asPng());
}

export async function renderJpg(dot: string): Promise<Uint8Array> {
  const img = rasterise(await renderSvg(dot));
  return encodeJpeg(new Uint8Array(img.pixels), img.width, img.height, JPEG_QUALITY);
}
