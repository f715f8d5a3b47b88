// Adding elements to Cytoscape over several frames: a search that unfolds a namespace draws the match and its
// neighbours first (map-view.ts), then the rest of the namespace a chunk at a time, one chunk in the task after each
// drawn frame, so that no frame waits on Cytoscape's styling, bounds and labels for the whole namespace at once.
// Whatever changes the map next finishes what is pending first (`finish`): the end state is always the one adding
// everything at once gives, in the same order.

import type cytoscape from 'cytoscape';
import { inBatch } from './in-batch.ts';

/** Elements per chunk: the ~180 new elements of a namespace of 50 workloads in two frames after the first. Each chunk
 *  costs a frame of the whole map and works out again the lines of earlier chunks' nodes that its lines touch (and
 *  the namespace's own lines, as its box grows): at 1,000 workloads (bench:web, two interleaved runs) chunks of 40 took
 *  161 and 261 ms of page CPU to the complete namespace, chunks of 100 172 and 154 ms (web README). */
export const CHUNK_ELEMENTS = 100;

export interface ChunkedAdd {
  /** Queues `defs` (after whatever is queued), to be added `size` at a time after the frames to come. */
  queue(defs: cytoscape.ElementDefinition[]): void;
  /** Adds everything still queued now. */
  finish(): void;
  /** Elements still queued. */
  pending(): number;
  /** Resolves once nothing is queued (at once if nothing is). */
  done(): Promise<void>;
}

/** `size`: elements per chunk (read on each chunk); `afterChunk`: runs after each chunk is added. */
export function createChunkedAdd(cy: cytoscape.Core, size: () => number, afterChunk: () => void = () => {}): ChunkedAdd {
  let queued: cytoscape.ElementDefinition[] = [];
  let frame: number | undefined;
  let task: ReturnType<typeof setTimeout> | undefined;
  const waiters: Array<() => void> = [];

  const add = (defs: cytoscape.ElementDefinition[]) => { if (defs.length) { inBatch(cy, () => cy.add(defs)); afterChunk(); } };
  const settle = () => { if (queued.length === 0) for (const w of waiters.splice(0)) w(); };
  const cancel = () => {
    if (frame !== undefined) cancelAnimationFrame(frame);
    clearTimeout(task);
    frame = task = undefined;
  };
  /** The next chunk goes in the task after the next frame is drawn (a rAF callback runs before it is). */
  const schedule = () => {
    if (frame !== undefined || task !== undefined || queued.length === 0) return;
    frame = requestAnimationFrame(() => { frame = undefined; task = setTimeout(step, 0); });
  };
  /** A chunk Cytoscape throws on is dropped and the error goes up (to the page's error handler), but the queue goes
   *  on: the rest is still added and whoever waits on `done` is still told. */
  function step(): void {
    task = undefined;
    try { add(queued.splice(0, Math.max(1, size()))); } finally { settle(); schedule(); }
  }

  return {
    queue(defs) { queued.push(...defs); schedule(); },
    finish() {
      cancel();
      const rest = queued;
      queued = [];
      try { add(rest); } finally { settle(); }
    },
    pending: () => queued.length,
    done: () => new Promise<void>((resolve) => { waiters.push(resolve); settle(); }),
  };
}
