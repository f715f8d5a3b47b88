import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type cytoscape from 'cytoscape';
import { createChunkedAdd } from './chunked-add.ts';

/** A Cytoscape stand-in that records what is added and throws on the ids in `bad`. */
function fakeCy(bad: Set<string>) {
  const added: string[] = [];
  const state = { batching: 0 };
  const cy = {
    // Cytoscape's own batch(): no `finally`, as in cytoscape 3.x.
    batch(f: () => void) { state.batching++; f(); state.batching--; },
    startBatch() { state.batching++; },
    endBatch() { state.batching--; },
    add(defs: cytoscape.ElementDefinition[]) {
      for (const d of defs) if (bad.has(d.data.id!)) throw new Error(`bad element ${d.data.id}`);
      added.push(...defs.map((d) => d.data.id!));
    },
  };
  return { cy: cy as unknown as cytoscape.Core, added, state };
}
const defs = (...ids: string[]): cytoscape.ElementDefinition[] => ids.map((id) => ({ group: 'nodes', data: { id } }));

/** Node has no frames: requestAnimationFrame runs its callback in the next task. */
function withFrames(): () => void {
  const g = globalThis as unknown as Record<string, unknown>;
  const had = { raf: g.requestAnimationFrame, caf: g.cancelAnimationFrame };
  g.requestAnimationFrame = (f: () => void) => setTimeout(f, 0);
  g.cancelAnimationFrame = (t: ReturnType<typeof setTimeout>) => clearTimeout(t);
  return () => { g.requestAnimationFrame = had.raf; g.cancelAnimationFrame = had.caf; };
}

test('a chunk Cytoscape throws on still lets the rest be added and done() resolve, and its error goes up', async () => {
  const restore = withFrames();
  const errors: unknown[] = [];
  const onError = (e: unknown) => { errors.push(e); };
  process.on('uncaughtException', onError);
  try {
    const { cy, added, state } = fakeCy(new Set(['b']));
    const later = createChunkedAdd(cy, () => 1);
    later.queue(defs('a', 'b', 'c'));
    await later.done();
    assert.equal(added, ['a', 'c']);
    assert.is(state.batching, 0, 'the throwing chunk ended its batch');
    assert.is(later.pending(), 0);
    assert.is(errors.length, 1);
    assert.match(String(errors[0]), /bad element b/);
  } finally {
    process.off('uncaughtException', onError);
    restore();
  }
});

test('finish() that throws still empties the queue and resolves done(), and throws', async () => {
  const restore = withFrames();
  try {
    const { cy, added, state } = fakeCy(new Set(['b']));
    const later = createChunkedAdd(cy, () => 1);
    later.queue(defs('a', 'b', 'c'));
    const done = later.done();
    assert.throws(() => later.finish(), /bad element b/);
    assert.is(state.batching, 0, 'the throwing finish() ended its batch');
    await done;
    assert.is(later.pending(), 0);
    assert.equal(added, []);
  } finally {
    restore();
  }
});

test.run();
