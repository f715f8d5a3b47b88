// `netmapper serve [flags]`: the controller itself, with the controller entry's flags and environment
// (--port, --metrics-port, --bind-address, --cluster-snapshot, --store-file, --auth, --token-file, ...),
// so a map can be explored locally and tests can start the real thing. Runs until SIGTERM or SIGINT.
// `netmapper serve --replay CAPTURE... --cluster SNAPSHOT [--port N]` serves a replayed capture's map instead,
// read-only on loopback (the same as `netmapper replay serve`).

import type { Io } from './options.ts';
import type { ReplayRunOptions } from './replay.ts';

/** Exit codes as the controller's: 0 clean stop, 1 failure, 2 bad setting. */
export async function run(argv: string[], io?: Io, opts?: ReplayRunOptions): Promise<number> {
  const i = argv.indexOf('--replay');
  if (i >= 0) {
    const replay = await import('./replay.ts');
    return replay.run(['serve', ...argv.slice(0, i), ...argv.slice(i + 1)], io, undefined, opts);
  }
  return (await import('../main.ts')).runMain(argv);
}
