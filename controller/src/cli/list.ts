// `netmapper list`: the map as text, one block per client (reference §4.2).

import { NO_CONNECTIONS, renderList } from '../export/list-text.ts';
import { CONNECTION_FLAGS } from './connect.ts';
import { prepareMapFetch } from './map-source.ts';
import { helpText, parseFlags, processIo, runVerb, str, UsageError } from './options.ts';
import type { FlagSpec, Io } from './options.ts';
import { QUERY_FLAGS } from './query-flags.ts';

const FLAGS: FlagSpec[] = [
  ...QUERY_FLAGS,
  { name: 'format', type: 'string', valueName: 'FORMAT', default: 'text', help: 'output format; list prints text only' },
  ...CONNECTION_FLAGS,
];

export const HELP = helpText('netmapper list [flags]',
  'Lists who calls whom, by client, from a running controller.', FLAGS);

export async function run(argv: string[], io: Io = processIo): Promise<number> {
  return runVerb('list', io, async () => {
    const flags = parseFlags(argv, FLAGS);
    if (flags.help) { io.stdout.write(HELP); return 0; }
    const format = str(flags, 'format')!;
    if (format !== 'text') throw new UsageError(`\`${format}\` output format is not supported in 'list' command. Try using 'export' instead`);
    const docs = await prepareMapFetch(flags, io)();
    if (docs.length === 0) { io.stderr.write(`${NO_CONNECTIONS}\n`); return 0; }
    io.stdout.write(renderList(docs));
    return 0;
  });
}
