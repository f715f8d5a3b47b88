// A report's body as text, held to the body limit, read once. Hono's bodyLimit middleware reads a body
// without a content-length into a growing buffer and builds a second Request around it, which the route then
// reads again (measured: about a third of a report's cost outside ingest); and it touches `raw.body`, which
// makes @hono/node-server build a web stream instead of reading the socket directly. Here a declared length is
// judged from the header alone and the body read by the Request's `text()` (node-server's direct read); a body without one
// (chunked) is counted chunk by chunk, so an endless upload stops at the limit, and decoded once.

import type { HonoRequest } from 'hono';

/** The body limit of the report and GraphQL routes unless configured (`--body-limit`), in bytes. */
export const DEFAULT_BODY_LIMIT = 8 * 1024 * 1024;

/** The body was larger than the limit (by its content-length, or by the bytes that came). */
export const TOO_LARGE = Symbol('too-large');

/** UTF-8, a leading BOM dropped, bad bytes as U+FFFD: as `Request.text()` decodes (Fetch, "UTF-8 decode"). */
const utf8 = new TextDecoder();

/** The body's text, or TOO_LARGE past `maxSize` bytes (judged as Hono's bodyLimit judges it). */
export async function readBodyText(req: HonoRequest, maxSize: number): Promise<string | typeof TOO_LARGE> {
  const length = req.header('content-length');
  // A declared length is the framing the HTTP parser holds the sender to (RFC 9112 §6.2), unless a transfer coding overrides it (§6.3).
  if (length !== undefined && req.header('transfer-encoding') === undefined) {
    // The Request's own text() (node-server: the body read as one Buffer, decoded once), not HonoRequest's:
    // that one caches the text for the life of the request, so a report's text would stay alive while its
    // records are resolved, and be carried into the old generation by any scavenge meanwhile.
    return parseInt(length, 10) > maxSize ? TOO_LARGE : req.raw.text();
  }
  const body = req.raw.body;
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxSize) return TOO_LARGE;   // not cancelled: on Node that would cut the socket before the 413 is written
    chunks.push(value);
  }
  return utf8.decode(chunks.length === 1 ? chunks[0] : concat(chunks, size));
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.byteLength; }
  return out;
}
