// The expiry sweep (`--intent-expiry`): removes intents unseen for the configured age, and says so —
// one log line per sweep that removed something (how many, the oldest last-seen, what is left) and
// two counters — so an intent that vanished from the map can be traced to the expiry.

import type { Logger } from '../../common/log.ts';
import type { Metrics } from '../../common/metrics.ts';
import type { ExpireResult, IntentStore } from './intent-store.ts';

export interface ExpirySweepDeps {
  store: Pick<IntentStore, 'expire' | 'size'>;
  maxAgeMs: number;
  logger: Pick<Logger, 'info'>;
  metrics: Metrics;
  /** Called after a sweep that removed something (main.ts: compact, so the removal is durable). */
  onExpired?: (r: ExpireResult) => void;
}

/** One sweep per call; main.ts calls it on a timer. */
export function createExpirySweep(deps: ExpirySweepDeps): () => ExpireResult {
  const expired = deps.metrics.counter('netmapper_intents_expired_total', 'Intents removed by --intent-expiry.');
  const sweeps = deps.metrics.counter('netmapper_expiry_sweeps_total', 'Expiry sweeps that removed at least one intent.');
  return () => {
    const r = deps.store.expire(deps.maxAgeMs);
    if (r.removed === 0) return r;
    expired.inc({}, r.removed);
    sweeps.inc();
    deps.logger.info(`expired ${r.removed} intents unseen for ${deps.maxAgeMs / 1000} s`, {
      event: 'intents-expired', removed: r.removed,
      oldestLastSeen: r.oldestLastSeen !== undefined ? new Date(r.oldestLastSeen).toISOString() : undefined,
      maxAgeSeconds: deps.maxAgeMs / 1000, remaining: deps.store.size(),
    });
    deps.onExpired?.(r);
    return r;
  };
}
