// Live frames: copy each into the WASM input region, decode the whole batch with one call.
import type { DecodedRecord } from './records.ts';
import { BATCH_HDR_SIZE, BATCH_HDR_CAPLEN, BATCH_HDR_LINKTYPE, BATCH_HDR_TS } from './layout.ts';
import { instantiate, DEFAULT_INPUT_BYTES, MIN_INPUT_BYTES, type DecoderExports } from './wasm.ts';
import { MemoryViews, readRecords, readCounters, rawOutput, type DecoderCounters, type RawOutput } from './read-back.ts';
import { DecoderContractError } from './errors.ts';

export interface Decoder {
  /** Copies one frame into the current batch (straight into WASM memory). Returns false and copies nothing when the batch is full: call decodeBatch() first. */
  push(frame: Uint8Array, tsSeconds: number, linkType: number): boolean;
  /** Decodes every frame pushed since the last call with ONE WASM call; returns the records in frame order. */
  decodeBatch(): DecodedRecord[];
  /** Like decodeBatch, but hands each WASM call's records to `visit` in place (no objects); returns the count. */
  decodeBatchRaw(visit: (out: RawOutput) => void): number;
  /** Like decodeBatch but only counts the records (no objects made): for benchmarks and counters-only use. */
  decodeBatchCount(): number;
  readonly pending: number;
  readonly pendingBytes: number;
  readonly counters: DecoderCounters;
}

export interface DecoderOptions {
  /** Batch size in bytes (frames + 16 bytes each); default 4 MiB. Larger frames than this are truncated. */
  batchBytes?: number;
}

export async function createDecoder(opts: DecoderOptions = {}): Promise<Decoder> {
  const batchBytes = Math.max(256, Math.floor(opts.batchBytes ?? DEFAULT_INPUT_BYTES));
  const exp = await instantiate(Math.max(batchBytes, MIN_INPUT_BYTES));
  return new WasmDecoder(exp, batchBytes);
}

class WasmDecoder implements Decoder {
  private readonly views: MemoryViews;
  private readonly input: number;
  private used = 0;
  private frames = 0;

  constructor(private readonly exp: DecoderExports, private readonly limit: number) {
    this.views = new MemoryViews(exp);
    this.input = exp.inputPtr();
  }

  get pending(): number { return this.frames; }
  get pendingBytes(): number { return this.used; }
  get counters(): DecoderCounters { return readCounters(this.exp, this.views); }

  push(frame: Uint8Array, tsSeconds: number, linkType: number): boolean {
    let len = frame.length;
    if (this.used + BATCH_HDR_SIZE + len > this.limit) {
      if (this.frames > 0) return false;
      len = this.limit - BATCH_HDR_SIZE; // a lone frame bigger than a batch: keep its head
    }
    const { u8, dv } = this.views.refresh();
    const h = this.input + this.used;
    dv.setUint32(h + BATCH_HDR_CAPLEN, len, true);
    dv.setUint32(h + BATCH_HDR_LINKTYPE, linkType >>> 0, true);
    dv.setFloat64(h + BATCH_HDR_TS, tsSeconds, true);
    u8.set(len === frame.length ? frame : frame.subarray(0, len), h + BATCH_HDR_SIZE);
    this.used += BATCH_HDR_SIZE + len;
    this.frames++;
    return true;
  }

  decodeBatch(): DecodedRecord[] {
    const out: DecodedRecord[] = [];
    this.run(out);
    return out;
  }

  decodeBatchCount(): number {
    return this.run(undefined);
  }

  decodeBatchRaw(visit: (out: RawOutput) => void): number {
    return this.run(undefined, visit);
  }

  /** Calls decodeBatch until the whole batch is decoded (more than once only if the output fills). */
  private run(out: DecodedRecord[] | undefined, visit?: (out: RawOutput) => void): number {
    let records = 0;
    let at = 0;
    while (at < this.used) {
      const reached = this.exp.decodeBatch(at, this.used);
      if (reached < 0) {
        this.used = 0;
        this.frames = 0;
        throw new DecoderContractError('decodeBatch rejected the batch', reached);
      }
      if (visit) {
        const raw = rawOutput(this.exp, this.views);
        records += raw.count;
        if (raw.count) visit(raw);
      } else records += out ? readRecords(this.exp, this.views, out) : this.exp.recordCount();
      if (reached <= at) throw new DecoderContractError('decodeBatch made no progress', reached);
      at = reached;
    }
    this.used = 0;
    this.frames = 0;
    return records;
  }
}
