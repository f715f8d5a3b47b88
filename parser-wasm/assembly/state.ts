// Memory regions (reserved once by setup) and the output cursors shared by every layer.
import {
  CTR_REASON_BASE, CTR_SLOTS, REC_SIZE, ANS_SIZE, CTR_NON_FRAME_SKIPS,
} from './layout';

export let inputBase: usize = 0;
export let inputCap: u32 = 0;
export let recBase: usize = 0;
export let recCap: u32 = 0;
export let ansBase: usize = 0;
export let ansCap: u32 = 0;
export let nameBase: usize = 0;
export let nameCap: u32 = 0;
export let ctrBase: usize = 0;

/** Records, answers and name bytes written since the last reset. */
export let recCount: u32 = 0;
export let ansCount: u32 = 0;
export let nameUsed: u32 = 0;

/** Skip units counted while decoding the current frame. */
export let frameSkips: u32 = 0;
/** Records emitted while decoding the current frame. */
export let frameRecords: u32 = 0;

export function reserve(input: u32, records: u32, answers: u32, names: u32): void {
  inputCap = input;
  recCap = records;
  ansCap = answers;
  nameCap = names;
  inputBase = heap.alloc(<usize>input);
  recBase = heap.alloc(<usize>records * <usize>REC_SIZE);
  ansBase = heap.alloc(<usize>answers * <usize>ANS_SIZE);
  nameBase = heap.alloc(<usize>names);
  ctrBase = heap.alloc(<usize>CTR_SLOTS * 8);
  memory.fill(ctrBase, 0, <usize>CTR_SLOTS * 8);
}

export function resetOutput(): void {
  recCount = 0;
  ansCount = 0;
  nameUsed = 0;
}

export function bump(slot: i32, by: u64 = 1): void {
  const p = ctrBase + (<usize>slot << 3);
  store<u64>(p, load<u64>(p) + by);
}

/** Counts one skipped unit (a frame, or one DNS message inside a segment) under `reason`. */
export function skip(reason: i32): void {
  bump(CTR_REASON_BASE + reason);
  frameSkips++;
}

/** Counts a skip that is not a frame at all (a bad capture-file record). */
export function skipNonFrame(reason: i32): void {
  bump(CTR_REASON_BASE + reason);
  bump(CTR_NON_FRAME_SKIPS);
}

export function beginFrame(): void {
  frameSkips = 0;
  frameRecords = 0;
}

export function noteRecord(): void {
  frameRecords++;
}

/**
 * True when the output areas can take the worst case of one more frame of `len` bytes:
 * every DNS message is at least 14 bytes (length prefix + header), every answer at least
 * 11 bytes, and every name written at most 255 bytes (RFC 1035 §2.3.4).
 */
export function outputFits(len: u32): bool {
  const l = min<u32>(len, 65600);
  const maxRecords = l / 14 + 1;
  const maxAnswers = l / 11 + 1;
  const maxNames = (maxRecords + maxAnswers * 2) * 255;
  return recCount + maxRecords <= recCap && ansCount + maxAnswers <= ansCap && nameUsed + maxNames <= nameCap;
}

export function setRecCount(n: u32): void { recCount = n; }
export function setAnsCount(n: u32): void { ansCount = n; }
export function setNameUsed(n: u32): void { nameUsed = n; }
