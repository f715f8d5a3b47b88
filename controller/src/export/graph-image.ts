// The map as an image: DOT laid out by Graphviz compiled to WASM (@hpcc-js/wasm-graphviz),
// SVG rasterised by resvg with the DejaVu fonts (Debian fonts-dejavu-core), JPEG by jpeg-js
// (resvg writes only PNG). Everything offline, in process.

import { existsSync } from 'node:fs';
import { Graphviz } from '@hpcc-js/wasm-graphviz';
import { Resvg } from '@resvg/resvg-js';
import jpeg from 'jpeg-js';
import { GRAPH_FONT } from './graph-dot.ts';
import { DEFAULT_DPI, DEFAULT_MAX_SIDE, GraphTooLargeError } from './graph-limits.ts';

/** Where Debian's fonts-dejavu-core puts the faces the graph uses. */
const FONT_FILES = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'];
/** Below this the 14 pt labels are under 7 px: scaling down further draws a smear, so the map is refused. */
export const MIN_READABLE_DPI = 36;
const CSS_DPI = 96;
const JPEG_QUALITY = 90;
/** JPEG (T.81) frames carry 16-bit dimensions. */
const JPEG_MAX_DIMENSION = 65_535;

export interface RasterOptions {
  /** Resolution (default DEFAULT_DPI). */
  dpi?: number;
  /** Longest side in pixels (default DEFAULT_MAX_SIDE); the drawing is scaled down to fit. */
  maxSide?: number;
}

/** The drawing's size in CSS px from Graphviz's `<svg width="..pt" height="..pt">`. */
function svgSize(svg: string): { w: number; h: number } | undefined {
  const m = /<svg[^>]*\swidth="([\d.]+)pt"[^>]*\sheight="([\d.]+)pt"/.exec(svg);
  return m ? { w: Number(m[1]) * 4 / 3, h: Number(m[2]) * 4 / 3 } : undefined;
}

/** The zoom resvg draws at: the asked resolution, scaled down to fit `maxSide`, refused past readability. */
export function rasterZoom(svg: string, opts: RasterOptions = {}): number {
  const dpi = opts.dpi ?? DEFAULT_DPI, maxSide = opts.maxSide ?? DEFAULT_MAX_SIDE;
  let zoom = dpi / CSS_DPI;
  const size = svgSize(svg);
  if (!size) return zoom;
  const side = Math.max(size.w, size.h);
  if (side * zoom > maxSide) zoom = maxSide / side;
  if (zoom * CSS_DPI < MIN_READABLE_DPI) {
    throw new GraphTooLargeError(`the drawing is ${Math.round(size.w * dpi / CSS_DPI)} × ${Math.round(size.h * dpi / CSS_DPI)} px at ${dpi} dpi;`
      + ` fitting it in ${maxSide} px would take ${Math.round(zoom * CSS_DPI)} dpi and leave the labels unreadable`);
  }
  return zoom;
}

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

function rasterise(svg: string, opts: RasterOptions) {
  const zoom = rasterZoom(svg, opts);
  const fontFiles = FONT_FILES.filter((f) => existsSync(f));
  // Without a font resvg draws no text at all; fall back to the system's fonts but say so.
  if (fontFiles.length === 0) process.emitWarning(`DejaVu fonts not found (${FONT_FILES[0]}); labels use system fonts. Install fonts-dejavu-core.`);
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: zoom },
    font: { fontFiles, loadSystemFonts: fontFiles.length === 0, defaultFontFamily: GRAPH_FONT },
  });
  return resvg.render();
}

/**
 * Encodes RGBA pixels as a baseline JPEG, alpha composited over white (JPEG has no alpha).
 * @example encodeJpeg(rendered.pixels, rendered.width, rendered.height, 90)
 */
export function encodeJpeg(rgba: Uint8Array, width: number, height: number, quality = JPEG_QUALITY): Uint8Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > JPEG_MAX_DIMENSION || height > JPEG_MAX_DIMENSION) {
    throw new Error(`jpeg: image size ${width}x${height} is outside 1..${JPEG_MAX_DIMENSION}`);
  }
  if (rgba.length < width * height * 4) throw new Error(`jpeg: ${rgba.length} bytes is too few for ${width}x${height} RGBA`);
  const over = new Uint8Array(width * height * 4);
  for (let i = 0; i < over.length; i += 4) {
    const a = rgba[i + 3]!;
    for (let c = 0; c < 3; c++) over[i + c] = Math.round((rgba[i + c]! * a + 255 * (255 - a)) / 255);
    over[i + 3] = 255;
  }
  const q = Math.min(100, Math.max(1, Math.round(quality)));
  return new Uint8Array(jpeg.encode({ data: over, width, height }, q).data);
}

export async function renderPng(dot: string, opts: RasterOptions = {}): Promise<Uint8Array> {
  return new Uint8Array(rasterise(await renderSvg(dot), opts).asPng());
}

export async function renderJpg(dot: string, opts: RasterOptions = {}): Promise<Uint8Array> {
  const img = rasterise(await renderSvg(dot), opts);
  return encodeJpeg(new Uint8Array(img.pixels), img.width, img.height);
}
