// The decoder's whole WASM ABI: set up the regions once, then decodeBatch / captureChunk.
import { E_NOT_SET_UP } from './layout';
import {
  reserve, setRecordsPerCall, inputBase, recBase, ansBase, nameBase, ctrBase, recCount, ansCount, nameUsed,
} from './state';
import { MAX_CAPLEN } from './capture';

export * from './layout';
export { decodeBatch } from './batch';
export { captureBegin, captureChunk, captureStatus, captureSkip } from './capture';
export { jsonReserve, jsonWrite, jsonBytes, jsonStatus } from './json';

/** Reserves the input, record, answer and name areas; call once. Returns 0 or a negative E_* code. */
export function setup(input: u32, records: u32, answers: u32, names: u32): i32 {
  if (inputBase != 0) return 0;
  // A capture record up to MAX_CAPLEN must fit the input area with its header.
  if (input < MAX_CAPLEN + 64 || records < 8192 || answers < 8192 || names < (8 << 20)) return E_NOT_SET_UP;
  reserve(input, records, answers, names);
  return 0;
}

/** Makes a call return (output full) once `n` records are written (default: when the areas fill). */
export function recordsPerCall(n: u32): void { setRecordsPerCall(max<u32>(n, 1)); }

export function inputPtr(): usize { return inputBase; }
export function recordsPtr(): usize { return recBase; }
export function answersPtr(): usize { return ansBase; }
export function namesPtr(): usize { return nameBase; }
export function countersPtr(): usize { return ctrBase; }
export function recordCount(): u32 { return recCount; }
export function answerCount(): u32 { return ansCount; }
export function nameBytes(): u32 { return nameUsed; }
