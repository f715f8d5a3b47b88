// `netmapper serve [flags]`: the controller itself, with the controller entry's flags and environment
// (--port, --metrics-port, --bind-address, --cluster-snapshot, --store-file, --auth, --token-file, ...),
// so a map can be explored locally and tests can start the real thing. Runs until SIGTERM or SIGINT.

/** Exit codes as the controller's: 0 clean stop, 1 failure, 2 bad setting. */
export async function run(argv: string[]): Promise<number> {
  return (await import('../main.ts')).runMain(argv);
}
