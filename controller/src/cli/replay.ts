// `netmapper replay [list|export|visualize|serve] --cluster SNAPSHOT CAPTURE...`: the map from capture files,
// offline, with no controller and no cluster (`serve`: the web map on loopback until Ctrl-C). The filter and output flags, checks and writers are the
// ones `netmapper list|export|visualize` use; only where the map comes from differs.
// With no captures and no --cluster it replays the bundled Online Boutique fixture (the README's command).

import { fileURLToPath } from 'node:url';
import { toClientIntents, type ClientIntentsDoc } from '../export/client-intents.ts';
import { ReplayInputError, replayCaptures, type ReplayStats } from './replay/replay-captures.ts';
import { createProgress } from './replay/progress.ts';
import { LIST_OUTPUT_FLAGS, prepareListOutput } from './list.ts';
import { helpText, list, parseFlags, processIo, runVerb, str, UsageError } from './options.ts';
import type { FlagSpec, Io, ParsedFlags } from './options.ts';
import { QUERY_FLAGS, querySelection } from './query-flags.ts';
import { DURATION_HINT, parseDuration } from '../../common/units.ts';
import { createLogger } from '../../common/log.ts';

/** Set by the build (esbuild `define`): the code runs from dist/, which holds a copy of the fixture. */
declare const NETMAPPER_DIST: boolean | undefined;
const IN_DIST = typeof NETMAPPER_DIST !== 'undefined';

/** The README's main command replays these; the build copies them into dist/, the snapshot as JSON. */
export const BUNDLED_SNAPSHOT = fileURLToPath(new URL(IN_DIST ? './fixtures/online-boutique/cluster.json' : '../../../fixtures/online-boutique/cluster.yaml', import.meta.url));
export const BUNDLED_CAPTURE = fileURLToPath(new URL(IN_DIST ? './fixtures/online-boutique/capture.pcap' : '../../../fixtures/online-boutique/capture.pcap', import.meta.url));

type Verb = 'list' | 'export' | 'visualize' | 'serve';
const VERBS: readonly Verb[] = ['list', 'export', 'visualize', 'serve'];

const SERVE_FLAGS: FlagSpec[] = [
  { name: 'port', type: 'string', valueName: 'PORT', default: '8080', help: 'port of the web map (0: any free port)' },
  { name: 'bind-address', type: 'string', valueName: 'ADDR', default: '127.0.0.1', help: 'loopback address to serve on (127.0.0.1 or ::1)' },
];

export const REPLAY_FLAGS: FlagSpec[] = [
  { name: 'cluster', type: 'list', valueName: 'FILE,...', help: 'cluster snapshot: `kubectl get pods,replicasets,deployments,services,endpointslices,nodes,namespaces -A -o yaml` (YAML or JSON, repeatable)' },
  { name: 'cluster-domain', type: 'string', valueName: 'DOMAIN', default: 'cluster.local', help: 'DNS names under it are cluster names' },
  { name: 'workload-label', type: 'string', valueName: 'LABEL', help: 'pod label naming the workload, e.g. app.kubernetes.io/name' },
  { name: 'min-server-age', type: 'string', valueName: 'DURATION', default: '5m', help: 'servers younger than this at the packet are not trusted (as the controller)' },
  { name: 'interval', type: 'string', valueName: 'SECONDS', default: '1', help: 'report interval in capture time (as the sniffer)' },
  { name: 'kafka-log', type: 'list', valueName: 'POD.NS=FILE', help: 'a Kafka broker pod\'s authorizer log (kafka.authorizer.logger lines, times read as UTC), as the Kafka watcher reads it (repeatable)' },
  { name: 'mapper-url', type: 'string', valueName: 'URL', help: 'send the reports to this running controller through the sniffer\'s reporter instead of resolving offline; exit 0 only when every record was acknowledged' },
  { name: 'token-file', type: 'string', valueName: 'FILE', help: 'with --mapper-url: bearer token file, as the sniffer\'s' },
  { name: 'timeout', type: 'string', valueName: 'DURATION', default: '60s', help: 'with --mapper-url: give up when the controller acknowledges nothing for this long' },
];

type Emit = (docs: ClientIntentsDoc[]) => Promise<number>;
interface VerbOutput { flags: FlagSpec[]; prepare: (flags: ParsedFlags, io: Io) => Emit }
/** Each verb's output flags and writer. `export` and `visualize` are loaded only when run: their
 *  writers pull in YAML and Graphviz code, start-up time that `replay list` never uses. */
const OUTPUTS: Record<Verb, () => Promise<VerbOutput>> = {
  list: async () => ({ flags: LIST_OUTPUT_FLAGS, prepare: prepareListOutput }),
  export: async () => { const m = await import('./export.ts'); return { flags: m.EXPORT_OUTPUT_FLAGS, prepare: m.prepareExportOutput }; },
  visualize: async () => { const m = await import('./visualize.ts'); return { flags: m.VISUALIZE_OUTPUT_FLAGS, prepare: m.prepareVisualizeOutput }; },
  serve: async () => ({ flags: SERVE_FLAGS, prepare: () => async () => 0 }),
};
const specsWith = (output: VerbOutput): FlagSpec[] => [...REPLAY_FLAGS, ...QUERY_FLAGS, ...output.flags];

function replayHelp(verb: Verb, specs: FlagSpec[]): string {
  return helpText(`netmapper replay ${verb === 'list' ? '[list]' : verb} --cluster SNAPSHOT CAPTURE... [flags]`,
    `Resolves packet captures (pcap or pcapng, e.g. from 'tcpdump -i any -w') offline against a cluster snapshot and
${verb === 'serve' ? 'serves the interactive web map of it on loopback until interrupted' : `prints what 'netmapper ${verb}' prints`}. Several captures (one per node) are merged in time order.
Verbs: list (default), export, visualize, serve. With no captures and no --cluster, replays the bundled
Online Boutique fixture.`, specs);
}

/** Splits argv into flags (with their values) and captures, so the shared flag parser sees only flags. */
function splitCaptures(argv: readonly string[], specs: readonly FlagSpec[]): { flagArgs: string[]; captures: string[] } {
  const byName = new Map<string, FlagSpec>();
  for (const s of specs) { byName.set(`--${s.name}`, s); for (const a of s.aliases ?? []) byName.set(a, s); }
  const flagArgs: string[] = [];
  const captures: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') { captures.push(...argv.slice(i + 1)); break; }
    if (!a.startsWith('-') || a === '-') { captures.push(a); continue; }
    flagArgs.push(a);
    const spec = byName.get(a.includes('=') ? a.slice(0, a.indexOf('=')) : a);
    if (spec && spec.type !== 'bool' && !a.includes('=') && i + 1 < argv.length) flagArgs.push(argv[++i]!);
  }
  return { flagArgs, captures };
}


function replayOptions(flags: ParsedFlags): { minServerAgeMs: number; intervalSeconds: number } {
  const age = str(flags, 'min-server-age')!;
  const minServerAgeMs = parseDuration(age);
  if (minServerAgeMs === undefined) throw new UsageError(`--min-server-age: expected a duration (${DURATION_HINT}), got ${JSON.stringify(age)}`);
  const interval = Number(str(flags, 'interval'));
  if (!Number.isFinite(interval) || interval <= 0) throw new UsageError(`--interval: expected a positive number of seconds, got ${JSON.stringify(str(flags, 'interval'))}`);
  return { minServerAgeMs, intervalSeconds: interval };
}

function summary(s: ReplayStats): string {
  const reasons = Object.entries(s.unresolved).map(([r, n]) => `${r} ${n}`).join(', ');
  return `replay: ${s.records} records in ${s.reports} reports, ${s.resolved} resolved${reasons ? `; not resolved: ${reasons}` : ''}\n`;
}

/** `--mapper-url`: the reports go to a running controller, which resolves them against its own cluster view. */
async function sendToController(mapperUrl: string, files: string[], flags: ParsedFlags, io: Io, isTty: boolean): Promise<number> {
  let url: URL;
  try { url = new URL(mapperUrl); } catch { throw new UsageError(`--mapper-url ${JSON.stringify(mapperUrl)} is not a URL`); }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--mapper-url must be http:// or https://, not ${url.protocol}`);
  const timeoutMs = parseDuration(str(flags, 'timeout')!);
  if (timeoutMs === undefined || timeoutMs <= 0) throw new UsageError(`--timeout: expected a positive duration (${DURATION_HINT}), got ${JSON.stringify(str(flags, 'timeout'))}`);
  const { intervalSeconds } = replayOptions(flags);
  const progress = isTty ? createProgress((s) => { io.stderr.write(s); }) : undefined;
  try {
    // Loaded only here: the reporter and its metrics are not needed offline (start-up time).
    const { replayToController } = await import('./replay/replay-to-controller.ts');
    const r = await replayToController({
      captures: files, mapperUrl, tokenFile: str(flags, 'token-file') ?? '', intervalSeconds, timeoutMs,
      log: createLogger('warn', (l) => { io.stderr.write(l); }),
      ...(progress ? { onProgress: progress.update } : {}),
    });
    progress?.done();
    io.stderr.write(`replay: ${r.records} records in ${r.reports} reports acknowledged by ${mapperUrl}\n`);
    return 0;
  } finally {
    progress?.done();
  }
}

/** Exit codes: 0 ok; 1 for an unusable capture or snapshot (the message names it); 2 for a usage error. */
/** `signal` stops `replay serve` (default: SIGINT or SIGTERM); `onListening` gets its URL (tests). */
export interface ReplayRunOptions { signal?: AbortSignal; onListening?: (url: string) => void }

function untilStopped(signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal) { if (signal.aborted) resolve(); else signal.addEventListener('abort', () => resolve(), { once: true }); return; }
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

export async function run(argv: string[], io: Io = processIo, isTty = process.stderr.isTTY === true, runOpts: ReplayRunOptions = {}): Promise<number> {
  return runVerb('replay', io, async () => {
    const args = [...argv];
    const verb: Verb = (VERBS as readonly string[]).includes(args[0] ?? '') ? (args.shift() as Verb) : 'list';
    const output = await OUTPUTS[verb]();
    const specs = specsWith(output);
    const { flagArgs, captures } = splitCaptures(args, specs);
    const flags = parseFlags(flagArgs, specs);
    if (flags.help) { io.stdout.write(replayHelp(verb, specs)); return 0; }
    const mapperUrl = str(flags, 'mapper-url');
    if (mapperUrl !== undefined) return sendToController(mapperUrl, captures.length ? captures : [BUNDLED_CAPTURE], flags, io, isTty);
    let snapshots = list(flags, 'cluster');
    let files = captures;
    if (files.length === 0 && snapshots.length === 0) {
      files = [BUNDLED_CAPTURE];
      snapshots = [BUNDLED_SNAPSHOT];
    } else if (snapshots.length === 0) {
      throw new UsageError('--cluster SNAPSHOT is required with captures (a kubectl get ... -A -o yaml dump of the cluster they came from)');
    } else if (files.length === 0 && list(flags, 'kafka-log').length === 0) {
      throw new UsageError('no CAPTURE given: name one or more pcap or pcapng files after the flags');
    }
    // Every flag is checked before any capture is read, so a typo fails fast.
    const port = Number(str(flags, 'port') ?? 0);
    if (verb === 'serve' && (!/^\d+$/.test(str(flags, 'port') ?? '') || port > 65535)) throw new UsageError(`--port: expected 0 to 65535, got ${JSON.stringify(str(flags, 'port'))}`);
    const emit = output.prepare(flags, io);
    const selection = querySelection(flags);
    const opts = replayOptions(flags);
    const workloadLabel = str(flags, 'workload-label');
    // The Kafka watcher's replay (and its metrics library) is loaded only when a log is given.
    const kafkaWatcher = list(flags, 'kafka-log').length ? await import('../../../sniffer/kafka-watcher/replay.ts') : undefined;
    const kafkaLogs = list(flags, 'kafka-log').map((spec) => {
      try { return kafkaWatcher!.parseKafkaLogSpec(spec); } catch (err) { throw new UsageError((err as Error).message); }
    });

    const progress = isTty ? createProgress((s) => { io.stderr.write(s); }) : undefined;
    try {
      const kafka = kafkaWatcher ? await kafkaWatcher.replayKafkaLogs(kafkaLogs).catch((err: NodeJS.ErrnoException) => {
        throw new ReplayInputError(err.path ?? '', `kafka log ${err.path ?? ''}: cannot read: ${err.code ?? err.message}`, { cause: err });
      }) : undefined;
      const { store, stats } = await replayCaptures({
        ...(kafka ? { kafkaRecords: kafka.records } : {}),
        captures: files, snapshots, clusterDomain: str(flags, 'cluster-domain')!, ...opts,
        ...(workloadLabel !== undefined ? { workloadLabel } : {}),
        ...(progress ? { onProgress: progress.update } : {}),
      });
      progress?.done();
      if (isTty || verb === 'serve') io.stderr.write(summary(stats));
      if (verb === 'serve') {
        const { serveMap } = await import('./serve-map.ts'); // the web server, only for `replay serve`
        const served = await serveMap(store, { port, host: str(flags, 'bind-address') });
        io.stderr.write(`Serving the replayed map (${store.size()} intents) at ${served.url} — Ctrl-C to stop\n`);
        runOpts.onListening?.(served.url);
        await untilStopped(runOpts.signal);
        await served.close();
        return 0;
      }
      return emit(toClientIntents(store.query(selection.query), selection.convert));
    } finally {
      progress?.done();
    }
  });
}
