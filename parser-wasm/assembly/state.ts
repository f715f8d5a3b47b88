// Memory regions (reserved once by setup), the output cursors shared by every layer, and the
// per-frame tallies that are committed to the counters only when a frame is finished.
import {
  CTR_REASON_BASE, CTR_SLOTS, REC_SIZE, ANS_SIZE, CTR_DNS, CTR_SYN, CTR_SYNACK, KIND_DNS, KIND_SYN, CTR_NON_FRAME_SKIPS,
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

/** A call returns (output full) once this many records are written: keeps batches of JS objects small. */
export let recordsPerCall: u32 = 0xffffffff;
export function setRecordsPerCall(n: u32): void { recordsPerCall = n; }

/** Set when an output area ran out in the middle of a frame; the frame is then rolled back. */
export let overflow = false;

// Per-frame tallies: where the frame's output started, what it produced and skipped.
let frameRecStart: u32 = 0;
let frameAnsStart: u32 = 0;
let frameNameStart: u32 = 0;
export let frameSkips: u32 = 0;
export let frameRecords: u32 = 0;
let frameKinds = new StaticArray<u32>(4);
/** Skips of the current frame per reason, committed with the frame or forgotten on rollback (never
 *  counted early: a frame rolled back and decoded again must not count its skips twice). */
const REASONS: i32 = 256;
const pendingByReason = new StaticArray<u32>(REASONS);
const touchedReasons = new StaticArray<u8>(REASONS);
let touched: i32 = 0;

function clearPending(): void {
  for (let i = 0; i < touched; i++) unchecked(pendingByReason[<i32>unchecked(touchedReasons[i])] = 0);
  touched = 0;
}

/** Bytes past the name area that a name's last 8-byte word may write (dns.ts readName). */
const NAME_SLACK: usize = 16;

export function reserve(input: u32, records: u32, answers: u32, names: u32): void {
  inputCap = input;
  recCap = records;
  ansCap = answers;
  nameCap = names;
  inputBase = heap.alloc(<usize>input);
  recBase = heap.alloc(<usize>records * <usize>REC_SIZE);
  ansBase = heap.alloc(<usize>answers * <usize>ANS_SIZE);
  nameBase = heap.alloc(<usize>names + NAME_SLACK);
  ctrBase = heap.alloc(<usize>CTR_SLOTS * 8);
  memory.fill(ctrBase, 0, <usize>CTR_SLOTS * 8);
}

export function resetOutput(): void {
  recCount = 0;
  ansCount = 0;
  nameUsed = 0;
  overflow = false;
}

export function bump(slot: i32, by: u64 = 1): void {
  const p = ctrBase + (<usize>slot << 3);
  store<u64>(p, load<u64>(p) + by);
}

/** Counts one skipped unit (a frame, or one DNS message inside a segment) under `reason`. */
export function skip(reason: i32): void {
  const r = reason & (REASONS - 1);
  const n = unchecked(pendingByReason[r]);
  if (n == 0) { unchecked(touchedReasons[touched] = <u8>r); touched++; }
  unchecked(pendingByReason[r] = n + 1);
  frameSkips++;
}

/** Counts a skip that is not a frame at all (a bad capture-file record). */
export function skipNonFrame(reason: i32): void {
  bump(CTR_REASON_BASE + reason);
  bump(CTR_NON_FRAME_SKIPS);
}

export function beginFrame(): void {
  frameRecStart = recCount;
  frameAnsStart = ansCount;
  frameNameStart = nameUsed;
  frameSkips = 0;
  frameRecords = 0;
  unchecked(frameKinds[1] = 0);
  unchecked(frameKinds[2] = 0);
  unchecked(frameKinds[3] = 0);
  clearPending();
}

/** True when this frame's output began at the start of the areas (it alone did not fit). */
export function frameStartedEmpty(): bool {
  return frameRecStart == 0 && frameAnsStart == 0 && frameNameStart == 0;
}

/** Forgets everything the current frame wrote, so that it can be decoded again later. */
export function rollbackFrame(): void {
  recCount = frameRecStart;
  ansCount = frameAnsStart;
  nameUsed = frameNameStart;
  overflow = false;
  frameSkips = 0;
  frameRecords = 0;
  // The kinds too: otherwise commitFrame would count records that were never output.
  unchecked(frameKinds[1] = 0);
  unchecked(frameKinds[2] = 0);
  unchecked(frameKinds[3] = 0);
  clearPending();
}

/** Adds the frame's record kinds and skip reasons to the counters. */
export function commitFrame(): void {
  bump(CTR_DNS, <u64>unchecked(frameKinds[1]));
  bump(CTR_SYN, <u64>unchecked(frameKinds[2]));
  bump(CTR_SYNACK, <u64>unchecked(frameKinds[3]));
  for (let i = 0; i < touched; i++) {
    const r = <i32>unchecked(touchedReasons[i]);
    bump(CTR_REASON_BASE + r, <u64>unchecked(pendingByReason[r]));
  }
  clearPending();
}

/** Reserves the next record slot; 0 (and the overflow flag) when the record area is full. */
export function claimRecord(kind: i32): usize {
  if (recCount >= recCap) {
    overflow = true;
    return 0;
  }
  const r = recBase + <usize>recCount * <usize>REC_SIZE;
  recCount++;
  frameRecords++;
  const k = kind == KIND_DNS ? 1 : kind == KIND_SYN ? 2 : 3;
  unchecked(frameKinds[k] = unchecked(frameKinds[k]) + 1);
  return r;
}

/** True when one more name (at most 255 bytes) fits in the name area at `used`; else flags overflow. */
export function nameFits(used: u32): bool {
  if (used + 256 > nameCap) {
    overflow = true;
    return false;
  }
  return true;
}

/** True when answer slot `index` exists; else flags overflow. */
export function answerFits(index: u32): bool {
  if (index >= ansCap) {
    overflow = true;
    return false;
  }
  return true;
}

export function setAnsCount(n: u32): void { ansCount = n; }
export function setNameUsed(n: u32): void { nameUsed = n; }
