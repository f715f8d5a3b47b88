// Capture files decoded in WASM chunk by chunk: the file is read straight into WASM memory.
import { open } from 'node:fs/promises';
import type { DecodedRecord } from './records.ts';
import { CAP_END, CAP_SKIP, CAP_OUTPUT_FULL, E_NOT_A_CAPTURE } from './layout.ts';
import { instantiate, DEFAULT_INPUT_BYTES, RECORD_SLOTS } from './wasm.ts';
import { MemoryViews, readRecords, readCounters, emptyCounters, rawOutput, type DecoderCounters, type RawOutput } from './read-back.ts';
import { CaptureFormatError, DecoderContractError } from './errors.ts';
import { JsonLineFormatter, JSON_REGION_BYTES } from './json-lines.ts';

export interface CaptureProgress {
  bytesRead: number;
  bytesTotal: number;
  frames: number;
  records: number;
}

export interface CaptureScanOptions {
  onProgress?(p: CaptureProgress): void;
  /** false: count records without making objects (benchmarks). Default true. */
  materialize?: boolean;
  /** Also yield each record's frame number in the file (1-based, packet blocks only). */
  frameNumbers?: boolean;
  /** Yield each chunk's records in place (`raw`, a view of WASM memory) instead of as objects; implies materialize: false. */
  raw?: boolean;
  /** Also yield each chunk's records as JSON lines, formatted straight from WASM memory (`netmapper decode`). */
  jsonLines?: boolean;
}

/**
 * One step of scanCapture: a chunk's records (none when not materializing), their count, and what
 * was asked for. `json` may be a view of WASM memory: use it before asking for the next step.
 */
export interface CaptureChunk { records: DecodedRecord[]; count: number; frames?: number[]; json?: Buffer; raw?: RawOutput }

const JSON_RECORDS_PER_CALL = 4096;

function hex(bytes: Uint8Array): string {
  return bytes.length === 0 ? 'an empty file' : `bytes ${Buffer.from(bytes).toString('hex')}`;
}

/**
 * Decodes the capture at `path` chunk by chunk, yielding each chunk's records (an empty array
 * when not materializing) and returning the final counters. Pulling drives reading, so memory
 * stays bounded however slow the consumer is.
 */
export async function* scanCapture(path: string, opts: CaptureScanOptions = {}): AsyncGenerator<CaptureChunk, DecoderCounters> {
  const materialize = !opts.raw && (opts.materialize ?? true);
  const fh = await open(path, 'r');
  try {
    const bytesTotal = (await fh.stat()).size;
    const exp = await instantiate(DEFAULT_INPUT_BYTES, opts.jsonLines ? JSON_REGION_BYTES : 0);
    // Without objects to make, a call may fill the record area: fewer, larger steps. With JSON lines,
    // a quarter of it: the lines of 4096 records (~1.4 MB) stay in cache for stdout, and the
    // output areas touch ~1700 fewer fresh pages over a run.
    if (!materialize) exp.recordsPerCall(opts.jsonLines ? JSON_RECORDS_PER_CALL : RECORD_SLOTS);
    const views = new MemoryViews(exp);
    const json = opts.jsonLines ? new JsonLineFormatter(exp, views) : undefined;
    const input = exp.inputPtr();
    const cap = DEFAULT_INPUT_BYTES;
    exp.captureBegin();
    let pos = 0;
    let have = 0;
    let records = 0;
    let eof = false;
    for (;;) {
      // Fill the region from the file, straight into WASM memory.
      while (!eof && have < cap) {
        const { bytesRead } = await fh.read(views.refresh().u8, input + have, cap - have, pos);
        if (bytesRead === 0) eof = true;
        have += bytesRead;
        pos += bytesRead;
      }
      // Decode what is there; the output may fill several times before the region is used up.
      let at = 0;
      let status: number;
      for (;;) {
        const reached = exp.captureChunk(at, have, eof ? 1 : 0);
        if (reached === E_NOT_A_CAPTURE) {
          throw new CaptureFormatError(path, hex(views.refresh().u8.slice(input, input + Math.min(have, 4))));
        }
        if (reached < 0) throw new DecoderContractError(`captureChunk rejected ${have} bytes of ${path}`, reached);
        const out: DecodedRecord[] = [];
        const frames = opts.frameNumbers ? [] as number[] : undefined;
        const count = materialize ? readRecords(exp, views, out, frames) : exp.recordCount();
        records += count;
        status = exp.captureStatus();
        if (count > 0) {
          const chunk: CaptureChunk = { records: out, count };
          if (frames) chunk.frames = frames.map((f) => f + 1);
          if (json) chunk.json = json.format();
          if (opts.raw) chunk.raw = rawOutput(exp, views);
          yield chunk;
        }
        if (status === CAP_OUTPUT_FULL && reached <= at && count === 0) {
          throw new DecoderContractError(`captureChunk made no progress in ${path}`, reached);
        }
        at = reached;
        if (status !== CAP_OUTPUT_FULL) break;
      }
      if (opts.onProgress) {
        opts.onProgress({ bytesRead: pos - (have - at), bytesTotal, frames: readCounters(exp, views).frames, records });
      }
      if (status === CAP_END) break;
      if (status === CAP_SKIP) {
        // A pcapng block bigger than the input region: skip it in the file (counted by WASM).
        pos += exp.captureSkip() - (have - at);
        have = 0;
        eof = false;
        continue;
      }
      // CAP_NEED_MORE: keep the incomplete record and read on.
      if (at === 0 && have === cap) throw new DecoderContractError(`captureChunk made no progress in ${path}`, 0);
      if (at < have) {
        const { u8 } = views.refresh();
        u8.copyWithin(input, input + at, input + have);
      }
      have -= at;
      if (eof) break;
    }
    return readCounters(exp, views);
  } finally {
    await fh.close();
  }
}

/** Whole pcap/pcapng file (format by magic number, not extension), decoded in WASM chunk by chunk. */
export async function decodeFile(path: string): Promise<{ records: DecodedRecord[]; counters: DecoderCounters }> {
  const records: DecodedRecord[] = [];
  const it = scanCapture(path);
  for (;;) {
    const step = await it.next();
    if (step.done) return { records, counters: step.value };
    for (const r of step.value.records) records.push(r);
  }
}

/** Streaming variant for large files: yields records in file order; counters complete when iteration ends. */
export function readCaptureRecords(
  path: string,
  opts: { onProgress?(p: CaptureProgress): void } = {},
): AsyncIterable<DecodedRecord> & { readonly counters: DecoderCounters } {
  let counters = emptyCounters();
  async function* iterate(): AsyncGenerator<DecodedRecord> {
    const it = scanCapture(path, { onProgress: opts.onProgress });
    let finished = false;
    try {
      for (;;) {
        const step = await it.next();
        if (step.done) {
          counters = step.value;
          finished = true;
          return;
        }
        yield* step.value.records;
      }
    } finally {
      // A consumer that stops early (break, throw) still gets the file closed now, not at GC.
      if (!finished) await it.return(emptyCounters());
    }
  }
  return {
    [Symbol.asyncIterator]: iterate,
    get counters() { return counters; },
  };
}
