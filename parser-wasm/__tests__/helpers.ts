// Spec helpers: hand-written hex bytes into the input region, and readers for what the layers wrote.
import { reserve, inputBase, resetOutput, recBase, ansBase, nameBase, ctrBase } from '../assembly/state';
import {
  CTR_SLOTS, CTR_REASON_BASE, REC_SIZE, REC_KIND, REC_NAME_OFF, REC_NAME_LEN, REC_ANSWER_COUNT,
  REC_ANSWER_START, ANS_SIZE, ANS_TYPE, ANS_NAME_OFF, ANS_NAME_LEN, ANS_TTL, ANS_VALUE, ANS_VALUE_LEN,
} from '../assembly/layout';

let ready = false;
let written: i32 = 0;

/** Reserves the regions once; clears output and counters. */
export function fresh(): void {
  if (!ready) {
    reserve(2 << 20, 8192, 8192, 9 << 20);
    ready = true;
  }
  resetOutput();
  memory.fill(ctrBase, 0, <usize>CTR_SLOTS * 8);
}

function nibble(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** Writes hex bytes (spaces ignored) at the start of the input region; returns the pointer. */
export function hex(s: string): usize {
  let n = 0;
  let hi = -1;
  for (let i = 0; i < s.length; i++) {
    const v = nibble(s.charCodeAt(i));
    if (v < 0) continue;
    if (hi < 0) hi = v;
    else {
      store<u8>(inputBase + <usize>n, <u8>((hi << 4) | v));
      n++;
      hi = -1;
    }
  }
  written = n;
  return inputBase;
}

/** Bytes written by the last hex(). */
export function len(): i32 {
  return written;
}

export function end(): usize {
  return inputBase + <usize>written;
}

export function skips(reason: i32): u64 {
  return load<u64>(ctrBase + (<usize>(CTR_REASON_BASE + reason) << 3));
}

export function slot(i: i32): u64 {
  return load<u64>(ctrBase + (<usize>i << 3));
}

function rec(i: i32): usize {
  return recBase + <usize>i * <usize>REC_SIZE;
}

export function recKind(i: i32): u8 {
  return load<u8>(rec(i), REC_KIND);
}

export function recName(i: i32): string {
  const r = rec(i);
  return String.UTF8.decodeUnsafe(nameBase + <usize>load<u32>(r, REC_NAME_OFF), <usize>load<u16>(r, REC_NAME_LEN));
}

export function recAnswers(i: i32): i32 {
  return <i32>load<u16>(rec(i), REC_ANSWER_COUNT);
}

function ans(i: i32, j: i32): usize {
  return ansBase + (<usize>load<u32>(rec(i), REC_ANSWER_START) + <usize>j) * <usize>ANS_SIZE;
}

export function ansType(i: i32, j: i32): u16 {
  return load<u16>(ans(i, j), ANS_TYPE);
}

export function ansName(i: i32, j: i32): string {
  const a = ans(i, j);
  return String.UTF8.decodeUnsafe(nameBase + <usize>load<u32>(a, ANS_NAME_OFF), <usize>load<u16>(a, ANS_NAME_LEN));
}

export function ansTtl(i: i32, j: i32): u32 {
  return load<u32>(ans(i, j), ANS_TTL);
}

/** A/AAAA value bytes as dotted decimal (A) or hex (AAAA); the target name for CNAME. */
export function ansValue(i: i32, j: i32): string {
  const a = ans(i, j);
  const t = load<u16>(a, ANS_TYPE);
  if (t == 5) return String.UTF8.decodeUnsafe(nameBase + <usize>load<u32>(a, ANS_VALUE), <usize>load<u16>(a, ANS_VALUE_LEN));
  let s = '';
  const n = <i32>load<u16>(a, ANS_VALUE_LEN);
  for (let k = 0; k < n; k++) {
    const b = load<u8>(a + <usize>ANS_VALUE + <usize>k);
    if (t == 1) s += (k > 0 ? '.' : '') + b.toString();
    else s += (b < 16 ? '0' : '') + b.toString(16);
  }
  return s;
}
