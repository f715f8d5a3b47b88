// Live capture: libpcap through `cap`, one handle per device, frames copied out of cap's single
// shared buffer into the decoder's batch the moment they arrive (cap reuses that buffer for the
// next packet), stamped here because cap gives no timestamps. A batch is decoded when it is full
// or when a short timer fires, so records reach aggregation within `flushMs` even when quiet.

import { createRequire } from 'node:module';
import type { DecoderCounters, DecodedRecord } from '../../parser-wasm/src/records.ts';
import type { RawOutput } from '../../parser-wasm/src/read-back.ts';
import type { Logger } from '../../controller/common/log.ts';
import type { SnifferMetrics } from './metrics.ts';
import { NetmapperError } from '../../controller/common/errors.ts';

/** The decoder as capture drives it (parser-wasm's `createDecoder()`). */
export interface FrameDecoder {
  /** Copies the frame into the batch; false = batch full, decode first. */
  push(frame: Uint8Array, tsSeconds: number, linkType: number): boolean;
  decodeBatch(): DecodedRecord[];
  /** Decodes the batch and hands each call's records to `visit` in place (no object per record). */
  decodeBatchRaw?(visit: (out: RawOutput) => void): number;
  readonly pending: number;
  readonly counters: DecoderCounters;
}

interface CapHandle {
  open(device: string, filter: string, bufSize: number, buffer: Buffer): string;
  close(): void;
  on(event: 'packet', fn: (nbytes: number, truncated: boolean) => void): void;
  removeAllListeners(): void;
}

/** cap's own frame buffer: its snaplen is fixed at 65535. */
const CAP_SNAPLEN = 65535;
const DEFAULT_FLUSH_MS = 100;
/**
 * Decode as soon as this many frames wait. libpcap in immediate mode uses TPACKET_V2, whose ring
 * slots are snaplen-sized (cap fixes snaplen at 65535): a 32 MiB buffer holds only ~512 frames,
 * so the JS side must never stall long. Small batches keep every decode call well under a ms.
 */
const FLUSH_FRAMES = 256;
/** Frames stamped with one clock read at most (about a millisecond of frames at full speed). */
const CLOCK_EVERY_FRAMES = 1024;
/** Frame lengths up to this get a cached view of cap's buffer (at most this many views, ~200 KB). */
const VIEW_CACHE_MAX_LEN = 1600;

/**
 * One BPF program for everything the sniffer wants, IPv4 and IPv6.
 * - DNS responses: from port 53, over UDP and TCP (RFC 1035 §4.2, RFC 7766).
 * - TCP SYNs without ACK: the client's first segment (RFC 9293 §3.5). libpcap's `tcp[]` only
 *   indexes IPv4, so IPv6 is matched at the fixed header (next header 6, flags at 40 + 13); SYNs
 *   behind IPv6 extension headers are missed by the filter.
 */
export function captureFilter(want: { dns: boolean; tcp: boolean }): string | undefined {
  const parts: string[] = [];
  if (want.dns) parts.push('udp src port 53', 'tcp src port 53');
  if (want.tcp) parts.push('(tcp[tcpflags] & (tcp-syn|tcp-ack)) == tcp-syn', '(ip6 and ip6[6] == 6 and (ip6[53] & 0x12) == 0x02)');
  return parts.length ? parts.join(' or ') : undefined;
}

export class CaptureError extends NetmapperError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('capture-failed', message, options);
  }
}

export interface CaptureOptions {
  devices: string[];
  filter: string;
  bufferBytes: number;
  decoder: FrameDecoder;
  /** cap's link-type name ('ETHERNET', 'LINKTYPE_LINUX_SLL', ...) → LINKTYPE number. */
  linkTypeOf: (capName: string) => number | undefined;
  onRecords: (records: DecodedRecord[]) => void;
  /** Used instead of onRecords when the decoder can hand out records in place (the hot path). */
  onRaw?: (out: RawOutput) => void;
  metrics: SnifferMetrics;
  log: Logger;
  flushMs?: number;
  /** Epoch seconds with fraction. */
  clock?: () => number;
}

export interface Capture {
  /** Decodes whatever is batched now (before an interval closes). */
  flush(): void;
  close(): void;
  /** device → cap's link-type name. */
  readonly linkTypes: Record<string, string>;
}

export function hrClock(): number {
  return (performance.timeOrigin + performance.now()) / 1000;
}

/**
 * Frames read in one turn of the event loop: cap hands them over one call each, all inside the poll
 * phase that found the socket readable (it drains the ring there), and the next check phase ends the
 * turn. One clock read stamps them together, as libpcap's one wake-up delivered them (reading the clock
 * per frame was ~5 % of the sniffer's JS at 50k responses/s), re-read every CLOCK_EVERY_FRAMES frames
 * because a turn that drains a backlog can last a second. How many frames and bytes one wake-up read
 * (the backlog it found, plus what arrived while draining) bounds from above what the ring had to hold:
 * the largest since the last look is the measured need for --capture-buffer.
 */
export function createLoopTurns(clock: () => number) {
  let now = 0, fresh = false, frames = 0, bytes = 0, stampAge = 0;
  let largest = { frames: 0, bytes: 0 };
  const expire = () => {
    fresh = false;
    if (bytes > largest.bytes) largest = { frames, bytes };
    frames = 0; bytes = 0;
  };
  return {
    /** Counts a frame of `nbytes` into this turn; returns the turn's timestamp. */
    frame(nbytes: number): number {
      if (!fresh) { fresh = true; stampAge = CLOCK_EVERY_FRAMES; setImmediate(expire); }
      if (stampAge++ >= CLOCK_EVERY_FRAMES) { now = clock(); stampAge = 1; }
      frames++; bytes += nbytes;
      return now;
    },
    /** The largest turn since the last call (frames and captured bytes), then starts over. */
    takeLargest(): { frames: number; bytes: number } {
      const l = largest;
      largest = { frames: 0, bytes: 0 };
      return l;
    },
  };
}

/**
 * `cap` (libpcap) is an optional dependency, loaded only when live capture starts: `netmapper`
 * installs and runs without a compiler or libpcap, and only the sniffer needs it.
 */
function loadCap(): { Cap: new () => CapHandle } {
  try {
    return createRequire(import.meta.url)('cap') as { Cap: new () => CapHandle };
  } catch (err) {
    throw new CaptureError("live capture needs the optional package 'cap' (libpcap bindings), which is not installed or did not build: "
      + "install libpcap-dev and a C++ compiler, then 'npm install cap@0.2.1'", { cause: err });
  }
}

interface DirectCapHandle extends CapHandle { onPacket: ((nbytes: number, truncated: boolean) => void) | undefined }

/**
 * cap calls `emit('packet', nbytes, truncated)` per frame, with the `emit` it found on the object
 * when the object was made; EventEmitter's emit gathers its arguments into an array on every call.
 * This subclass's emit hands a frame straight to the one packet handler.
 */
function directCap(Cap: new () => CapHandle): new () => DirectCapHandle {
  const Base = Cap as unknown as new () => CapHandle & { emit(event: string, ...args: unknown[]): boolean };
  return class DirectCap extends Base {
    onPacket: ((nbytes: number, truncated: boolean) => void) | undefined;
    emit(event: string, a?: unknown, b?: unknown): boolean {
      if (event === 'packet' && this.onPacket) { this.onPacket(a as number, b as boolean); return true; }
      return super.emit(event, a, b);
    }
  };
}

export function openCapture(opts: CaptureOptions): Capture {
  const Cap = directCap(loadCap().Cap);
  const { decoder, metrics } = opts;
  const turns = createLoopTurns(opts.clock ?? hrClock);
  const onRaw = opts.onRaw;
  const handles: DirectCapHandle[] = [];
  let frames = 0, truncatedFrames = 0;
  metrics.registry.onCollect(() => {
    const largest = turns.takeLargest();
    metrics.captureLargestReadFrames.set(largest.frames);
    metrics.captureLargestReadBytes.set(largest.bytes);
    metrics.frames.set(frames);
    metrics.framesTruncated.set(truncatedFrames);
  });
  const linkTypes: Record<string, string> = {};

  let contractErrors = 0;
  const flush = () => {
    if (decoder.pending === 0) return;
    let records: DecodedRecord[] = [];
    try {
      if (onRaw && decoder.decodeBatchRaw) decoder.decodeBatchRaw(onRaw);
      else records = decoder.decodeBatch();
    } catch (err) {
      // A broken decoder contract is a bug, but one bad batch must not take the node's sniffer down.
      if (contractErrors++ === 0) opts.log.error('decoder failed on a batch; batch dropped', { error: (err as Error).message });
      metrics.decodeSkipped.inc({ reason: 'decoder-contract-error' });
      return;
    }
    if (records.length) opts.onRecords(records);
  };

  try {
    for (const device of opts.devices) {
      const cap = new Cap();
      const buf = Buffer.alloc(CAP_SNAPLEN);
      let name: string;
      try {
        name = cap.open(device, opts.filter, opts.bufferBytes, buf);
      } catch (err) {
        throw new CaptureError(`cannot capture on device ${JSON.stringify(device)}: ${(err as Error).message}`, { cause: err });
      }
      handles.push(cap);
      const linkType = opts.linkTypeOf(name);
      if (linkType === undefined) throw new CaptureError(`device ${JSON.stringify(device)} has link type ${name}, which the decoder does not read`);
      linkTypes[device] = name;
      // A view of cap's buffer per frame length, made once: frames come in few lengths, and a
      // subarray per frame was an object per frame.
      const views: Array<Buffer | undefined> = new Array(VIEW_CACHE_MAX_LEN + 1);
      cap.onPacket = (nbytes, truncated) => {
        const frame = nbytes <= VIEW_CACHE_MAX_LEN ? (views[nbytes] ??= buf.subarray(0, nbytes)) : buf.subarray(0, nbytes);
        const ts = turns.frame(nbytes);
        frames++;
        if (truncated) truncatedFrames++;
        if (!decoder.push(frame, ts, linkType)) {
          flush();
          decoder.push(frame, ts, linkType); // an empty batch always takes a frame (truncated to fit)
        }
        if (decoder.pending >= FLUSH_FRAMES) flush();
      };
    }
  } catch (err) {
    for (const h of handles) try { h.close(); } catch { /* closing anyway */ }
    throw err;
  }

  const timer = setInterval(flush, opts.flushMs ?? DEFAULT_FLUSH_MS);
  timer.unref();
  return {
    flush,
    close() {
      clearInterval(timer);
      for (const h of handles) {
        h.onPacket = undefined;
        h.removeAllListeners();
        try { h.close(); } catch { /* already closed */ }
      }
      flush();
    },
    linkTypes,
  };
}
