import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createBackoff, sleep } from './retry.ts';

test('doubles from the first delay to the cap; reset starts over', () => {
  const b = createBackoff({ initialMs: 500, maxMs: 3000 });
  assert.equal([b.next(), b.next(), b.next(), b.next(), b.next()], [500, 1000, 2000, 3000, 3000]);
  assert.is(b.peek(), 3000);
  b.reset();
  assert.is(b.next(), 500);
});

test('jitter stays within ±fraction of the base delay', () => {
  assert.is(createBackoff({ initialMs: 1000, maxMs: 1000, jitter: 0.2, random: () => 0 }).next(), 800);
  assert.is(createBackoff({ initialMs: 1000, maxMs: 1000, jitter: 0.2, random: () => 0.5 }).next(), 1000);
  const hi = createBackoff({ initialMs: 1000, maxMs: 1000, jitter: 0.2, random: () => 0.999 }).next();
  assert.ok(hi < 1200 && hi > 1199, String(hi));
});

test('bad settings are refused', () => {
  assert.throws(() => createBackoff({ initialMs: 0, maxMs: 10 }), /initialMs/);
  assert.throws(() => createBackoff({ initialMs: 10, maxMs: 5 }), /initialMs/);
  assert.throws(() => createBackoff({ initialMs: 1, maxMs: 5, jitter: 1 }), /jitter/);
});

test('sleep ends early on abort', async () => {
  const ac = new AbortController();
  const t0 = Date.now();
  setTimeout(() => ac.abort(), 10);
  await sleep(10_000, ac.signal);
  assert.ok(Date.now() - t0 < 5000);
  await sleep(10_000, AbortSignal.abort());
});

test.run();
