// `netmapper visualize`: the map as an image, dot/svg/png/jpg (reference §4.4), rendered offline.

import { writeFile } from 'node:fs/promises';
import type { ClientIntentsDoc } from '../export/client-intents.ts';
import { renderDot } from '../export/graph-dot.ts';
import { NO_CONNECTIONS } from '../export/list-text.ts';
import { CONNECTION_FLAGS } from './connect.ts';
import { runMapVerb } from './map-source.ts';
import { helpText, processIo, str, UsageError } from './options.ts';
import type { FlagSpec, Io, ParsedFlags } from './options.ts';
import { QUERY_FLAGS } from './query-flags.ts';

const FORMATS = ['png', 'jpg', 'jpeg', 'svg', 'dot'] as const;

/** The output flags; `replay visualize` takes the same. */
export const VISUALIZE_OUTPUT_FLAGS: FlagSpec[] = [
  { name: 'format', type: 'string', valueName: 'png|jpg|svg|dot', default: 'png', help: 'image format (case-insensitive; jpeg = jpg)' },
  { name: 'output-path', aliases: ['-o', '--output'], type: 'string', valueName: 'FILE', help: 'where to write the image (required)' },
];

const FLAGS: FlagSpec[] = [...QUERY_FLAGS, ...VISUALIZE_OUTPUT_FLAGS, ...CONNECTION_FLAGS];

export const HELP = helpText('netmapper visualize -o FILE [flags]',
  'Draws the map (Graphviz, left to right, one node per workload.namespace) from a running controller.', FLAGS);

/** Checks the output flags and returns the writer. */
export function prepareVisualizeOutput(flags: ParsedFlags, io: Io): (docs: ClientIntentsDoc[]) => Promise<number> {
  const format = (str(flags, 'format') ?? 'png').toLowerCase();
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown --format ${JSON.stringify(format)}: use png, jpg, svg or dot`);
  const output = str(flags, 'output-path');
  if (output === undefined) throw new UsageError('--output-path (-o) is required: the file to write the image to');
  return async (docs) => {
    if (docs.length === 0) io.stderr.write(`${NO_CONNECTIONS}\n`);
    const dot = renderDot(docs);
    // Graphviz and resvg load only when an image is drawn: `list` and `export` never pay for them.
    const image = format === 'dot' ? undefined : await import('../export/graph-image.ts');
    const data = !image ? dot : format === 'svg' ? await image.renderSvg(dot) : format === 'png' ? await image.renderPng(dot) : await image.renderJpg(dot);
    await writeFile(output, data);
    io.stderr.write(`Exported graph as ${format} format to path ${output}\n`);
    return 0;
  };
}

export function run(argv: string[], io: Io = processIo): Promise<number> {
  return runMapVerb('visualize', argv, io, { flags: FLAGS, help: HELP, prepareOutput: prepareVisualizeOutput });
}
