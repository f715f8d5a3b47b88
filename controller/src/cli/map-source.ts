// Fetches the map from the controller and converts it: the common first half of list, export
// and visualize. Flags are checked before any connection is made.

import { toClientIntents } from '../export/client-intents.ts';
import type { ClientIntentsDoc } from '../export/client-intents.ts';
import { connectOptions, connectToMapper } from './connect.ts';
import { fetchIntents } from './mapper-client.ts';
import type { Io, ParsedFlags } from './options.ts';
import { querySelection } from './query-flags.ts';

/** Returns a function that does the fetch; calling this first validates every flag. */
export function prepareMapFetch(flags: ParsedFlags, io: Io): () => Promise<ClientIntentsDoc[]> {
  const selection = querySelection(flags);
  const connect = connectOptions(flags, io.env);
  return async () => {
    const conn = await connectToMapper(connect);
    try {
      const { intents, skipped } = await fetchIntents(conn.baseUrl, selection.query, connect.timeoutMs);
      if (skipped > 0) io.stderr.write(`warning: skipped ${skipped} malformed intent(s) in the controller's answer\n`);
      return toClientIntents(intents, selection.convert);
    } finally {
      await conn.close();
    }
  };
}
