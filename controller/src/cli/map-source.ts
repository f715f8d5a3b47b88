// Fetches the map from the controller and converts it: the common first half of list, export
// and visualize. Flags are checked before any connection is made.

import { toClientIntents } from '../export/client-intents.ts';
import type { ClientIntentsDoc } from '../export/client-intents.ts';
import { connectOptions, connectToMapper } from './connect.ts';
import { fetchIntents } from './mapper-client.ts';
import { parseFlags, runVerb } from './options.ts';
import type { FlagSpec, Io, ParsedFlags } from './options.ts';
import { querySelection } from './query-flags.ts';

/** Returns a function that does the fetch; calling this first validates every flag. */
export function prepareMapFetch(flags: ParsedFlags, io: Io): () => Promise<ClientIntentsDoc[]> {
  const selection = querySelection(flags);
  const connect = connectOptions(flags, io.env);
  return async () => {
    const conn = await connectToMapper(connect);
    try {
      const { intents, skipped } = await fetchIntents(conn.baseUrl, selection.query, connect.timeoutMs, conn.authorization);
      if (skipped > 0) io.stderr.write(`warning: skipped ${skipped} malformed intent(s) in the controller's answer\n`);
      return toClientIntents(intents, selection.convert);
    } finally {
      await conn.close();
    }
  };
}

/** How a map verb writes what it fetched; building it checks the verb's output flags. */
export type PrepareOutput = (flags: ParsedFlags, io: Io) => (docs: ClientIntentsDoc[]) => Promise<number>;

/**
 * The whole of `list`, `export` and `visualize` against a running controller: parse the flags, check
 * the output and connection flags before any request (a usage error never waits on the network),
 * fetch the map, write it. Exit codes as `runVerb`.
 */
export function runMapVerb(verb: string, argv: string[], io: Io, spec: { flags: FlagSpec[]; help: string; prepareOutput: PrepareOutput }): Promise<number> {
  return runVerb(verb, io, async () => {
    const flags = parseFlags(argv, spec.flags);
    if (flags.help) { io.stdout.write(spec.help); return 0; }
    // -q: informational stderr lines go nowhere; runVerb still reports errors on the real stderr.
    const out: Io = flags.quiet === true ? { ...io, stderr: { write: () => true } } : io;
    const emit = spec.prepareOutput(flags, out);
    const fetchDocs = prepareMapFetch(flags, out);
    return emit(await fetchDocs());
  });
}
