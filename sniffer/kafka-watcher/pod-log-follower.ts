// Follows one container's log through the Kubernetes API (client-node's Log: `pods/log` with
// follow=true, timestamps=true, sinceTime), forever: when the stream ends (the API server's timeout,
// a dropped connection, a container restart) it is reopened from the last line's time, and the cursor
// drops what the reopened stream repeats. Failures back off exponentially (1 s to 30 s by default);
// a stream quiet for `idleMs` is reopened too, since a dropped connection may never say so. Before
// each follow, the container's previous instance (if it restarted) is read from the cursor on.

import type { Log } from '@kubernetes/client-node';
import type { Readable } from 'node:stream';
import type { Broker } from './accesses.ts';
import { createLineSplitter } from './line-splitter.ts';
import { createLogCursor, splitStamp, type LogCursor } from './log-cursor.ts';
import { MAX_LINE } from './authorizer-line.ts';

export interface FollowOptions {
  log: Pick<Log, 'log'>;
  broker: Broker;
  container: string;
  /** Where the first stream starts (RFC 3339); undefined: the container's first line. */
  startAt?: string;
  onLine(line: string, streamTimeMs: number | undefined, truncated: boolean): void;
  onOpen?(): void;
  onClose?(error?: unknown): void;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Reopen a stream that delivered nothing for this long (default 5 minutes). */
  idleMs?: number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => { clearTimeout(t); signal.removeEventListener('abort', done); resolve(); };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** One stream, until it ends, fails, goes idle or `signal` aborts. Resolves with the error, if any, and whether a line came.
 *  `previous`: read (without following) the container instance before its last restart instead. */
async function streamOnce(o: FollowOptions, cursor: LogCursor, signal: AbortSignal, idleMs: number, previous = false): Promise<{ error?: unknown; lines: number }> {
  let lines = 0;
  let idle: NodeJS.Timeout | undefined;
  let finish!: (r: { error?: unknown }) => void;
  const ended = new Promise<{ error?: unknown }>((resolve) => { finish = resolve; });
  const dest = createLineSplitter((line, truncated) => {
    idle?.refresh();
    const s = splitStamp(line);
    if (s && !cursor.accept(s.stamp, s.text)) return;
    lines++;
    o.onLine(s ? s.text : line, s?.ms, truncated);
  }, MAX_LINE + 40);
  // client-node pipes the response into `dest` and keeps the source to itself; a source error (the
  // connection dropped mid-stream) would otherwise go unheard, so listen on the source it pipes.
  dest.on('pipe', (src: Readable) => src.once('error', (error) => finish({ error })));
  dest.once('finish', () => finish({}));
  dest.once('error', (error) => finish({ error }));
  cursor.beginStream();
  const since = cursor.sinceTime();
  let ctl: AbortController | undefined;
  const onAbort = () => { ctl?.abort(); finish({}); };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    ctl = await o.log.log(o.broker.namespace, o.broker.name, o.container, dest, previous
      ? { previous: true, timestamps: true, ...(since ? { sinceTime: since } : {}) }
      : { follow: true, timestamps: true, ...(since ? { sinceTime: since } : {}) });
    if (signal.aborted) ctl.abort();
    if (!previous) o.onOpen?.();
    idle = setTimeout(() => { ctl?.abort(); finish({ error: new Error(`no log line for ${idleMs} ms; reopening`) }); }, idleMs);
    const r = await ended;
    return { ...r, lines };
  } catch (error) {
    return { error, lines };
  } finally {
    clearTimeout(idle);
    signal.removeEventListener('abort', onAbort);
    ctl?.abort();
    dest.destroy();
  }
}

/** Follows until `signal` aborts. The cursor survives every reopen of this container of this pod. */
export async function followContainerLog(o: FollowOptions, signal: AbortSignal): Promise<void> {
  const cursor = createLogCursor(o.startAt);
  const initial = o.initialBackoffMs ?? 1000;
  const max = o.maxBackoffMs ?? 30_000;
  const idleMs = o.idleMs ?? 5 * 60_000;
  const sleep = o.sleep ?? abortableSleep;
  let failures = 0;
  while (!signal.aborted) {
    // A container that restarted in place left lines after our cursor in its previous instance (what
    // it wrote between our last read and its death): read those first, oldest first. No previous
    // instance is a 400, and one we already read yields only repeats, which the cursor drops.
    await streamOnce(o, cursor, signal, idleMs, true);
    if (signal.aborted) break;
    const r = await streamOnce(o, cursor, signal, idleMs);
    if (signal.aborted) break;
    o.onClose?.(r.error);
    // A stream that delivered lines was healthy: reopen at once. Errors and empty ends back off,
    // so a pod that is not running yet (400) or gone (404) is not hammered.
    if (r.lines > 0 && !r.error) { failures = 0; continue; }
    if (r.lines > 0) failures = 0;
    const base = Math.min(max, initial * 2 ** failures++);
    await sleep(base * (0.8 + 0.4 * Math.random()), signal);
  }
}
