// Progress of a long replay on a terminal (frames, records, bytes, elapsed), redrawn in place at most
// a few times a second, so a 1 GB capture never looks stuck. Only used when stderr is a TTY.

import type { CaptureProgress } from '../../../../parser-wasm/src/index.ts';

const REDRAW_MS = 200;

export interface Progress {
  update(capture: string, p: CaptureProgress): void;
  done(): void;
}

export function createProgress(write: (s: string) => void, now: () => number = Date.now): Progress {
  const start = now();
  const perCapture = new Map<string, CaptureProgress>();
  let lastDraw = 0;
  let drawn = false;

  function line(): string {
    let frames = 0, records = 0, read = 0, total = 0;
    for (const p of perCapture.values()) { frames += p.frames; records += p.records; read += p.bytesRead; total += p.bytesTotal; }
    const mb = (n: number): string => (n / 1e6).toFixed(1);
    const pct = total > 0 ? ` (${Math.floor((100 * read) / total)}%)` : '';
    return `replay: ${frames} frames, ${records} records, ${mb(read)}/${mb(total)} MB${pct}, ${((now() - start) / 1000).toFixed(1)} s`;
  }

  return {
    update(capture, p) {
      perCapture.set(capture, p);
      const t = now();
      if (t - lastDraw < REDRAW_MS) return;
      lastDraw = t;
      drawn = true;
      write(`\r\x1b[K${line()}`);
    },
    done() {
      if (perCapture.size === 0) return;
      write(`${drawn ? '\r\x1b[K' : ''}${line()}\n`);
      perCapture.clear();
    },
  };
}
