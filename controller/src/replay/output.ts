// Writes what `replay list|export|visualize` prints, with the export engineer's format functions
// (the same ones the controller's endpoints serve) and the Otterize CLI's output conventions (§4.2–4.4).

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IntentReader } from '../model.ts';
import { toClientIntents, type ClientIntentsDoc } from '../export/client-intents.ts';
import { NO_CONNECTIONS, renderList } from '../export/list-text.ts';
import { renderJson } from '../export/json.ts';
import { renderYamlV1 } from '../export/yaml-v1.ts';
import { renderYamlV2 } from '../export/yaml-v2.ts';
import { renderDot } from '../export/graph-dot.ts';
import { renderJpg, renderPng, renderSvg } from '../export/graph-image.ts';
import { ParamError, parseExportFilters } from '../export/query-params.ts';
import { UsageError, type ReplayFlags } from './flags.ts';

export interface Io {
  stdout(s: string | Uint8Array): void;
  stderr(s: string): void;
}

const FLAG_OF: Record<string, string> = {
  namespaces: '--namespaces', server: '--server', excludeLabels: '--exclude-labels', excludeServices: '--exclude-services',
};

/** Checks the verb's flags before any capture is read, so a typo fails fast. */
export function checkOutputFlags(f: ReplayFlags): void {
  if (f.verb === 'list' && f.format !== undefined && f.format !== 'text')
    throw new UsageError(`${f.format} output format is not supported in 'list' command. Try using 'export' instead`);
  if (f.verb === 'export') {
    if (f.format !== undefined && f.format !== 'yaml' && f.format !== 'json') throw new UsageError(`--format: expected yaml or json, got ${JSON.stringify(f.format)}`);
    if (f.outputVersion !== undefined && f.outputVersion !== 'v1' && f.outputVersion !== 'v2') throw new UsageError(`--output-version: expected v1 or v2, got ${JSON.stringify(f.outputVersion)}`);
    if (f.format === 'json' && f.outputVersion === 'v1') throw new UsageError('--output-version v1: JSON is written as v2beta1 only, as the Otterize CLI does');
    if (f.outputType !== undefined && f.outputType !== 'single-file' && f.outputType !== 'dir') throw new UsageError(`--output-type: expected single-file or dir, got ${JSON.stringify(f.outputType)}`);
    if (f.outputType !== undefined && f.output === undefined) throw new UsageError('flag --output-type requires --output to specify output path');
  }
  if (f.verb === 'visualize') {
    const fmt = f.format ?? 'png';
    if (!['png', 'jpg', 'jpeg', 'svg', 'dot'].includes(fmt)) throw new UsageError(`--format: expected png, jpg, svg or dot, got ${JSON.stringify(fmt)}`);
    if ((fmt === 'png' || fmt === 'jpg' || fmt === 'jpeg') && f.output === undefined) throw new UsageError(`--output-path is required for --format ${fmt}`);
  }
  filterDocs(f, { query: () => [] });
}

/** The filtered ClientIntents documents, through the same filter parser as the controller's routes. */
export function filterDocs(f: ReplayFlags, intents: IntentReader): ClientIntentsDoc[] {
  const params = new URLSearchParams();
  if (f.namespaces.length) params.set('namespaces', f.namespaces.join(','));
  if (f.server !== undefined) params.set('server', f.server);
  if (f.excludeServices.length) params.set('excludeServices', f.excludeServices.join(','));
  if (f.excludeLabels.length) params.set('excludeLabels', f.excludeLabels.join(','));
  if (f.excludeInternet) params.set('excludeInternet', 'true');
  try {
    const filters = parseExportFilters(params);
    return toClientIntents(intents.query(filters.query), { excludeServices: filters.excludeServices, includeInternet: filters.includeInternet });
  } catch (err) {
    if (err instanceof ParamError) throw new UsageError(`${FLAG_OF[err.field] ?? err.field}: ${err.message.slice(err.field.length + 2)}`);
    throw err;
  }
}

/** Renders and writes the verb's output. */
export async function writeOutput(f: ReplayFlags, intents: IntentReader, io: Io): Promise<void> {
  const docs = filterDocs(f, intents);
  if (f.verb === 'list') {
    if (docs.length === 0) io.stderr(`${NO_CONNECTIONS}\n`);
    else io.stdout(renderList(docs));
    return;
  }
  if (f.verb === 'export') {
    const render = (d: ClientIntentsDoc[]): string =>
      f.format === 'json' ? renderJson(d) : f.outputVersion === 'v1' ? renderYamlV1(d) : renderYamlV2(d);
    if (docs.length === 0) io.stderr(`${NO_CONNECTIONS}\n`);
    if (f.output === undefined) {
      const text = render(docs);
      io.stdout(text === '' ? '' : `${text}\n`);
    } else if (f.outputType === 'dir') {
      await mkdir(f.output, { recursive: true, mode: 0o700 });
      for (const d of docs) await writeFile(join(f.output, `${d.workload.name}.${d.namespace}.yaml`), render([d]));
      io.stderr(`Successfully wrote intents into ${f.output}\n`);
    } else {
      await writeFile(f.output, render(docs));
      io.stderr(`Successfully wrote intents into ${f.output}\n`);
    }
    return;
  }
  const fmt = f.format === 'jpeg' ? 'jpg' : f.format ?? 'png';
  const dot = renderDot(docs);
  const body = fmt === 'dot' ? dot : fmt === 'svg' ? await renderSvg(dot) : fmt === 'png' ? await renderPng(dot) : await renderJpg(dot);
  if (f.output === undefined) { io.stdout(body); return; }
  await writeFile(f.output, body);
  io.stderr(`Exported graph as ${fmt} format to path ${f.output}\n`);
}
