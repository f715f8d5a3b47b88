// Streams a JSON snapshot (`kubectl get … -A -o json`) without parsing it whole: a byte-level scanner
// (string, escape and depth aware; no recursion, so no stack limit) cuts the top-level List's `items`
// array — or a top-level JSON array — into elements, and hands each element's bytes on as it passes.
// Everything else (apiVersion, kind, metadata: the "envelope") is kept and returned at the end, with
// the streamed array left empty. Memory: one read chunk plus the element being cut. Node-only (fs).

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

/**
 * Calls `onElement(bytes, index)` for every element of the `items` array of the top-level object (or of
 * the top-level array), in order; `bytes` is valid only during the call. Rejects with JsonStreamError
 * on a structural problem; an element that is merely not valid JSON is the caller's to judge.
 * @example await streamJsonElements('cluster.json', (b, i) => { const o = JSON.parse(b.toString('utf8')); ... })
 */
export async function streamJsonElements(path: string, onElement: (bytes: Buffer, index: number) => void, chunkBytes = READ_CHUNK): Promise<JsonStreamResult> {
  const fh = await open(path, 'r');
  try {
    let win = Buffer.alloc(0);
    let base = 0;            // file offset of win[0]
    let pos = 0;             // next byte to look at, in win
    let eof = false;
    const envelope: Buffer[] = [];
    let envFrom = 0;         // file offset from which envelope bytes are still to be copied (-1: inside the streamed array)
    let depth = 0;
    let top: 0 | 0x7b | 0x5b = 0;
    let topDone = false;     // the top-level value closed
    let arrDepth = -1;       // depth of the streamed array's elements
    let streamedDone = false;
    let elemStart = -1;      // file offset where the current element starts
    let index = 0;
    let key: string | undefined;        // the key whose value is being read, at depth 1
    let lastString: string | undefined; // the last short string closed at depth 1 (a key if ':' follows)

    const more = async (): Promise<boolean> => {
      if (eof) return false;
      // Keep what is still needed: the element being cut, and from `pos` on.
      let keep = pos;
      if (elemStart >= 0) keep = Math.min(keep, elemStart - base);
      if (envFrom >= 0 && envFrom - base < keep) { envelope.push(Buffer.from(win.subarray(envFrom - base, keep))); envFrom = base + keep; }
      const chunk = Buffer.allocUnsafe(chunkBytes);
      const { bytesRead } = await fh.read(chunk, 0, chunkBytes, null);
      if (bytesRead === 0) { eof = true; return false; }
      win = keep >= win.length ? chunk.subarray(0, bytesRead) : Buffer.concat([win.subarray(keep), chunk.subarray(0, bytesRead)]);
      base += keep;
      pos -= keep;
      return true;
    };
    const emit = (endAbs: number) => {
      onElement(win.subarray(elemStart - base, endAbs - base), index++);
      elemStart = -1;
    };
    const where = () => (arrDepth >= 0 ? ` (inside element ${index})` : '');

    for (;;) {
      if (pos >= win.length) { if (!(await more())) break; continue; }
      const b = win[pos]!;
      if (WS[b]) { pos++; continue; }
      if (topDone) throw new JsonStreamError(`more than one top-level value (at byte ${base + pos})`);
      if (depth === arrDepth && elemStart < 0 && b !== 0x5d && b !== 0x2c) elemStart = base + pos;
      if (b === 0x22) {   // a string: jump to its closing quote (one not escaped by an odd run of backslashes)
        let q = pos + 1;
        for (;;) {
          q = win.indexOf(0x22, q);
          if (q < 0) break;
          let k = q - 1, n = 0;
          while (win[k] === 0x5c) { n++; k--; }
          if ((n & 1) === 0) break;
          q++;
        }
        if (q < 0) {   // the string goes on in the next chunk: read more, then look at it again from its start
          if (!(await more())) throw new JsonStreamError(`the file ends inside a string${where()}`, arrDepth >= 0 ? index : undefined);
          continue;
        }
        if (depth === 0) throw new JsonStreamError('a top-level string is not a Kubernetes object');
        lastString = depth === 1 && q - pos <= 32 ? win.toString('latin1', pos + 1, q) : undefined;
        pos = q + 1;
        continue;
      }
      switch (b) {
        case 0x7b: case 0x5b:   // { [
          if (depth === 0) {
            top = b;
            if (b === 0x5b) { arrDepth = 1; envelope.push(Buffer.from('[')); envFrom = -1; }
          } else if (b === 0x5b && depth === 1 && top === 0x7b && key === 'items' && !streamedDone && arrDepth < 0) {
            envelope.push(Buffer.from(win.subarray(envFrom - base, pos + 1)));
            envFrom = -1;
            arrDepth = 2;
          }
          depth++;
          break;
        case 0x7d: case 0x5d:   // } ]
          if (depth === 0) throw new JsonStreamError(`unbalanced ${String.fromCharCode(b)} at byte ${base + pos}`);
          if (b === 0x5d && depth === arrDepth) {   // the streamed array ends
            if (elemStart >= 0) emit(base + pos);
            else if (index > 0) throw new JsonStreamError(`a trailing comma after element ${index - 1}`, index - 1);
            arrDepth = -1;
            streamedDone = true;
            envFrom = base + pos;
          }
          depth--;
          if (depth === 0) topDone = true;
          if (depth === 1) key = undefined;
          break;
        case 0x2c:   // ,
          if (depth === arrDepth) {
            if (elemStart < 0) throw new JsonStreamError(`an empty element at ${index}`, index);
            emit(base + pos);
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
    if (depth !== 0 || !topDone) throw new JsonStreamError(`the file ends inside ${arrDepth >= 0 ? `element ${index}` : 'the top-level value'}`, arrDepth >= 0 ? index : undefined);
    if (envFrom >= 0 && envFrom - base < win.length) envelope.push(Buffer.from(win.subarray(envFrom - base)));
    return { top: top === 0x5b ? '[' : '{', envelope: Buffer.concat(envelope), streamed: streamedDone || top === 0x5b, elements: index };
  } finally {
    await fh.close();
  }
}
