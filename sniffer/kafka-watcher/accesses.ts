// From log lines to the records the controller takes: each line is parsed and counted (read, matched,
// skipped by reason), and topic accesses are deduplicated per (broker, operation, client IP, topic)
// keeping the newest time, until the next report takes them all. The table is bounded: past
// `maxKeys` distinct accesses in one interval, new ones are dropped and counted.

import type { KafkaRecord } from '../../controller/contract/schema.ts';
import { parseAuthorizerLine } from './authorizer-line.ts';
import type { WatcherMetrics } from './metrics.ts';

/** A broker pod: the server side of every access read from its log. */
export interface Broker { namespace: string; name: string }
export const brokerKey = (b: Broker): string => `${b.namespace}/${b.name}`;

/**
 * Which time a record carries:
 *  - `stream`: the time the container runtime stamped on the line (`timestamps=true`), else the read time;
 *  - `logged`: log4j's own timestamp, read as UTC (replay of files);
 *  - `read`: when the watcher read the line (the live file tail, where log4j's zone is unknown).
 */
export type TimeSource = 'stream' | 'logged' | 'read';

export const DEFAULT_MAX_KEYS = 100_000;

export interface AccessTable {
  /** Takes one log line of `broker`; `streamTimeMs` is the runtime's timestamp of the line, when known;
   *  `truncated`: the line was longer than the reader's bound and only its start is here (counted, skipped). */
  line(broker: Broker, line: string, streamTimeMs?: number, truncated?: boolean): void;
  /** Every access since the last take, oldest key first; the table is empty afterwards. */
  take(): KafkaRecord[];
  readonly size: number;
}

export function createAccessTable(o: { metrics: WatcherMetrics; timeSource: TimeSource; maxKeys?: number; now?: () => number }): AccessTable {
  const { metrics } = o;
  const now = o.now ?? Date.now;
  const maxKeys = o.maxKeys ?? DEFAULT_MAX_KEYS;
  const table = new Map<string, { record: KafkaRecord; at: number; broker: string }>();

  return {
    line(broker, line, streamTimeMs, truncated) {
      const b = brokerKey(broker);
      metrics.linesRead.inc({ broker: b });
      if (truncated) { metrics.linesSkipped.inc({ broker: b, reason: 'too-long' }); return; }
      const parsed = parseAuthorizerLine(line);
      if ('skip' in parsed) { metrics.linesSkipped.inc({ broker: b, reason: parsed.skip }); return; }
      metrics.linesMatched.inc({ broker: b });
      const a = parsed.access;
      const readAt = now();
      const seen = o.timeSource === 'read' ? readAt
        : o.timeSource === 'stream' ? streamTimeMs ?? readAt
        : a.loggedAt ?? streamTimeMs ?? readAt;
      // A clock ahead of ours (or a zone east of UTC) must not produce records from the future.
      const at = Math.min(seen, readAt);
      const key = `${b}\u0000${a.operation}\u0000${a.clientIp}\u0000${a.topic}`;
      const hit = table.get(key);
      if (hit) {
        if (at > hit.at) { hit.at = at; hit.record.lastSeen = new Date(at).toISOString(); }
        return;
      }
      if (table.size >= maxKeys) { metrics.recordsDropped.inc({ broker: b, reason: 'table-full' }); return; }
      table.set(key, {
        at, broker: b,
        record: { source: 'kafka', srcIp: a.clientIp, serverPodName: broker.name, serverNamespace: broker.namespace, topic: a.topic, operation: a.operation, lastSeen: new Date(at).toISOString() },
      });
    },
    take() {
      const out: KafkaRecord[] = [];
      for (const { record, broker } of table.values()) { out.push(record); metrics.recordsReported.inc({ broker }); }
      table.clear();
      return out;
    },
    get size() { return table.size; },
  };
}
