// Turns one validated report into stored intents: resolves every record, counts what could not be
// resolved by reason, and never fails half-way (a record that cannot be resolved is a counted value).

import type { ClusterView } from './cluster/view.ts';
import type { ConnectionRecord, Report, ReportRecord } from './contract.ts';
import type { Counter, Metrics } from './metrics.ts';
import { createConnectionResolver, type Resolution } from './resolve/connection.ts';
import { createDnsCache, DEFAULT_DNS_CACHE_MAX } from './resolve/dns-cache.ts';
import { memoView } from './resolve/memo-view.ts';
import { createIdentityCache, type PodIdentityResolver } from './resolve/identities.ts';
import { createWatcherResolver } from './resolve/watchers.ts';
import type { IntentStore } from './store/intent-store.ts';

export interface IngestConfig {
  clusterDomain: string;
  /** `--min-server-age`: TCP/socket servers younger than this at the packet are not trusted. */
  minServerAgeMs: number;
  dnsCacheMax?: number;
}

export interface IngestResult {
  records: number;
  resolved: number;
  /** reason → count; `excluded-namespace` and `store-full` are counted here too. */
  unresolved: Record<string, number>;
}

export interface IngestDeps {
  cluster: ClusterView;
  identity: PodIdentityResolver;
  store: IntentStore;
  config: IngestConfig;
  metrics?: Metrics;
  now?: () => Date;
}

export type Ingest = (report: Report) => Promise<IngestResult>;

/** Records with a time in the future (a skewed node clock) are taken as seen now, so `since` stays honest. */
const clampToNow = (lastSeen: string, now: number): number => Math.min(Date.parse(lastSeen), now);

/**
 * `createIngest(deps)(report)`: DNS records are handled first, so a name seen in a report is known
 * when a SYN to its IP in the same report is resolved.
 */
export function createIngest(deps: IngestDeps): Ingest {
  const now = deps.now ?? (() => new Date());
  const identities = createIdentityCache(deps.identity, () => now().getTime());
  const dnsCache = createDnsCache(deps.config.dnsCacheMax ?? DEFAULT_DNS_CACHE_MAX);
  const resolveConnection = createConnectionResolver({
    identities, dnsCache,
    clusterDomain: deps.config.clusterDomain, minServerAgeMs: deps.config.minServerAgeMs,
  });
  const { resolveKafka, resolveHttp } = createWatcherResolver({ identities });
  const resolvedCounter: Counter | undefined = deps.metrics?.counter('netmapper_records_resolved_total', 'Records resolved to an intent, by source.');
  const unresolvedCounter: Counter | undefined = deps.metrics?.counter('netmapper_records_unresolved_total', 'Records not resolved to an intent, by reason.');

  function resolve(r: ReportRecord, t: number, view: ClusterView, nowMs: number): Promise<Resolution> | Resolution {
    switch (r.source) {
      case 'kafka': return resolveKafka(r, t, view);
      case 'istio': return resolveHttp(r, t);
      default: return resolveConnection(r as ConnectionRecord, t, view, nowMs);
    }
  }

  return async function ingest(report) {
    const nowMs = now().getTime();
    const view = memoView(deps.cluster);
    const result: IngestResult = { records: report.records.length, resolved: 0, unresolved: {} };
    const miss = (reason: string): void => {
      result.unresolved[reason] = (result.unresolved[reason] ?? 0) + 1;
      unresolvedCounter?.inc({ reason });
    };
    const ordered = [...report.records.filter((r) => r.source === 'dns'), ...report.records.filter((r) => r.source !== 'dns')];
    for (const r of ordered) {
      let res: Resolution;
      try {
        const out = resolve(r, clampToNow(r.lastSeen, nowMs), view, nowMs);
        res = out instanceof Promise ? await out : out;   // most records resolve without a promise
      } catch {
        // An identity lookup that throws is a bug in a dependency, not bad input: count it, keep going.
        miss('identity-error');
        continue;
      }
      if ('reason' in res) { miss(res.reason); continue; }
      const outcome = deps.store.add(res.observation);
      if (outcome === 'excluded') miss('excluded-namespace');
      else if (outcome === 'refused') miss('store-full');
      else { result.resolved++; resolvedCounter?.inc({ source: r.source }); }
    }
    return result;
  };
}
