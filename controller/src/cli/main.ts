// `netmapper`: the command-line entry. Dispatches to one module per verb; each exports
// `run(argv): Promise<number>` returning the exit code (0 ok, 1 failure, 2 usage error).

const COMMANDS: Record<string, { load: () => Promise<{ run(argv: string[]): Promise<number> }>; summary: string }> = {
  decode: { load: () => import('./decode.ts'), summary: 'decode capture files and print one JSON record per line' },
  list: { load: () => import('./list.ts'), summary: 'list the traffic by client, from a running controller' },
  export: { load: () => import('./export.ts'), summary: 'export ClientIntents (YAML or JSON) from a running controller' },
  visualize: { load: () => import('./visualize.ts'), summary: 'render the map as dot, svg, png or jpg' },
  reset: { load: () => import('./reset.ts'), summary: "empty the controller's map" },
  replay: { load: () => import('./replay.ts'), summary: 'resolve captures offline against a cluster snapshot' },
  serve: { load: () => import('./serve.ts'), summary: 'run the controller (same flags as the controller entry)' },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `Usage: netmapper <command> [flags]\n\nCommands:\n${lines.join('\n')}\n\nRun 'netmapper <command> --help' for a command's flags.\n`;
}

/** The Otterize CLI's verb group: `otterize network-mapper list` (alias `mapper`) is `netmapper network-mapper list`. */
const VERB_GROUPS = new Set(['network-mapper', 'mapper']);
const GROUPED_VERBS = new Set(['list', 'export', 'visualize', 'reset']);

export async function main(argv: string[]): Promise<number> {
  let [name, ...rest] = argv;
  if (name !== undefined && VERB_GROUPS.has(name) && (rest[0] === undefined || GROUPED_VERBS.has(rest[0]) || rest[0].startsWith('-'))) {
    if (rest[0] === undefined || rest[0].startsWith('-')) {
      process.stdout.write(`Usage: netmapper ${name} list|export|visualize|reset [flags]\n\nThe Otterize CLI's verb group; the same verbs as 'netmapper <verb>'.\n`);
      return rest[0] === '--help' || rest[0] === '-h' ? 0 : 2;
    }
    [name, ...rest] = rest;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`netmapper: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  const mod = await command.load();
  return mod.run(rest);
}

// A reader that stops early (`netmapper decode F | head`) closes our stdout: that is how a pipe ends, not
// an error — stop quietly with the shell's SIGPIPE status (128 + 13) as other Unix tools do.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(141);
  process.stderr.write(`netmapper: cannot write to stdout: ${err.message}\n`);
  process.exit(1);
});

main(process.argv.slice(2)).then(
  // `serve` returns when it has stopped: exit so idle keep-alive sockets cannot hold the process open.
  (code) => { if (process.argv[2] === 'serve') process.exit(code); process.exitCode = code; },
  (err: unknown) => {
    process.stderr.write(`netmapper: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
