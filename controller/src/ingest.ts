// Turns one report into stored intents. It starts with the contract's normalisation (the same path for
// HTTP ingest and replay): a bad envelope throws ReportValidationError, a bad record is skipped and
// counted; then every kept record is resolved, and what could not be is counted by reason. Never
// fails half-way (a record that cannot be resolved is a counted value).

import { OwnerReadError } from './cluster/errors.ts';
import type { ClusterView } from './cluster/view.ts';
import { beginReport, normaliseRecords, type NormalisedReport } from '../contract/normalise.ts';
import { RECORD_SOURCES, type ConnectionRecord, type ReportAccepted, type ReportRecord } from '../contract/schema.ts';
import type { Metrics } from '../common/metrics.ts';
import { createConnectionResolver, type Resolution } from './resolve/connection.ts';
import { createDnsCache, DEFAULT_DNS_CACHE_MAX } from './resolve/dns-cache.ts';
import { memoView } from './resolve/memo-view.ts';
import { createIdentityCache, type PodIdentityResolver } from './resolve/identities.ts';
import { createIstioResolver } from './resolve/istio.ts';
import { createWatcherResolver } from './resolve/watchers.ts';
import type { Reporter } from './auth/types.ts';
import { createIngestGate, type IngestGateOptions } from './ingest-gate.ts';
import type { IntentStore } from './store/intent-store.ts';

export interface IngestConfig {
  clusterDomain: string;
  /** `--min-server-age`: TCP/socket servers younger than this at the packet are not trusted. */
  minServerAgeMs: number;
  dnsCacheMax?: number;
  /** `--control-plane-cidr-prefix`: IPv4 prefix around the API server's endpoints that counts as the control plane (default 32). */
  controlPlaneIpv4PrefixLength?: number;
}

/** `unresolved` counts `excluded-namespace` and `store-full` too; `skipped` is the contract's refusals. */
export type IngestResult = ReportAccepted;

export interface IngestDeps {
  cluster: ClusterView;
  identity: PodIdentityResolver;
  store: IntentStore;
  config: IngestConfig;
  metrics?: Metrics;
  now?: () => Date;
  /** One line per report with skipped records (main.ts: the logger). */
  log?: (msg: string) => void;
  /** The ingest gate's bounds (ingest-gate.ts). */
  gate?: IngestGateOptions;
  /** Longest run of one report's work between event-loop turns, ms (default INGEST_SLICE_MS). */
  sliceMs?: number;
  /** Resolves once what this report stored is durable (the write-ahead log); awaited before answering. */
  commit?: () => Promise<void>;
}

/** Takes the decoded JSON body (or a report object built by the sniffer's pipeline in replay) and, over
 *  HTTP, the authenticated reporter (its roles say which record kinds it may send). */
export type Ingest = (body: unknown, reporter?: Reporter, opts?: IngestCallOptions) => Promise<IngestResult>;

export interface IngestCallOptions {
  /** Called once the report's records are resolved and stored, before waiting for durability (the
   *  report route's admission slot is the CPU work's, not the fsync wait's); not called when ingest throws first. */
  resolved?: () => void;
  /** The body already judged as normaliseReport would judge it (replay, cli/replay/own-records.ts): not checked again. */
  normalised?: NormalisedReport;
  /** A record's `lastSeen` as epoch ms, when the caller holds it as a number (replay): no text parsed back. */
  lastSeenMs?: (r: ReportRecord) => number;
}

/**
 * Epoch ms of a record's `lastSeen`, parsed once per distinct text in a row: records of one
 * interval mostly share it. Records with a time in the future (a skewed node clock) are taken as
 * seen now, so `since` stays honest.
 */
function createClock() {
  let text = '';
  let ms = NaN;
  return (lastSeen: string, now: number): number => {
    if (lastSeen !== text) { text = lastSeen; ms = Date.parse(lastSeen); }
    return Math.min(ms, now);
  };
}

/**
 * Adds to the labelled counter `name` at the next scrape (metrics.onCollect) what was counted since the one
 * before: a labelled counter's `inc` builds a key from its labels, about a microsecond, which every report
 * would pay once per record kind and reason. Every render shows the same totals as immediate `inc`s would.
 */
function countedAtScrape(metrics: Metrics | undefined, name: string, help: string, label: string): ((value: string, by: number) => void) | undefined {
  if (!metrics) return undefined;
  const counter = metrics.counter(name, help);
  const pending = new Map<string, number>();
  metrics.onCollect(() => {
    for (const [value, by] of pending) counter.inc({ [label]: value }, by);
    pending.clear();
  });
  return (value, by) => { pending.set(value, (pending.get(value) ?? 0) + by); };
}

/** One more of `reason` in a report's counts (a module function: a closure per report would be one more object). */
const countIn = (counts: Record<string, number>, reason: string): void => { counts[reason] = (counts[reason] ?? 0) + 1; };

/** At most this long (ms) of a report's work between two turns of the event loop: a large report, or many
 *  at once, must not hold /healthz, other reports or the answers of exports. */
export const INGEST_SLICE_MS = 4;
/** Records between two looks at the clock (a look costs more than a record's check). */
const CLOCK_EVERY = 32;
/** setImmediate where there is one (Node, Bun): no 1 ms clamp as setTimeout has. */
const nextTurn = (): Promise<void> => new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

/** Tells when the current slice has used its time; `yielded()` starts the next one. (A class: one is made per report.) */
class Slicer {
  private start = performance.now();
  constructor(private readonly sliceMs: number) {}
  due(): boolean { return performance.now() - this.start >= this.sliceMs; }
  yielded(): void { this.start = performance.now(); }
}

/** Ingest takes a report's DNS records first, then the others, each group in report order: two passes over
 *  the report's own array (a reordered copy would be one more array per report). */
const isDns = (r: ReportRecord): boolean => r.source === 'dns';

/**
 * `createIngest(deps)(report)`: DNS records are handled first, so a name seen in a report is known
 * when a SYN to its IP in the same report is resolved.
 */
export function createIngest(deps: IngestDeps): Ingest {
  const now = deps.now ?? (() => new Date());
  const gate = createIngestGate({ now: () => now().getTime(), ...deps.gate });
  const identities = createIdentityCache(gate.track(deps.identity), () => now().getTime());
  const dnsCache = createDnsCache(deps.config.dnsCacheMax ?? DEFAULT_DNS_CACHE_MAX);
  const resolveConnection = createConnectionResolver({
    identities, dnsCache,
    clusterDomain: deps.config.clusterDomain, minServerAgeMs: deps.config.minServerAgeMs,
    controlPlaneIpv4PrefixLength: deps.config.controlPlaneIpv4PrefixLength,
  });
  const { resolveKafka } = createWatcherResolver({ identities });
  const resolveHttp = createIstioResolver({ identities });
  const countResolved = countedAtScrape(deps.metrics, 'netmapper_records_resolved_total', 'Records resolved to an intent, by source.', 'source');
  const countUnresolved = countedAtScrape(deps.metrics, 'netmapper_records_unresolved_total', 'Records not resolved to an intent, by reason.', 'reason');
  const countSkipped = countedAtScrape(deps.metrics, 'netmapper_records_skipped_total', 'Records refused by the report contract, by reason (the rest of the report is kept).', 'reason');

  function resolve(r: ReportRecord, t: number, view: ClusterView, nowMs: number): Promise<Resolution> | Resolution {
    switch (r.source) {
      case 'kafka': return resolveKafka(r, t, view);
      case 'istio': return resolveHttp(r, t, view);
      default: return resolveConnection(r as ConnectionRecord, t, view, nowMs);
    }
  }

  const clampToNow = createClock();

  return async function ingest(body, reporter, opts) {
    const slice = new Slicer(deps.sliceMs ?? INGEST_SLICE_MS);
    let checked: NormalisedReport | undefined = opts?.normalised;
    if (!checked) {
      // The contract first, a range of records at a time: checking 50k records is itself tens of ms.
      const begun = beginReport(body);
      for (let from = 0; from < begun.raw.length; from += CLOCK_EVERY) {
        if (from > 0 && slice.due()) { await nextTurn(); slice.yielded(); }
        normaliseRecords(begun, from, Math.min(begun.raw.length, from + CLOCK_EVERY));
      }
      checked = begun;
    }
    const { report, skipped, examples } = checked;
    if (countSkipped) for (const reason in skipped) countSkipped(reason, skipped[reason]);
    if (examples.length) deps.log?.(`report from ${report.node}: skipped ${examples.length < 5 ? '' : 'e.g. '}${examples.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
    const nowMs = now().getTime();
    const view = memoView(deps.cluster);
    const result: IngestResult = { accepted: report.records.length, skipped, resolved: 0, unresolved: {} };
    const unresolved = result.unresolved;
    // Counted here per report and handed to the metrics once at the end (countedAtScrape).
    const resolvedBy: Record<string, number> = {};
    const lastSeenMs = opts?.lastSeenMs;
    // The quota counts new intents only: the store asks, on its one lookup of the intent's key.
    let overQuota: string | undefined;
    const admitNew = gate.quotaApplies(reporter) ? () => !(overQuota = gate.refuseNew(reporter)) : undefined;
    const records = report.records;
    // The reporter's roles hold for the whole report: when they allow every kind, no record asks again.
    const mayRefuseKind = reporter !== undefined && RECORD_SOURCES.some((source) => gate.refuseKind(reporter, source) !== undefined);
    let done = 0;
    try {
      for (let pass = 0; pass < 2; pass++) {
        const dnsPass = pass === 0;
        for (let k = 0; k < records.length; k++) {
          const r = records[k]!;
          if (isDns(r) !== dnsPass) continue;
          const n = done++;
          if (n > 0 && n % CLOCK_EVERY === 0 && slice.due()) { await nextTurn(); slice.yielded(); }
          const refused = mayRefuseKind ? gate.refuseKind(reporter, r.source) : undefined;
          if (refused) { countIn(unresolved, refused); continue; }
          let res: Resolution;
          try {
            const out = resolve(r, lastSeenMs ? Math.min(lastSeenMs(r), nowMs) : clampToNow(r.lastSeen, nowMs), view, nowMs);
            res = out instanceof Promise ? await out : out;   // most records resolve without a promise
          } catch (err) {
            // An owner the API would not give us just now (retried on a later record), or a bug in a
            // dependency: either way not bad input. Count it and keep going.
            countIn(unresolved, err instanceof OwnerReadError ? 'owner-read-error' : 'identity-error');
            continue;
          }
          if ('reason' in res) { countIn(unresolved, res.reason); continue; }
          const unverified = gate.refuseUnverified(res);
          if (unverified) { countIn(unresolved, unverified); continue; }
          const outcome = deps.store.add(res, admitNew);
          if (outcome === 'not-admitted') countIn(unresolved, overQuota!);
          else if (outcome === 'excluded') countIn(unresolved, 'excluded-namespace');
          else if (outcome === 'refused') countIn(unresolved, 'store-full');
          else { result.resolved++; countIn(resolvedBy, r.source); }
        }
      }
    } finally {
      if (countResolved) for (const source in resolvedBy) countResolved(source, resolvedBy[source]);
      if (countUnresolved) for (const reason in unresolved) countUnresolved(reason, unresolved[reason]);
    }
    opts?.resolved?.();
    if (deps.commit) await deps.commit();   // acknowledged means durable
    return result;
  };
}
