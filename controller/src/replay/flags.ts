// Command-line flags of `netmapper replay [list|export|visualize] --cluster SNAPSHOT CAPTURE...`:
// parsed into one plain object, every problem a UsageError naming the flag (the CLI exits 2).

export type Verb = 'list' | 'export' | 'visualize';
export const VERBS: readonly Verb[] = ['list', 'export', 'visualize'];

export class UsageError extends Error {
  readonly code = 'ERR_USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface ReplayFlags {
  verb: Verb;
  help: boolean;
  captures: string[];
  snapshots: string[];
  clusterDomain?: string;
  workloadLabel?: string;
  minServerAgeMs?: number;
  intervalSeconds?: number;
  /** Filters, in the names the export routes take (one parser for both: parseExportFilters). */
  namespaces: string[];
  server?: string;
  excludeServices: string[];
  excludeLabels: string[];
  excludeInternet: boolean;
  format?: string;
  output?: string;
  outputType?: string;
  outputVersion?: string;
}

interface FlagSpec { name: string; short?: string; boolean?: boolean; verbs?: readonly Verb[] }

const FLAGS: readonly FlagSpec[] = [
  { name: 'help', short: 'h', boolean: true },
  { name: 'cluster' },
  { name: 'cluster-domain' },
  { name: 'workload-label' },
  { name: 'min-server-age' },
  { name: 'interval' },
  { name: 'namespaces', short: 'n' },
  { name: 'exclude-services' },
  { name: 'exclude-labels' },
  { name: 'exclude-internet', boolean: true },
  { name: 'format' },
  { name: 'server', verbs: ['export'] },
  { name: 'output', short: 'o', verbs: ['export', 'visualize'] },
  { name: 'output-path', verbs: ['visualize'] },
  { name: 'output-type', verbs: ['export'] },
  { name: 'output-version', verbs: ['export'] },
];

const DURATION = /^(\d+)(ms|s|m|h)$/;
const DURATION_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

function parseDuration(flag: string, v: string): number {
  const m = DURATION.exec(v);
  if (!m) throw new UsageError(`--${flag}: expected a duration such as 30s or 5m, got ${JSON.stringify(v)}`);
  return Number(m[1]) * DURATION_MS[m[2]!]!;
}

const commaList = (values: string[]): string[] => values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);

/** Parses argv (after `replay`). `--flag value`, `--flag=value`, `-o value`; flags and captures in any order. */
export function parseReplayFlags(argv: readonly string[]): ReplayFlags {
  const args = [...argv];
  let verb: Verb = 'list';
  if (args.length && (VERBS as readonly string[]).includes(args[0]!)) verb = args.shift() as Verb;
  const values = new Map<string, string[]>();
  const captures: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') { captures.push(...args.slice(i + 1)); break; }
    if (!a.startsWith('-') || a === '-') { captures.push(a); continue; }
    const long = a.startsWith('--');
    const eq = a.indexOf('=');
    const key = long ? a.slice(2, eq < 0 ? undefined : eq) : a.slice(1, eq < 0 ? undefined : eq);
    const spec = FLAGS.find((f) => (long ? f.name === key : f.short === key));
    if (!spec) throw new UsageError(`unknown flag ${long ? '--' : '-'}${key}`);
    if (spec.verbs && !spec.verbs.includes(verb)) throw new UsageError(`--${spec.name} is not a flag of 'replay ${verb}'`);
    let value: string;
    if (spec.boolean) {
      value = eq < 0 ? 'true' : a.slice(eq + 1);
      if (value !== 'true' && value !== 'false') throw new UsageError(`--${spec.name}: expected true or false, got ${JSON.stringify(value)}`);
    } else if (eq >= 0) {
      value = a.slice(eq + 1);
    } else {
      if (i + 1 >= args.length) throw new UsageError(`--${spec.name} needs a value`);
      value = args[++i]!;
    }
    values.set(spec.name, [...(values.get(spec.name) ?? []), value]);
  }
  const one = (name: string): string | undefined => values.get(name)?.at(-1);
  const flags: ReplayFlags = {
    verb,
    help: one('help') === 'true',
    captures,
    snapshots: commaList(values.get('cluster') ?? []),
    namespaces: commaList(values.get('namespaces') ?? []),
    excludeServices: commaList(values.get('exclude-services') ?? []),
    excludeLabels: commaList(values.get('exclude-labels') ?? []),
    excludeInternet: one('exclude-internet') === 'true',
  };
  const set = <K extends keyof ReplayFlags>(k: K, v: ReplayFlags[K] | undefined): void => { if (v !== undefined) flags[k] = v; };
  set('clusterDomain', one('cluster-domain'));
  set('workloadLabel', one('workload-label'));
  set('server', one('server'));
  set('format', one('format')?.toLowerCase());
  set('output', one('output') ?? one('output-path'));
  set('outputType', one('output-type'));
  set('outputVersion', one('output-version'));
  const age = one('min-server-age');
  if (age !== undefined) flags.minServerAgeMs = parseDuration('min-server-age', age);
  const interval = one('interval');
  if (interval !== undefined) {
    const s = Number(interval);
    if (!(s > 0) || !Number.isFinite(s)) throw new UsageError(`--interval: expected a positive number of seconds, got ${JSON.stringify(interval)}`);
    flags.intervalSeconds = s;
  }
  return flags;
}

export function replayUsage(): string {
  return `Usage: netmapper replay [list|export|visualize] --cluster SNAPSHOT CAPTURE... [flags]

Resolves packet captures (pcap or pcapng, e.g. from 'tcpdump -i any -w') offline against a cluster
snapshot ('kubectl get pods,replicasets,deployments,services,endpointslices,nodes,namespaces -A -o yaml'),
with no controller and no cluster, and prints what the verb prints ('list' when none is given).
Several captures (one per node) are merged in time order. With no captures and no --cluster, replays
the bundled Online Boutique fixture.

Replay flags:
  --cluster FILE[,FILE]      cluster snapshot (YAML or JSON; repeatable)
  --cluster-domain DOMAIN    DNS names under it are cluster names (default cluster.local)
  --workload-label LABEL     pod label naming the workload (e.g. app.kubernetes.io/name)
  --min-server-age DURATION  servers younger than this at the packet are not trusted (default 5m)
  --interval SECONDS         report interval in capture time (default 1)

Filters (list, export, visualize):
  -n, --namespaces a,b       only clients in these namespaces
  --exclude-services a,b     leave out these workloads (name or name.namespace)
  --exclude-labels k=v,...   leave out intents whose client or server has one of these labels
  --exclude-internet         leave out Internet destinations (what the Otterize CLI shows)

list:       --format text (the only format; use export for others)
export:     --format yaml|json (default yaml)  --output-version v1|v2 (default v2)  --server name.namespace
            -o, --output PATH  --output-type single-file|dir (default single-file; needs -o)
visualize:  --format png|jpg|svg|dot (default png)  -o, --output-path PATH (needed for png and jpg)
`;
}
