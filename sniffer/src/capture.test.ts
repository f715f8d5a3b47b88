// Capture's pieces that need no libpcap: the BPF filter text and the clock read once per loop turn.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { captureFilter, createLoopTurns } from './capture.ts';

const nextTurn = () => new Promise((r) => setImmediate(r));

test('frames read in one turn of the event loop share a stamp; the next turn reads the clock again', async () => {
  let reads = 0;
  const turns = createLoopTurns(() => ++reads * 1.5);
  assert.is(turns.frame(100), 1.5);
  assert.is(turns.frame(100), 1.5);
  await Promise.resolve(); // microtasks run between cap's per-frame calls: still the same turn
  assert.is(turns.frame(100), 1.5);
  assert.is(reads, 1);
  await nextTurn();
  assert.is(turns.frame(60), 3);
  assert.is(turns.frame(60), 3);
  assert.is(reads, 2);
});

test('a long turn (a backlog drained) reads the clock again every 1024 frames', () => {
  let reads = 0;
  const turns = createLoopTurns(() => ++reads);
  const stamps = Array.from({ length: 2049 }, () => turns.frame(100));
  assert.equal([stamps[0], stamps[1023], stamps[1024], stamps[2047], stamps[2048]], [1, 1, 2, 2, 3]);
});

test('the largest turn (by bytes) is kept until taken, then counting starts over', async () => {
  const turns = createLoopTurns(() => 0);
  for (let i = 0; i < 3; i++) turns.frame(100);
  await nextTurn();
  for (let i = 0; i < 5; i++) turns.frame(40);
  await nextTurn();
  turns.frame(1500);
  await nextTurn();
  assert.equal(turns.takeLargest(), { frames: 1, bytes: 1500 });
  assert.equal(turns.takeLargest(), { frames: 0, bytes: 0 });
  for (let i = 0; i < 4; i++) turns.frame(100);
  await nextTurn();
  assert.equal(turns.takeLargest(), { frames: 4, bytes: 400 });
});

test('the filter asks for DNS responses and client SYNs, or only what is enabled', () => {
  assert.is(captureFilter({ dns: false, tcp: false }), undefined);
  assert.is(captureFilter({ dns: true, tcp: false }), 'udp src port 53 or tcp src port 53');
  assert.ok(captureFilter({ dns: false, tcp: true })!.startsWith('(tcp[tcpflags] & (tcp-syn|tcp-ack)) == tcp-syn or (ip6'));
});

test.run();
