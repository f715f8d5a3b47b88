// parser-wasm: the WASM frame decoder's TypeScript API (live batches, capture files, counters).
export * from './records.ts';
export { LINKTYPE, linkTypeFromCap } from './link-types.ts';
export { createDecoder, type Decoder, type DecoderOptions } from './decoder.ts';
export { decodeFile, readCaptureRecords, scanCapture, type CaptureProgress } from './capture-file.ts';
export { CaptureFormatError, DecoderContractError, DecoderBuildError } from './errors.ts';
export { REASON_NAMES, UNINTERESTING_REASONS } from './layout.ts';
export type { DecoderCounters, RawOutput } from './read-back.ts';
import type { DecodedRecord } from './records.ts';
import { createDecoder } from './decoder.ts';
import type { DecoderCounters } from './read-back.ts';

/** Decodes in-memory frames (each with its own timestamp and link type) through one decoder. */
export async function decodeFrames(
  frames: Iterable<{ data: Uint8Array; ts: number; linkType: number }>,
): Promise<{ records: DecodedRecord[]; counters: DecoderCounters }> {
  const decoder = await createDecoder();
  const records: DecodedRecord[] = [];
  const drain = () => { for (const r of decoder.decodeBatch()) records.push(r); };
  for (const f of frames) {
    if (!decoder.push(f.data, f.ts, f.linkType)) {
      drain();
      decoder.push(f.data, f.ts, f.linkType);
    }
  }
  drain();
  return { records, counters: decoder.counters };
}
