import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createIntervalAggregator } from './aggregate.ts';
import { sortRecords } from './aggregate-records.ts';
import type { ConnectionRecord } from '../../controller/contract/schema.ts';
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

test('sortRecords: the order of the NUL-joined text keys, ports as 5 digits (random records, NUL bytes in names too)', () => {
  const joined = (r: ConnectionRecord) => [r.source, r.srcIp, r.destination, r.destinationIp, String(r.destinationPort ?? '').padStart(5, '0')].join('\u0000');
  let x = 3;
  const pick = <T,>(a: T[]): T => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return a[x % a.length]; };
  for (let t = 0; t < 2000; t++) {
    const names = ['a', 'ab', 'a.b', 'b', '', ...(t % 10 === 0 ? ['a\u0000b', 'a\u0000'] : [])];
    const recs = Array.from({ length: 1 + (t % 50) }, (): ConnectionRecord => {
      const r: ConnectionRecord = { source: pick(['dns', 'tcp', 'socket'] as const), srcIp: pick(['10.0.0.1', '10.0.0.10', '10.0.0.2', 'fd00::1']), destination: pick(names), destinationIp: pick(['1.1.1.1', '1.1.1.10']), lastSeen: '', count: 1 };
      const port = pick([undefined, 0, 1, 80, 8080, 65535]);
      if (port !== undefined) r.destinationPort = port;
      return r;
    });
    const want = [...recs].sort((a, b) => (joined(a) < joined(b) ? -1 : joined(a) > joined(b) ? 1 : 0));
    assert.equal(sortRecords([...recs]), want);
  }
});

test('an interval\'s records come out in sortRecords order (random keys: IPv4, IPv6, names with NUL, ports 0 and none, every source)', () => {
  let x = 11;
  const pick = <T,>(a: T[]): T => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return a[x % a.length]; };
  for (let t = 0; t < 500; t++) {
    const agg = createIntervalAggregator(1000);
    const names = ['a', 'ab', 'a.b', 'b', 'B', '\u00e9', ...(t % 10 === 0 ? ['a\u0000b', 'a\u0000'] : [])];
    const ips = ['10.0.0.1', '10.0.0.10', '10.0.0.2', 'fd00::1', '::ffff:10.0.0.1', '9.9.9.9'];
    const want = new Map<string, ConnectionRecord>();
    for (let i = 0; i < 1 + (t % 80); i++) {
      const source = pick(['dns', 'tcp', 'socket'] as const);
      const dstIp = pick(ips);
      const o: Observation = source === 'dns'
        ? { source, srcIp: pick(ips), destination: pick(names), destinationIp: dstIp, ttl: pick([0, 5, 2 ** 32 - 1]), ts: 100 + i / 1000 }
        : { source, srcIp: pick(ips), destination: t % 7 === 0 ? pick([dstIp, ...names]) : dstIp, destinationIp: dstIp, destinationPort: pick([0, 1, 80, 8080, 65535]), ts: 100 + i / 1000 };
      agg.add(o);
      const k = [o.source, o.srcIp, o.destination, o.destinationIp, o.destinationPort].join('|');
      const prev = want.get(k);
      if (prev) { prev.count++; prev.lastSeen = new Date(Math.floor(o.ts * 1000)).toISOString(); if (o.ttl !== undefined) prev.ttl = o.ttl; continue; }
      const r: ConnectionRecord = { source: o.source, srcIp: o.srcIp, destination: o.destination, destinationIp: o.destinationIp, lastSeen: new Date(Math.floor(o.ts * 1000)).toISOString(), count: 1 };
      if (o.destinationPort !== undefined) r.destinationPort = o.destinationPort;
      if (o.ttl !== undefined) r.ttl = o.ttl;
      want.set(k, r);
    }
    const [closed] = agg.closeAll();
    assert.equal(closed!.records, sortRecords([...want.values()]));
  }
});

test('large intervals, and client groups over 16, come out in sortRecords order too', () => {
  let x = 5;
  const rnd = (m: number): number => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x % m; };
  for (let t = 0; t < 12; t++) {
    const agg = createIntervalAggregator(1000);
    const want = new Map<string, ConnectionRecord>();
    const clients = 3 + rnd(40);
    const n = t < 4 ? 200 + rnd(300) : 600 + rnd(3000);
    for (let i = 0; i < n; i++) {
      const srcIp = rnd(5) === 0 ? `fd00::${rnd(clients).toString(16)}` : `10.${rnd(3)}.0.${rnd(clients)}`;
      const dstIp = rnd(4) === 0 ? `2001:db8::${rnd(300).toString(16)}` : `172.16.${rnd(2)}.${rnd(200)}`;
      const kind = rnd(3);
      const o: Observation = kind === 0
        ? { source: 'dns', srcIp, destination: `svc-${rnd(150)}.ns-${rnd(4)}.example`, destinationIp: dstIp, ttl: rnd(100), ts: 100 + i / 1e4 }
        : { source: kind === 1 ? 'tcp' : 'socket', srcIp, destination: dstIp, destinationIp: dstIp, destinationPort: t % 3 === 0 ? rnd(256) : rnd(65536), ts: 100 + i / 1e4 };
      agg.add(o);
      const k = [o.source, o.srcIp, o.destination, o.destinationIp, o.destinationPort].join('|');
      const prev = want.get(k);
      const lastSeen = new Date(Math.floor(o.ts * 1000)).toISOString();
      if (prev) { prev.count++; prev.lastSeen = lastSeen; if (o.ttl !== undefined) prev.ttl = o.ttl; continue; }
      want.set(k, o.source === 'dns' ? { source: o.source, srcIp, destination: o.destination, destinationIp: dstIp, lastSeen, count: 1, ttl: o.ttl! }
        : { source: o.source, srcIp, destination: dstIp, destinationIp: dstIp, lastSeen, count: 1, destinationPort: o.destinationPort! });
    }
    const [closed] = agg.closeAll();
    assert.equal(closed!.records, sortRecords([...want.values()]), `interval ${t}: ${n} sightings`);
  }
});

test('a port outside 0–65535 is refused, not folded into another key', () => {
  const agg = createIntervalAggregator(1000);
  const tcp = (destinationPort: number): Observation => ({ source: 'tcp', srcIp: '10.0.0.1', destination: '10.0.0.2', destinationIp: '10.0.0.2', destinationPort, ts: 100 });
  for (const port of [-2, 65536, 131071, 1.5, NaN]) assert.throws(() => agg.add(tcp(port)), RangeError, String(port));
  for (const port of [0, 65535]) agg.add(tcp(port));
  assert.equal(agg.closeAll()[0]!.records.map((r) => r.destinationPort), [0, 65535]);
});

test('timedRecords: the wire records, in the same order, with each lastSeen as epoch ms (times across years 0000–9999 and past)', () => {
  for (const base of [-62_167_219_200.5, 0.0004, 1_763_700_059.9999, 253_402_300_799.999, 260_000_000_000.25]) {
    const obs: Observation[] = [];
    for (let i = 0; i < 300; i++) {
      const ts = base + i / 997;
      obs.push(i % 3 ? d(ts, { srcIp: `10.0.${i % 7}.${i % 5}`, destination: `n${i % 11}.example`, ttl: i % 4 === 0 ? 2 ** 32 - 1 : i })
        : { source: i % 2 ? 'tcp' : 'socket', srcIp: `10.0.0.${i % 9}`, destination: `10.1.0.${i % 4}`, destinationIp: `10.1.0.${i % 4}`, destinationPort: i % 65536, ts, ...(i % 6 === 0 ? { srcHostname: `pod-${i}` } : {}) });
    }
    const wire = createIntervalAggregator(1e15);
    const timed = createIntervalAggregator(1e15, (e) => e.timedRecords());
    for (const o of obs) { wire.add(o); timed.add(o); }
    const [w] = wire.closeAll();
    const [t] = timed.closeAll();
    assert.ok(w!.records.length > 50);
    assert.equal(t!.records.map((r) => r.toWire()), w!.records);
    assert.equal(t!.records.map((r) => r.lastSeenMs), w!.records.map((r) => Date.parse(r.lastSeen)));
    assert.equal(t!.records.map((r) => r.lastSeen), w!.records.map((r) => r.lastSeen));
  }
});

test.run();
