// A Writable that cuts a byte stream into lines (LF, with an optional CR before it) and hands each to
// `onLine`. A line longer than `maxLine` is never held whole: its start is kept, the rest discarded up
// to the next newline, and it is handed over as too long (the parser refuses it and counts it).

import { StringDecoder } from 'node:string_decoder';
import { Writable } from 'node:stream';

export function createLineSplitter(onLine: (line: string, truncated: boolean) => void, maxLine: number): Writable & { flushPartial(): void } {
  const decoder = new StringDecoder('utf8');
  let partial = '';
  let overflow = false;
  function feed(text: string) {
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const piece = text.slice(start, nl);
      start = nl + 1;
      if (overflow) { const kept = partial; overflow = false; partial = ''; onLine(kept, true); continue; }
      let line = partial + piece;
      partial = '';
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (line.length > maxLine) onLine(line.slice(0, maxLine), true);
      else onLine(line, false);
    }
    if (overflow) return;
    partial += text.slice(start);
    if (partial.length > maxLine) { overflow = true; partial = partial.slice(0, maxLine); }
  }
  const w = new Writable({
    write(chunk: Buffer | string, _enc, cb) { feed(typeof chunk === 'string' ? chunk : decoder.write(chunk)); cb(); },
    final(cb) { feed(decoder.end()); cb(); },
  }) as Writable & { flushPartial(): void };
  /** A last line without a newline (a stream that ended mid-line) is handed over as it is. */
  w.flushPartial = () => {
    if (overflow) { const kept = partial; overflow = false; partial = ''; onLine(kept, true); return; }
    if (partial !== '') { const p = partial; partial = ''; onLine(p, false); }
  };
  return w;
}
