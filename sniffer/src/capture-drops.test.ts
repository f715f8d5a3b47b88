import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMetrics } from '../../controller/common/metrics.ts';
import { countCaptureDrops, createDropTotals, loadPacketStats, type PacketSocketStats } from './capture-drops.ts';
import { createSnifferMetrics } from './metrics.ts';

const reads = (...rounds: PacketSocketStats[][]) => { let i = 0; return () => rounds[Math.min(i++, rounds.length - 1)]; };
const s = (device: string, drops: number): PacketSocketStats => ({ fd: 3, ifindex: 1, device, packets: drops, drops });

test('totals add up reads, since the kernel zeroes its counter at each one', () => {
  const t = createDropTotals(reads([s('eth0', 5), s('any', 1)], [s('eth0', 2)], []));
  assert.equal([...t.poll()], [['eth0', 5], ['any', 1]]);
  assert.equal([...t.poll()], [['eth0', 7], ['any', 1]]);
  assert.equal([...t.poll()], [['eth0', 7], ['any', 1]]);
});

test('each scrape adds the new drops to netmapper_sniffer_capture_dropped_total{device}; counting says 1', async () => {
  const m = createSnifferMetrics(createMetrics());
  assert.is(countCaptureDrops(m, reads([s('eth0', 3)], [s('eth0', 4)])), undefined);
  assert.match(await m.registry.render(), 'netmapper_sniffer_capture_dropped_total{device="eth0"} 3');
  assert.match(await m.registry.render(), 'netmapper_sniffer_capture_dropped_total{device="eth0"} 7');
  assert.match(await m.registry.render(), 'netmapper_sniffer_capture_drop_counting 1');
});

test('without the addon: the reason, and counting 0', async () => {
  const m = createSnifferMetrics(createMetrics());
  const missing = loadPacketStats('/nonexistent/packet-stats.node');
  assert.equal(missing, { unavailable: '/nonexistent/packet-stats.node is not built (node sniffer/native/build.mjs)' });
  assert.match(countCaptureDrops(m, missing)!, 'not built');
  assert.match(await m.registry.render(), 'netmapper_sniffer_capture_drop_counting 0');
});

test.run();
