// Capture drops: frames the kernel threw away because libpcap's ring was full. `cap` does not expose pcap_stats,
// so a small native addon (sniffer/native/packet-stats.c) reads PACKET_STATISTICS from this process's own packet
// sockets, as pcap_stats does. The kernel zeroes the counters at each read; totals are kept here, per device.

import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SnifferMetrics } from './metrics.ts';

declare const NETMAPPER_DIST: boolean | undefined;

export const ADDON_PATH = fileURLToPath(new URL(typeof NETMAPPER_DIST !== 'undefined' ? './packet-stats.node' : '../native/build/packet-stats.node', import.meta.url));

export interface PacketSocketStats { fd: number; ifindex: number; device: string; packets: number; drops: number }
export type ReadPacketStats = () => PacketSocketStats[];

/** The addon's reader, or the reason it cannot be used (not built, wrong platform). */
export function loadPacketStats(path = ADDON_PATH): ReadPacketStats | { unavailable: string } {
  if (!existsSync(path)) return { unavailable: `${path} is not built (node sniffer/native/build.mjs)` };
  try {
    const addon = createRequire(import.meta.url)(path) as { readPacketSocketStats: ReadPacketStats };
    return addon.readPacketSocketStats;
  } catch (err) {
    return { unavailable: `${path}: ${(err as Error).message}` };
  }
}

/** Running totals of drops per device; `poll()` adds what the kernel counted since the last read. */
export function createDropTotals(read: ReadPacketStats) {
  const totals = new Map<string, number>();
  return {
    poll(): Map<string, number> {
      for (const s of read()) totals.set(s.device, (totals.get(s.device) ?? 0) + s.drops);
      return totals;
    },
  };
}

/** Feeds netmapper_sniffer_capture_dropped_total{device} at each scrape; says whether drops are counted at all. */
export function countCaptureDrops(metrics: SnifferMetrics, read = loadPacketStats()): string | undefined {
  if (typeof read !== 'function') {
    metrics.captureDropCounting.set(0);
    return read.unavailable;
  }
  metrics.captureDropCounting.set(1);
  const totals = createDropTotals(read);
  metrics.registry.onCollect(() => {
    for (const [device, n] of totals.poll()) metrics.captureDropped.set(n, { device });
  });
  return undefined;
}
