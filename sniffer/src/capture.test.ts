// Capture's pieces that need no libpcap: the BPF filter text and the clock read once per loop turn.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { captureFilter, clockPerLoopTurn } from './capture.ts';

test('frames read in one turn of the event loop share a stamp; the next turn reads the clock again', async () => {
  let reads = 0;
  const clock = clockPerLoopTurn(() => ++reads * 1.5);
  assert.is(clock(), 1.5);
  assert.is(clock(), 1.5);
  await Promise.resolve(); // microtasks run between cap's per-frame calls: still the same turn
  assert.is(clock(), 1.5);
  assert.is(reads, 1);
  await new Promise((r) => setImmediate(r));
  assert.is(clock(), 3);
  assert.is(clock(), 3);
  assert.is(reads, 2);
});

test('the filter asks for DNS responses and client SYNs, or only what is enabled', () => {
  assert.is(captureFilter({ dns: false, tcp: false }), undefined);
  assert.is(captureFilter({ dns: true, tcp: false }), 'udp src port 53 or tcp src port 53');
  assert.ok(captureFilter({ dns: false, tcp: true })!.startsWith('(tcp[tcpflags] & (tcp-syn|tcp-ack)) == tcp-syn or (ip6'));
});

test.run();
