// The controller's export endpoints: the `list` text, ClientIntents YAML/JSON, the graph as
// DOT/SVG/PNG/JPG, and the web map at `/` (web/routes.ts, mounted here). Same format functions as the CLI and replay.

import { Hono } from 'hono';
import type { Context } from 'hono';
import { toClientIntents } from './client-intents.ts';
import type { ClientIntentsDoc } from './client-intents.ts';
import { renderListChunks } from './list-text.ts';
import { renderYamlV2Chunks } from './yaml-v2.ts';
import { renderYamlV1Chunks } from './yaml-v1.ts';
import { renderJsonChunks } from './json.ts';
import { renderDot, renderDotChunks } from './graph-dot.ts';
import { textResponse } from './stream-body.ts';
import { ParamError, parseExportFilters, parseImageOptions } from './query-params.ts';
import { checkGraphSize, GraphTooLargeError, HTTP_FILTER_ADVICE } from './graph-limits.ts';
import type { RasterOptions } from './graph-image.ts';
import { createWebRoutes } from '../web/routes.ts';
import type { IntentReader } from '../model.ts';

/** Turns DOT into images. The default (graph-image.ts: Graphviz WASM + resvg, a Node addon) is
 *  imported lazily, so this module stays free of Node imports and a runtime can inject another. */
export interface ImageRenderer {
  renderSvg(dot: string): Promise<string>;
  renderPng(dot: string, opts?: RasterOptions): Promise<Uint8Array>;
  renderJpg(dot: string, opts?: RasterOptions): Promise<Uint8Array>;
}

export interface ExportRouteDeps {
  intents: IntentReader;
  now?: () => Date;
  renderImage?: ImageRenderer;
}

const NO_STORE = { 'cache-control': 'no-store' };

/** The pieces and then `\n`, unless there were no pieces (an empty YAML answer stays empty). */
function* withFinalNewline(pieces: Iterable<string>): Generator<string> {
  let any = false;
  for (const p of pieces) { any = true; yield p; }
  if (any) yield '\n';
}

export function createExportRoutes(deps: ExportRouteDeps): Hono {
  const now = deps.now ?? (() => new Date());
  let renderer: Promise<ImageRenderer> | undefined = deps.renderImage ? Promise.resolve(deps.renderImage) : undefined;
  const images = () => (renderer ??= import('./graph-image.ts'));
  const app = new Hono();

  /** Runs the filtered query and converts it; bad parameters become a 400 naming the parameter. */
  const docsFor = (c: Context): ClientIntentsDoc[] => {
    const f = parseExportFilters(new URL(c.req.url).searchParams, now);
    return toClientIntents(deps.intents.query(f.query), { excludeServices: f.excludeServices, includeInternet: f.includeInternet });
  };

  app.onError((err, c) => {
    // The controller's error shape (app.ts): { error: { code, message, field? } }.
    if (err instanceof ParamError) return c.json({ error: { code: err.code, message: err.message, field: err.field } }, 400);
    if (err instanceof GraphTooLargeError) return c.json({ error: { code: err.code, message: `${err.message}; ${HTTP_FILTER_ADVICE}` } }, 422);
    console.error('export route failed:', err);
    return c.json({ error: { code: 'internal', message: err instanceof Error ? err.message : String(err) } }, 500);
  });

  // The text answers are streamed (stream-body.ts): produced as the client reads, never whole in memory.
  app.get('/api/v1/list', (c) => textResponse(renderListChunks(docsFor(c)), { 'content-type': 'text/plain; charset=utf-8', ...NO_STORE }));

  app.get('/api/v1/clientintents', (c) => {
    const format = c.req.query('format') ?? 'yaml';
    const version = c.req.query('version') ?? 'v2beta1';
    if (format !== 'yaml' && format !== 'json') throw new ParamError('format', `expected yaml or json, got ${JSON.stringify(format)}`);
    if (version !== 'v2beta1' && version !== 'v1alpha3') throw new ParamError('version', `expected v2beta1 or v1alpha3, got ${JSON.stringify(version)}`);
    if (format === 'json' && version !== 'v2beta1') throw new ParamError('version', 'JSON is written as v2beta1 only, as the Otterize CLI does');
    const docs = docsFor(c);
    if (format === 'json') return textResponse(withFinalNewline(renderJsonChunks(docs)), { 'content-type': 'application/json; charset=utf-8', ...NO_STORE });
    const yaml = version === 'v2beta1' ? renderYamlV2Chunks(docs) : renderYamlV1Chunks(docs);
    return textResponse(withFinalNewline(yaml), { 'content-type': 'application/yaml; charset=utf-8', ...NO_STORE });
  });

  /** The filtered map as DOT for an image, refused (422) when too big to draw readably. */
  const imageDot = (c: Context) => {
    const params = new URL(c.req.url).searchParams;
    const opts = parseImageOptions(params);
    const docs = docsFor(c);
    checkGraphSize(docs);
    return { dot: renderDot(docs, { clusters: opts.clusters }), raster: { dpi: opts.dpi, maxSide: opts.maxSide } };
  };
  app.get('/api/v1/graph.dot', (c) => textResponse(renderDotChunks(docsFor(c), { clusters: parseImageOptions(new URL(c.req.url).searchParams).clusters }), { 'content-type': 'text/vnd.graphviz; charset=utf-8', ...NO_STORE }));
  app.get('/api/v1/graph.svg', async (c) => {
    const { dot } = imageDot(c);
    return c.body(await (await images()).renderSvg(dot), 200, { 'content-type': 'image/svg+xml', ...NO_STORE });
  });
  app.get('/api/v1/graph.png', async (c) => {
    const { dot, raster } = imageDot(c);
    return c.body(await (await images()).renderPng(dot, raster) as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'image/png', ...NO_STORE });
  });
  app.get('/api/v1/graph.jpg', async (c) => {
    const { dot, raster } = imageDot(c);
    return c.body(await (await images()).renderJpg(dot, raster) as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'image/jpeg', ...NO_STORE });
  });

  app.route('/', createWebRoutes({ intents: deps.intents, now, revision: deps.intents.revision?.bind(deps.intents) }));
  return app;
}
