import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createIntervalAggregator } from './aggregate.ts';
import type { Observation } from './observation.ts';

const d = (ts: number, over: Partial<Observation> = {}): Observation => ({
  source: 'dns', srcIp: '10.0.0.3', destination: 'web.demo', destinationIp: '10.0.0.4', ttl: 60, ts, ...over,
});

test('one record per key; newest time and its TTL kept; count = sightings', () => {
  const agg = createIntervalAggregator(1000);
  agg.add(d(100.2, { ttl: 60 }));
  agg.add(d(100.7, { ttl: 59 }));
  agg.add(d(100.4, { ttl: 58 })); // older sighting: counted, does not move lastSeen or TTL
  agg.add(d(100.5, { destinationIp: '10.0.0.5' }));
  agg.add({ source: 'tcp', srcIp: '10.0.0.3', destination: '10.0.0.4', destinationIp: '10.0.0.4', destinationPort: 80, ts: 100.1 });
  agg.add({ source: 'tcp', srcIp: '10.0.0.3', destination: '10.0.0.4', destinationIp: '10.0.0.4', destinationPort: 81, ts: 100.1 });
  assert.is(agg.size, 4);
  const closed = agg.closeBefore(101);
  assert.is(closed.length, 1);
  assert.is(closed[0]!.endTs, 101);
  assert.equal(closed[0]!.records, [
    { source: 'dns', srcIp: '10.0.0.3', destination: 'web.demo', destinationIp: '10.0.0.4', lastSeen: '1970-01-01T00:01:40.700Z', count: 3, ttl: 59 },
    { source: 'dns', srcIp: '10.0.0.3', destination: 'web.demo', destinationIp: '10.0.0.5', lastSeen: '1970-01-01T00:01:40.500Z', count: 1, ttl: 60 },
    { source: 'tcp', srcIp: '10.0.0.3', destination: '10.0.0.4', destinationIp: '10.0.0.4', lastSeen: '1970-01-01T00:01:40.100Z', count: 1, destinationPort: 80 },
    { source: 'tcp', srcIp: '10.0.0.3', destination: '10.0.0.4', destinationIp: '10.0.0.4', lastSeen: '1970-01-01T00:01:40.100Z', count: 1, destinationPort: 81 },
  ]);
  assert.is(agg.size, 0);
});

test('intervals are epoch-aligned buckets of observation time; late sightings join the oldest open one', () => {
  const agg = createIntervalAggregator(2000);
  agg.add(d(99.9)); // bucket [98,100)
  agg.add(d(100.0)); // bucket [100,102)
  agg.add(d(103.5)); // bucket [102,104)
  const first = agg.closeBefore(101); // only [98,100) has ended
  assert.equal(first.map((c) => [c.endTs, c.records[0]!.count]), [[100, 1]]);
  agg.add(d(99.95)); // late: [98,100) is closed, so it goes to [100,102)
  const rest = agg.closeAll();
  assert.equal(rest.map((c) => [c.endTs, c.records[0]!.count, c.records[0]!.lastSeen]), [
    [102, 2, '1970-01-01T00:01:40.000Z'],
    [104, 1, '1970-01-01T00:01:43.500Z'],
  ]);
});

test('lastSeen is toISOString of the newest time, across seconds, the epoch and years past 9999', () => {
  const agg = createIntervalAggregator(1000);
  for (const base of [0, 0.0009, 999.9995, 1_763_700_059.9999, 253_402_300_799.999, 260_000_000_000.25]) {
    for (let i = 0; i < 500; i++) {
      const ts = base + i * 0.000137;
      agg.add(d(ts));
      const [c] = agg.closeAll();
      assert.is(c.records[0].lastSeen, new Date(Math.floor(ts * 1000)).toISOString(), String(ts));
    }
  }
});

test.run();
