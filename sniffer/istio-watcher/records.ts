// Moved request series → the contract's `istio` records: one per (client workload, server workload,
// path), methods merged. A method outside the eight the CRD knows (or none) leaves the path with no
// methods, as Otterize reports it.

import type { HttpRecord } from '../../controller/contract/schema.ts';
import type { PathFolder } from './paths.ts';
import type { RequestSeries } from './requests.ts';

/** The methods ClientIntents can name (CRD enum). */
export const CRD_METHODS: ReadonlySet<string> = new Set(['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'PATCH', 'CONNECT']);

export interface Grouped {
  records: HttpRecord[];
  /** Series dropped by the per-pair path cap. */
  pathCapped: number;
}

/**
 * Groups series into records, folding paths through `folder` (which enforces the per-pair cap).
 * @example toHttpRecords(moved, folder, new Date()).records
 */
export function toHttpRecords(series: readonly RequestSeries[], folder: PathFolder, seenAt: Date): Grouped {
  const byKey = new Map<string, HttpRecord>();
  let pathCapped = 0;
  const lastSeen = seenAt.toISOString();
  for (const s of series) {
    const pair = JSON.stringify([s.srcNamespace, s.srcWorkload, s.dstNamespace, s.dstWorkload]);
    const verdict = folder.admit(pair, s.path);
    if ('dropped' in verdict) { pathCapped++; continue; }
    const key = `${pair}\u0000${verdict.path}`;
    let rec = byKey.get(key);
    if (!rec) {
      rec = {
        source: 'istio', srcWorkload: s.srcWorkload, srcWorkloadNamespace: s.srcNamespace,
        dstWorkload: s.dstWorkload, dstWorkloadNamespace: s.dstNamespace, path: verdict.path, methods: [], lastSeen,
      };
      if (s.dstService) rec.dstServiceName = s.dstService;
      byKey.set(key, rec);
    }
    const method = s.method.toUpperCase();
    if (CRD_METHODS.has(method) && !rec.methods.includes(method)) rec.methods.push(method);
    if (!rec.dstServiceName && s.dstService) rec.dstServiceName = s.dstService;
  }
  for (const r of byKey.values()) r.methods.sort();
  return { records: [...byKey.values()], pathCapped };
}
