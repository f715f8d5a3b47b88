// `netmapper list`: the map as text, one block per client (reference §4.2).

import { NO_CONNECTIONS, renderList } from '../export/list-text.ts';
import { CONNECTION_FLAGS } from './connect.ts';
import { runMapVerb } from './map-source.ts';
import { COMMON_FLAGS, helpText, processIo, str, UsageError } from './options.ts';
import type { FlagSpec, Io, ParsedFlags } from './options.ts';
import type { ClientIntentsDoc } from '../export/client-intents.ts';
import { QUERY_FLAGS } from './query-flags.ts';

/** The output flags; `replay list` takes the same. */
export const LIST_OUTPUT_FLAGS: FlagSpec[] = [
  { name: 'format', type: 'string', valueName: 'FORMAT', default: 'text', help: 'output format; list prints text only' },
];

const FLAGS: FlagSpec[] = [...QUERY_FLAGS, ...LIST_OUTPUT_FLAGS, ...CONNECTION_FLAGS, ...COMMON_FLAGS];

/** Checks the output flags and returns the writer: the text on stdout, or the empty-map note on stderr. */
export function prepareListOutput(flags: ParsedFlags, io: Io): (docs: ClientIntentsDoc[]) => Promise<number> {
  const format = str(flags, 'format') ?? 'text';
  if (format !== 'text') throw new UsageError(`\`${format}\` output format is not supported in 'list' command. Try using 'export' instead`);
  return async (docs) => {
    if (docs.length === 0) io.stderr.write(`${NO_CONNECTIONS}\n`);
    else io.stdout.write(renderList(docs));
    return 0;
  };
}

export const HELP = helpText('netmapper list [flags]',
  'Lists who calls whom, by client, from a running controller.', FLAGS);

export function run(argv: string[], io: Io = processIo): Promise<number> {
  return runMapVerb('list', argv, io, { flags: FLAGS, help: HELP, prepareOutput: prepareListOutput });
}
