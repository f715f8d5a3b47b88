// Large text answers as a pulled stream: the text is produced piece by piece (a generator) and encoded
// in chunks of about STREAM_CHUNK_CHARS only when the reader asks for the next one, so the whole answer
// never exists as one string, the first bytes go out before the last are made, and a slow reader holds
// the producer (backpressure). A producer that throws errors the stream: the HTTP server then aborts
// the connection, and the client sees a broken answer, never a short one that looks complete.

/** Chunks in flight from the export worker to the pool's reader (export-worker.ts, export-pool.ts). */
export const STREAM_WINDOW = 4;

/** Characters per chunk (UTF-16 units; a chunk may exceed it by one piece). */
export const STREAM_CHUNK_CHARS = 64 * 1024;

export function textStream(pieces: Iterable<string>, chunkChars = STREAM_CHUNK_CHARS): ReadableStream<Uint8Array> {
  const it = pieces[Symbol.iterator]();
  const enc = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    pull(ctrl) {
      let buf = '';
      while (buf.length < chunkChars) {
        const r = it.next();
        if (r.done) {
          if (buf) ctrl.enqueue(enc.encode(buf));
          ctrl.close();
          return;
        }
        buf += r.value;
      }
      ctrl.enqueue(enc.encode(buf));
    },
    cancel() { it.return?.(undefined); },
  }, { highWaterMark: 0 });
}

/** A 200 whose body is `pieces`, streamed. */
export function textResponse(pieces: Iterable<string>, headers: Record<string, string>): Response {
  return new Response(textStream(pieces), { status: 200, headers });
}
