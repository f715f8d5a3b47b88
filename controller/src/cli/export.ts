// `netmapper export`: ClientIntents as YAML (v2beta1 by default, v1alpha3 with
// `--output-version v1`) or JSON, to stdout, one file, or one file per client (reference §4.3).

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClientIntentsDoc } from '../export/client-intents.ts';
import { renderJson } from '../export/json.ts';
import { NO_CONNECTIONS } from '../export/list-text.ts';
import { renderYamlV1 } from '../export/yaml-v1.ts';
import { renderYamlV2 } from '../export/yaml-v2.ts';
import { CONNECTION_FLAGS } from './connect.ts';
import { runMapVerb } from './map-source.ts';
import { COMMON_FLAGS, helpText, processIo, str, UsageError } from './options.ts';
import type { FlagSpec, Io, ParsedFlags } from './options.ts';
import { QUERY_FLAGS } from './query-flags.ts';

/** The output flags; `replay export` takes the same. */
export const EXPORT_OUTPUT_FLAGS: FlagSpec[] = [
  { name: 'format', type: 'string', valueName: 'yaml|json', default: 'yaml', help: 'output format' },
  { name: 'output', aliases: ['-o'], type: 'string', valueName: 'PATH', help: 'write to this file (or directory, with --output-type dir) instead of stdout' },
  { name: 'output-type', type: 'string', valueName: 'single-file|dir', help: 'one file, or one file per client named <workload>.<namespace>.yaml (default single-file; needs --output)' },
  { name: 'output-version', type: 'string', valueName: 'v1|v2', default: 'v2', help: 'ClientIntents version: v2 = k8s.otterize.com/v2beta1, v1 = v1alpha3 (YAML only)' },
];

const FLAGS: FlagSpec[] = [...QUERY_FLAGS, ...EXPORT_OUTPUT_FLAGS, ...CONNECTION_FLAGS, ...COMMON_FLAGS];

export const HELP = helpText('netmapper export [flags]',
  'Exports the map as ClientIntents (k8s.otterize.com), one document per client, from a running controller.', FLAGS);

type Emit = (docs: ClientIntentsDoc[]) => Promise<number>;

/** Checks the output flags and returns the writer; usage errors surface before any work. */
export function prepareExportOutput(flags: ParsedFlags, io: Io): Emit {
  const format = str(flags, 'format') ?? 'yaml';
  if (format !== 'yaml' && format !== 'json') throw new UsageError(`unknown --format ${JSON.stringify(format)}: use yaml or json`);
  const version = str(flags, 'output-version') ?? 'v2';
  if (version !== 'v1' && version !== 'v2') throw new UsageError(`unknown --output-version ${JSON.stringify(version)}: use v1 or v2`);

  const output = str(flags, 'output');
  const outputType = str(flags, 'output-type');
  if (outputType !== undefined && output === undefined) throw new UsageError('flag --output-type requires --output to specify output path');
  if (outputType !== undefined && outputType !== 'single-file' && outputType !== 'dir') {
    throw new UsageError(`unknown --output-type ${JSON.stringify(outputType)}: use single-file or dir`);
  }
  const render = (docs: ClientIntentsDoc[]) => (format === 'json' ? renderJson(docs) : version === 'v1' ? renderYamlV1(docs) : renderYamlV2(docs));

  return async (docs) => {
    // As the Otterize CLI: JSON is always v2beta1, whatever --output-version says (we say so on stderr).
    if (format === 'json' && version === 'v1') io.stderr.write('note: --format json writes k8s.otterize.com/v2beta1; --output-version v1 applies to YAML only\n');
    if (docs.length === 0) io.stderr.write(`${NO_CONNECTIONS}\n`);
    if (output === undefined) {
      // Always one final newline, as the Otterize CLI prints it: an empty YAML export is "\n", JSON "[]\n".
      io.stdout.write(`${render(docs)}\n`);
      return 0;
    }
    if (outputType === 'dir') {
      await mkdir(output, { recursive: true, mode: 0o700 });
      for (const doc of docs) {
        // Otterize names every file .yaml, JSON included; we name JSON files .json. Each holds what a
        // single-file export of that one client would: a one-element JSON array, or one YAML document.
        const file = join(output, `${doc.workload.name}.${doc.namespace}.${format === 'json' ? 'json' : 'yaml'}`);
        await writeFile(file, render([doc]), { mode: 0o600 });
      }
      io.stderr.write(`Successfully wrote intents into ${output}\n`);
      return 0;
    }
    await writeFile(output, render(docs));
    io.stderr.write(`Successfully wrote intents into ${output}\n`);
    return 0;
  };
}

export function run(argv: string[], io: Io = processIo): Promise<number> {
  return runMapVerb('export', argv, io, { flags: FLAGS, help: HELP, prepareOutput: prepareExportOutput });
}
