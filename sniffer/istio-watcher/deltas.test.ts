import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createDeltaTracker } from './deltas.ts';
import type { RequestSeries } from './requests.ts';

const s = (key: string, value: number): RequestSeries => ({
  key, srcWorkload: key, srcNamespace: 'ns', dstWorkload: 'server', dstNamespace: 'ns', method: 'GET', path: `/${key}`, value,
});
const moved = (o: { moved: RequestSeries[] }) => Object.fromEntries(o.moved.map((x) => [x.key, x.value]));
const START = 1_000_000;
const OLD_POD = { uid: 'old', createdAt: START - 60_000, proxyRestarts: 0 };

test('an old pod on first sight is a baseline: nothing reported; then only increases', () => {
  const t = createDeltaTracker({ startedAt: START });
  const first = t.observe(OLD_POD, [s('a', 5), s('b', 1)]);
  assert.is(first.firstSight, 'baseline');
  assert.equal(moved(first), {});
  assert.equal(moved(t.observe(OLD_POD, [s('a', 7), s('b', 1)])), { a: 2 });
  assert.equal(moved(t.observe(OLD_POD, [s('a', 7), s('b', 1), s('c', 3)])), { c: 3 }, 'a new series in a known pod is new');
});

test('reportHistory: first sight reports everything the counters hold', () => {
  const t = createDeltaTracker({ startedAt: START, reportHistory: true });
  const first = t.observe(OLD_POD, [s('a', 5), s('b', 0)]);
  assert.is(first.firstSight, 'from-zero');
  assert.equal(moved(first), { a: 5 });
});

test('a pod created after the watcher started counts from zero on first sight', () => {
  const t = createDeltaTracker({ startedAt: START });
  const r = t.observe({ uid: 'new', createdAt: START + 1 }, [s('a', 4)]);
  assert.is(r.firstSight, 'from-zero');
  assert.equal(moved(r), { a: 4 });
});

test('a counter going down is a reset: its value is new (counted)', () => {
  const t = createDeltaTracker({ startedAt: START });
  t.observe(OLD_POD, [s('a', 5), s('b', 2)]);
  const r = t.observe(OLD_POD, [s('a', 1), s('b', 2)]);
  assert.equal(moved(r), { a: 1 });
  assert.is(r.resets, 1);
  assert.is(r.restarted, false);
});

test('a proxy restart (restartCount) makes every series new, even one back at its old value', () => {
  const t = createDeltaTracker({ startedAt: START });
  t.observe(OLD_POD, [s('a', 5), s('b', 2)]);
  const r = t.observe({ ...OLD_POD, proxyRestarts: 1 }, [s('a', 5), s('b', 2)]);
  assert.is(r.restarted, true);
  assert.equal(moved(r), { a: 5, b: 2 });
  assert.equal(moved(t.observe({ ...OLD_POD, proxyRestarts: 1 }, [s('a', 6), s('b', 2)])), { a: 1 });
});

test('a proxy restart seen through envoy_server_uptime going down', () => {
  const t = createDeltaTracker({ startedAt: START });
  t.observe({ uid: 'p', createdAt: 0 }, [s('a', 5)], 1000);
  const r = t.observe({ uid: 'p', createdAt: 0 }, [s('a', 5)], 12);
  assert.is(r.restarted, true);
  assert.equal(moved(r), { a: 5 });
});

test('a new pod uid replacing an old one is a new pod, and retain() forgets the gone one', () => {
  const t = createDeltaTracker({ startedAt: START });
  t.observe(OLD_POD, [s('a', 100)]);
  assert.equal(moved(t.observe({ uid: 'replacement', createdAt: START + 5000 }, [s('a', 3)])), { a: 3 });
  assert.is(t.retain(new Set(['replacement'])), 1);
  assert.is(t.pods, 1);
  // Seen again after being forgotten: a baseline again (it is old), not history.
  assert.equal(moved(t.observe(OLD_POD, [s('a', 150)])), {});
});

test('duplicate lines of one series are summed, not double-reported', () => {
  const t = createDeltaTracker({ startedAt: START });
  const r = t.observe({ uid: 'n', createdAt: START + 1 }, [s('a', 2), s('a', 3)]);
  assert.equal(r.moved.map((x) => [x.key, x.value]), [['a', 5]]);
});

test('maxPods bounds the state; the least recently scraped pod goes first', () => {
  const t = createDeltaTracker({ startedAt: START, maxPods: 2 });
  for (const uid of ['p1', 'p2', 'p3']) t.observe({ uid, createdAt: 0 }, [s('a', 1)]);
  assert.is(t.pods, 2);
  // p1 was forgotten: seen again it is a baseline, so its counter is not reported.
  assert.equal(moved(t.observe({ uid: 'p1', createdAt: 0 }, [s('a', 9)])), {});
});

test.run();
