// Streams a JSON snapshot (`kubectl get … -A -o json`) without parsing it whole: a byte-level scanner
// (string, escape and depth aware; no recursion, so no stack limit) cuts the top-level List's `items`
// array — or a top-level JSON array — into elements, and hands each element's bytes on as it passes.
// Everything else (apiVersion, kind, metadata: the "envelope") is kept and returned at the end, with
// the streamed array left empty. Memory: one read chunk plus the element being cut. Node-only (fs).

import { isUtf8 } from 'node:buffer';
import { open } from 'node:fs/promises';

/** Bytes read per call (an element larger than this just grows the window). */
export const READ_CHUNK = 4 * 1024 * 1024;

export interface JsonStreamResult {
  /** '{': an object (a List when `streamed`); '[': a top-level array whose elements were streamed. */
  top: '{' | '[';
  /** The top-level value without the streamed array's elements (`"items":[]`, or `[]`). */
  envelope: Buffer;
  /** True when elements were cut out: the object's `items` array, or the top-level array. */
  streamed: boolean;
  elements: number;
}

/** The file's structure cannot be cut (it ends inside a value, holds more than one top-level value, ...). */
export class JsonStreamError extends Error {
  /** The element being cut when it happened, if any. */
  constructor(message: string, readonly element?: number) { super(message); }
}

const WS = new Uint8Array(256);
for (const c of [0x20, 0x0a, 0x0d, 0x09]) WS[c] = 1;

/** One element, parsed: its value, or why it could not be read. */
export type ParsedElement = { ok: true; value: unknown } | { ok: false; problem: string };

function parseElement(bytes: Buffer): ParsedElement {
  if (!isUtf8(bytes)) return { ok: false, problem: 'not valid UTF-8; kubectl writes UTF-8' };
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) };
  } catch (err) {
    return { ok: false, problem: `not valid JSON: ${(err as Error).message}` };
  }
}

/** An element's closing line is searched for within this many bytes before the byte scan takes over. */
const FAST_MAX = 64 * 1024 * 1024;

/** The column of `win[p]` when only spaces precede it on its line; -1 when unknown or not so. */
function indentAt(win: Buffer, p: number): number {
  let k = p - 1;
  while (k >= 0 && win[k] === 0x20) k--;
  return k >= 0 && win[k] === 0x0a ? p - k - 1 : -1;
}

const closers = new Map<number, Buffer>();
/** Where the pretty-printed value opened at `p` (column `indent`) may end: just past `\n<indent spaces><close>`; -1 if not in the window. */
function findClose(win: Buffer, p: number, indent: number, close: number): number {
  const key = indent * 256 + close;
  let needle = closers.get(key);
  if (!needle) { needle = Buffer.from(`\n${' '.repeat(indent)}${String.fromCharCode(close)}`, 'latin1'); closers.set(key, needle); }
  const i = win.indexOf(needle, p);
  return i < 0 ? -1 : i + needle.length;
}

/** The scanner's state between two windows of the file. */
interface ScanState {
  depth: number;
  top: number;             // 0, 0x7b or 0x5b
  topDone: boolean;        // the top-level value closed
  arrDepth: number;        // depth of the streamed array's elements (-1: not inside it)
  streamedDone: boolean;
  elemStart: number;       // file offset where the current element starts (-1: none)
  elemDone: boolean;       // an element was taken whole (fast path): a `,` or `]` comes next
  pendingIndent: number;   // the element at elemStart waits for its closing line (fast path), at this column
  noFastAt: number;        // the element at this offset is byte-scanned (its fast candidate did not parse)
  index: number;
  key: string | undefined;        // the key whose value is being read, at depth 1
  lastString: string | undefined; // the last short string closed at depth 1 (a key if ':' follows)
  envFrom: number;         // file offset from which envelope bytes are still to be copied (-1: inside the streamed array)
}

/**
 * Scans `win` (file offset `base`) from `pos`; returns where scanning must resume once more bytes are
 * there: `win.length`, or the start of a string or element that does not end inside the window.
 * Synchronous, with the state in locals, so the per-byte loop runs as fast as V8 makes it.
 *
 * Fast path: an element that opens a pretty-printed line (kubectl's `-o json`) most likely ends at the
 * next line holding only its closing bracket at the same column; that is found with indexOf and
 * confirmed by JSON.parse succeeding on exactly those bytes (a JSON value has one end, so a parse that
 * succeeds proves the cut). Otherwise, and for compact JSON, every byte is scanned.
 */
function scan(win: Buffer, base: number, pos: number, st: ScanState, eof: boolean, envelope: Buffer[], onElement: (el: ParsedElement, index: number) => void): number {
  // No closure may capture these (V8 would keep them in a context object, several times slower per byte).
  let depth = st.depth, arrDepth = st.arrDepth, elemStart = st.elemStart, elemDone = st.elemDone, index = st.index, key = st.key, lastString = st.lastString;
  const end = win.length;
  let resume = -1;
  while (pos < end) {
    const b = win[pos]!;
    if (WS[b] === 1) { pos++; continue; }
    if (st.topDone) throw new JsonStreamError(`more than one top-level value (at byte ${base + pos})`);
    if (depth === arrDepth && b !== 0x5d && b !== 0x2c && (elemStart < 0 || st.pendingIndent >= 0)) {
      if (elemDone) throw new JsonStreamError(`a missing comma after element ${index - 1}`, index);
      elemStart = base + pos;
      if ((b === 0x7b || b === 0x5b) && st.noFastAt !== elemStart) {
        const indent = st.pendingIndent >= 0 ? st.pendingIndent : indentAt(win, pos);
        st.pendingIndent = -1;
        if (indent >= 0) {
          const close = findClose(win, pos, indent, b + 2);   // { → }, [ → ]
          if (close < 0 && !eof && end - pos < FAST_MAX) { st.pendingIndent = indent; resume = pos; break; }
          if (close >= 0) {
            const el = parseElement(win.subarray(pos, close));
            if (el.ok) {
              onElement(el, index++);
              elemStart = -1;
              elemDone = true;
              pos = close;
              continue;
            }
          }
          st.noFastAt = elemStart;   // not this way: scan it byte by byte
        }
      }
    }
    if (b === 0x22) {   // a string: to its closing quote, a backslash taking the byte after it (strings are short: a JS loop beats indexOf's call)
      let q = pos + 1;
      while (q < end) {
        const c = win[q]!;
        if (c === 0x22) break;
        q += c === 0x5c ? 2 : 1;
      }
      if (q >= end) { resume = pos; break; }   // the string goes on in the next window: look at it again from its start
      if (depth === 0) throw new JsonStreamError('a top-level string is not a Kubernetes object');
      if (depth === 1) lastString = q - pos <= 32 ? win.toString('latin1', pos + 1, q) : undefined;
      pos = q + 1;
      continue;
    }
    switch (b) {
      case 0x7b: case 0x5b:   // { [
        if (depth === 0) {
          st.top = b;
          if (b === 0x5b) { arrDepth = 1; envelope.push(Buffer.from('[')); st.envFrom = -1; }
        } else if (b === 0x5b && depth === 1 && st.top === 0x7b && key === 'items' && !st.streamedDone && arrDepth < 0) {
          envelope.push(Buffer.from(win.subarray(st.envFrom - base, pos + 1)));
          st.envFrom = -1;
          arrDepth = 2;
        }
        depth++;
        break;
      case 0x7d: case 0x5d:   // } ]
        if (depth === 0) throw new JsonStreamError(`unbalanced ${String.fromCharCode(b)} at byte ${base + pos}`);
        if (b === 0x5d && depth === arrDepth) {   // the streamed array ends
          if (elemStart >= 0) { onElement(parseElement(win.subarray(elemStart - base, pos)), index++); elemStart = -1; }
          else if (!elemDone && index > 0) throw new JsonStreamError(`a trailing comma after element ${index - 1}`, index - 1);
          elemDone = false;
          arrDepth = -1;
          st.streamedDone = true;
          st.envFrom = base + pos;
        }
        depth--;
        if (depth === 0) st.topDone = true;
        if (depth === 1) key = undefined;
        break;
      case 0x2c:   // ,
        if (depth === arrDepth) {
          if (elemDone) elemDone = false;
          else if (elemStart < 0) throw new JsonStreamError(`an empty element at ${index}`, index);
          else { onElement(parseElement(win.subarray(elemStart - base, pos)), index++); elemStart = -1; }
        }
        if (depth === 1) key = undefined;
        break;
      case 0x3a:   // :
        if (depth === 1) key = lastString;
        break;
      default:
        if (depth === 0) throw new JsonStreamError(`not a JSON object or array (at byte ${base + pos})`);
    }
    pos++;
  }
  st.depth = depth; st.arrDepth = arrDepth; st.elemStart = elemStart; st.elemDone = elemDone; st.index = index; st.key = key; st.lastString = lastString;
  return resume >= 0 ? resume : pos;
}

/**
 * Calls `onElement(parsed, index)` for every element of the `items` array of the top-level object (or of
 * the top-level array), in order. Rejects with JsonStreamError on a structural problem; an element that
 * is merely not valid JSON or UTF-8 is handed on as such, for the caller to count.
 * @example await streamJsonElements('cluster.json', (el, i) => { if (el.ok) use(el.value); else skip(i, el.problem); })
 */
export async function streamJsonElements(path: string, onElement: (el: ParsedElement, index: number) => void, chunkBytes = READ_CHUNK): Promise<JsonStreamResult> {
  const fh = await open(path, 'r');
  try {
    const st: ScanState = { depth: 0, top: 0, topDone: false, arrDepth: -1, streamedDone: false, elemStart: -1, elemDone: false, pendingIndent: -1, noFastAt: -1, index: 0, key: undefined, lastString: undefined, envFrom: 0 };
    const envelope: Buffer[] = [];
    let win = Buffer.alloc(0);
    let base = 0;            // file offset of win[0]
    let pos = 0;             // where scanning resumes, in win
    let eof = false;
    while (!eof) {
      // Keep what is still needed: the element being cut, and from `pos` on; the envelope's bytes before that are copied out.
      let keep = pos;
      if (st.elemStart >= 0) keep = Math.min(keep, st.elemStart - base);
      if (st.envFrom >= 0 && st.envFrom - base < keep) { envelope.push(Buffer.from(win.subarray(st.envFrom - base, keep))); st.envFrom = base + keep; }
      const chunk = Buffer.allocUnsafe(chunkBytes);
      const { bytesRead } = await fh.read(chunk, 0, chunkBytes, null);
      eof = bytesRead === 0;
      if (!eof) {
        win = keep >= win.length ? chunk.subarray(0, bytesRead) : Buffer.concat([win.subarray(keep), chunk.subarray(0, bytesRead)]);
        base += keep;
        pos -= keep;
      }
      if (pos < win.length) pos = scan(win, base, pos, st, eof, envelope, onElement);
    }
    const inElement = st.arrDepth >= 0 ? st.index : undefined;
    if (pos < win.length) throw new JsonStreamError(`the file ends inside ${inElement !== undefined ? `element ${inElement}` : 'a string'}`, inElement);
    if (st.depth !== 0 || !st.topDone) throw new JsonStreamError(`the file ends inside ${inElement !== undefined ? `element ${inElement}` : 'the top-level value'}`, inElement);
    if (st.envFrom >= 0 && st.envFrom - base < win.length) envelope.push(Buffer.from(win.subarray(st.envFrom - base)));
    return { top: st.top === 0x5b ? '[' : '{', envelope: Buffer.concat(envelope), streamed: st.streamedDone || st.top === 0x5b, elements: st.index };
  } finally {
    await fh.close();
  }
}
