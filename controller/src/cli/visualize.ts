// `netmapper visualize`: the map as an image, dot/svg/png/jpg (reference §4.4), rendered offline.

import { writeFile } from 'node:fs/promises';
import type { ClientIntentsDoc } from '../export/client-intents.ts';
import { renderDot } from '../export/graph-dot.ts';
import { checkGraphSize, CLI_FILTER_ADVICE, DEFAULT_DPI, DEFAULT_GRAPH_LIMITS, DEFAULT_MAX_SIDE, GraphTooLargeError } from '../export/graph-limits.ts';
import { NO_CONNECTIONS } from '../export/list-text.ts';
import { CONNECTION_FLAGS } from './connect.ts';
import { runMapVerb } from './map-source.ts';
import { COMMON_FLAGS, helpText, processIo, str, UsageError } from './options.ts';
import type { FlagSpec, Io, ParsedFlags } from './options.ts';
import { QUERY_FLAGS } from './query-flags.ts';

const FORMATS = ['png', 'jpg', 'jpeg', 'svg', 'dot'] as const;

/** The output flags; `replay visualize` takes the same. */
export const VISUALIZE_OUTPUT_FLAGS: FlagSpec[] = [
  { name: 'format', type: 'string', valueName: 'png|jpg|svg|dot', default: 'png', help: 'image format (case-insensitive; jpeg = jpg)' },
  { name: 'output-path', aliases: ['-o', '--output'], type: 'string', valueName: 'FILE', help: 'where to write the image (required)' },
  { name: 'clusters', type: 'string', valueName: 'auto|on|off', default: 'auto', help: 'draw namespaces as framed groups (auto: past 15 nodes)' },
  { name: 'dpi', type: 'string', valueName: 'N', default: String(DEFAULT_DPI), help: 'png/jpg resolution' },
  { name: 'max-size', type: 'string', valueName: 'PIXELS', default: String(DEFAULT_MAX_SIDE), help: 'png/jpg longest side; bigger drawings are scaled down, unreadable ones refused' },
  { name: 'max-nodes', type: 'string', valueName: 'N', default: String(DEFAULT_GRAPH_LIMITS.maxNodes), help: 'refuse maps with more nodes (or 3 connections per node) than this' },
];

function intFlag(flags: ParsedFlags, name: string, min: number, max: number): number {
  const v = str(flags, name)!;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new UsageError(`--${name}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`);
  return Number(v);
}

const FLAGS: FlagSpec[] = [...QUERY_FLAGS, ...VISUALIZE_OUTPUT_FLAGS, ...CONNECTION_FLAGS, ...COMMON_FLAGS];

export const HELP = helpText('netmapper visualize -o FILE [flags]',
  'Draws the map (Graphviz, left to right, one node per workload.namespace) from a running controller.', FLAGS);

/** Checks the output flags and returns the writer. */
export function prepareVisualizeOutput(flags: ParsedFlags, io: Io): (docs: ClientIntentsDoc[]) => Promise<number> {
  const format = (str(flags, 'format') ?? 'png').toLowerCase();
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown --format ${JSON.stringify(format)}: use png, jpg, svg or dot`);
  const output = str(flags, 'output-path');
  if (output === undefined) throw new UsageError('--output-path (-o) is required: the file to write the image to');
  const clusters = (str(flags, 'clusters') ?? 'auto').toLowerCase();
  if (!['auto', 'on', 'off'].includes(clusters)) throw new UsageError(`--clusters: expected auto, on or off, got ${JSON.stringify(clusters)}`);
  const raster = { dpi: intFlag(flags, 'dpi', 18, 600), maxSide: intFlag(flags, 'max-size', 256, 16384) };
  const maxNodes = intFlag(flags, 'max-nodes', 1, 100_000);
  return async (docs) => {
    if (docs.length === 0) io.stderr.write(`${NO_CONNECTIONS}\n`);
    const dot = renderDot(docs, { clusters: clusters === 'auto' ? undefined : clusters === 'on' });
    let data: string | Uint8Array;
    try {
      if (format !== 'dot') checkGraphSize(docs, { maxNodes, maxEdges: maxNodes * 3 });
      // Graphviz and resvg load only when an image is drawn: `list` and `export` never pay for them.
      const image = format === 'dot' ? undefined : await import('../export/graph-image.ts');
      data = !image ? dot : format === 'svg' ? await image.renderSvg(dot) : format === 'png' ? await image.renderPng(dot, raster) : await image.renderJpg(dot, raster);
    } catch (err) {
      if (err instanceof GraphTooLargeError) throw new GraphTooLargeError(`${err.message}; ${CLI_FILTER_ADVICE}`);
      throw err;
    }
    await writeFile(output, data);
    io.stderr.write(`Exported graph as ${format} format to path ${output}\n`);
    return 0;
  };
}

export function run(argv: string[], io: Io = processIo): Promise<number> {
  return runMapVerb('visualize', argv, io, { flags: FLAGS, help: HELP, prepareOutput: prepareVisualizeOutput });
}
