// Where a pod container's log was last read, so a reopened stream (`sinceTime`) neither repeats nor
// skips a line. The API server passes sinceTime to the kubelet with one-second precision, so a reopened
// stream starts up to a second early: lines older than the last one read are repeats, and lines with
// exactly its timestamp are repeats once each for as many as were read. Times are compared as
// normalised RFC 3339 strings with nine fraction digits (the runtime stamps nanoseconds).

/** `2026-11-27T15:30:01.123456789Z rest` (`timestamps=true`): the stamp, normalised, and the rest. */
export function splitStamp(line: string): { stamp: string; ms: number; text: string } | undefined {
  const sp = line.indexOf(' ');
  const head = sp < 0 ? line : line.slice(0, sp);
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(head);
  if (!m) return undefined;
  const frac = (m[2] ?? '').padEnd(9, '0');
  const ms = Date.parse(`${m[1]}.${frac.slice(0, 3)}Z`);
  if (!Number.isFinite(ms)) return undefined;
  return { stamp: `${m[1]}.${frac}Z`, ms, text: sp < 0 ? '' : line.slice(sp + 1) };
}

export interface LogCursor {
  /** The `sinceTime` to reopen with, or undefined to read from `startAt` (or the container's start). */
  sinceTime(): string | undefined;
  /** Call before the lines of each new stream. */
  beginStream(): void;
  /** True if the line is new (and remembers it); false for a repeat of what was already read. */
  accept(stamp: string, text: string): boolean;
  readonly last: string | undefined;
}

/** `startAt`: RFC 3339 time to read from on the first stream (undefined: from the container's start). */
export function createLogCursor(startAt?: string): LogCursor {
  let last: string | undefined;
  /** Lines before the start time (the kubelet's second-rounding lets a few through) are not ours. */
  const floor = startAt ? splitStamp(startAt)?.stamp : undefined;
  /** Text → how many times it was read at `last`. */
  let atLast = new Map<string, number>();
  /** This stream's budget of repeats at `last`, consumed as they come round again. */
  let repeats = new Map<string, number>();
  return {
    sinceTime: () => last ?? startAt,
    beginStream() { repeats = new Map(atLast); },
    accept(stamp, text) {
      if (last !== undefined ? stamp < last : floor !== undefined && stamp < floor) return false;
      if (stamp === last) {
        const r = repeats.get(text) ?? 0;
        if (r > 0) { repeats.set(text, r - 1); return false; }
        atLast.set(text, (atLast.get(text) ?? 0) + 1);
        return true;
      }
      last = stamp;
      atLast = new Map([[text, 1]]);
      repeats = new Map();
      return true;
    },
    get last() { return last; },
  };
}
