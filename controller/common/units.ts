// The one grammar for durations and sizes, shared by every flag, env var and query parameter.
// Durations are Go's (time.ParseDuration, as Kubernetes users write them) plus `d` for days:
// `0`, `500ms`, `1.5s`, `1h30m`, `7d`. Sizes are bytes with an optional binary suffix
// (Kubernetes quantities): `8388608`, `512Ki`, `8Mi`, `8 Mi`, `8MiB`.

const DURATION_UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
export const DURATION_HINT = 'use e.g. 500ms, 1.5s, 5m, 1h30m, 7d, or 0';

/** Milliseconds (rounded to whole ms), or undefined when `text` is not a duration. A bare number other than 0 is not one. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (t === '0') return 0;
  if (!DURATION.test(t)) return undefined;
  let total = 0;
  for (const m of t.matchAll(DURATION_PART)) total += Number(m[1]) * DURATION_UNIT_MS[m[2]!]!;
  return Number.isFinite(total) ? Math.round(total) : undefined;
}

const SIZE_UNIT: Record<string, number> = { '': 1, Ki: 1024, KiB: 1024, Mi: 1024 ** 2, MiB: 1024 ** 2, Gi: 1024 ** 3, GiB: 1024 ** 3 };
const SIZE = /^(\d+)\s*(Ki|KiB|Mi|MiB|Gi|GiB)?$/;
export const SIZE_HINT = 'use bytes or e.g. 512Ki, 8Mi, 1Gi';

/** Bytes, or undefined when `text` is not a size. */
export function parseSize(text: string): number | undefined {
  const m = SIZE.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]) * SIZE_UNIT[m[2] ?? '']!;
  return Number.isSafeInteger(n) ? n : undefined;
}
