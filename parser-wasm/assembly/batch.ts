// Live frames: a batch of [caplen u32][linkType u32][ts f64][frame] entries, decoded in one call.
import { BATCH_HDR_SIZE, BATCH_HDR_CAPLEN, BATCH_HDR_LINKTYPE, BATCH_HDR_TS, E_BAD_LENGTH, E_BAD_BATCH, E_NOT_SET_UP } from './layout';
import { inputBase, inputCap, resetOutput, recCount, recordsPerCall } from './state';
import { decodeFrame } from './frame';

/**
 * Decodes the frames in input[start, len). Returns the offset reached: `len` when done, less
 * when the output areas filled up (read the records back, then call again from there), or a
 * negative E_* code for a broken batch.
 */
export function decodeBatch(start: u32, len: u32): i32 {
  if (inputBase == 0) return E_NOT_SET_UP;
  if (len > inputCap || start > len) return E_BAD_LENGTH;
  resetOutput();
  const base = inputBase;
  const end = base + <usize>len;
  let p = base + <usize>start;
  let index: u32 = 0;
  while (p < end) {
    if (p + <usize>BATCH_HDR_SIZE > end) return E_BAD_BATCH;
    const caplen = load<u32>(p, BATCH_HDR_CAPLEN);
    const data = p + <usize>BATCH_HDR_SIZE;
    if (<u64>caplen > <u64>(end - data)) return E_BAD_BATCH;
    if (!decodeFrame(data, caplen, load<u32>(p, BATCH_HDR_LINKTYPE), load<f64>(p, BATCH_HDR_TS), index)) break;
    index++;
    p = data + <usize>caplen;
    if (recCount >= recordsPerCall) break;
  }
  return <i32>(p - base);
}
