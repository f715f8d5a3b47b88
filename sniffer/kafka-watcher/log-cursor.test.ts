import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogCursor, splitStamp } from './log-cursor.ts';

test('log cursor: a reopened stream (second-rounded sinceTime) repeats nothing and skips nothing', () => {
  assert.equal(splitStamp('2026-11-27T15:30:01.1234Z hello world'), { stamp: '2026-11-27T15:30:01.123400000Z', ms: Date.parse('2026-11-27T15:30:01.123Z'), text: 'hello world' });
  assert.is(splitStamp('hello'), undefined);
  const c = createLogCursor('2026-11-27T15:30:01.500Z');
  const feed = (lines: [string, string][]) => lines.filter(([s, t]) => c.accept(splitStamp(`${s} ${t}`)!.stamp, t)).map(([, t]) => t);
  c.beginStream();
  assert.equal(feed([['2026-11-27T15:30:01.1Z', 'before start'], ['2026-11-27T15:30:01.6Z', 'a'], ['2026-11-27T15:30:02.0Z', 'b'], ['2026-11-27T15:30:02.0Z', 'b']]), ['a', 'b', 'b']);
  assert.is(c.sinceTime(), '2026-11-27T15:30:02.000000000Z');
  c.beginStream();   // the kubelet resends from 15:30:02 (whole second), incl. both 'b' lines, then new ones
  assert.equal(feed([['2026-11-27T15:30:01.6Z', 'a'], ['2026-11-27T15:30:02.0Z', 'b'], ['2026-11-27T15:30:02.0Z', 'b'], ['2026-11-27T15:30:02.0Z', 'c'], ['2026-11-27T15:30:03Z', 'd']]), ['c', 'd']);
  c.beginStream();
  assert.equal(feed([['2026-11-27T15:30:03Z', 'd'], ['2026-11-27T15:30:03Z', 'd']]), ['d']);   // a second identical line at the same instant is new
});

test.run();
