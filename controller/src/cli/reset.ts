// `netmapper reset`: empties the controller's map (POST /api/v1/reset). Prints nothing on success.

import { CONNECTION_FLAGS, connectOptions, connectToMapper } from './connect.ts';
import { postReset } from './mapper-client.ts';
import { COMMON_FLAGS, helpText, parseFlags, processIo, runVerb } from './options.ts';
import type { Io } from './options.ts';

const FLAGS = [...CONNECTION_FLAGS, ...COMMON_FLAGS];

export const HELP = helpText('netmapper reset [flags]', "Empties the controller's map of connections.", FLAGS);

export async function run(argv: string[], io: Io = processIo): Promise<number> {
  return runVerb('reset', io, async () => {
    const flags = parseFlags(argv, FLAGS);
    if (flags.help) { io.stdout.write(HELP); return 0; }
    const options = connectOptions(flags, io.env);
    const conn = await connectToMapper(options);
    try {
      await postReset(conn.baseUrl, options.timeoutMs, conn.authorization);
    } finally {
      await conn.close();
    }
    return 0;
  });
}
