// Replay over real third-party captures (fixtures/pcap, from the decoder's bundle): several files
// are merged in time order and cut into capture-time intervals; merging changes no totals.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import type { ConnectionRecord, Report } from '../../controller/contract/schema.ts';
import { replayReports } from './replay.ts';

const DIR = fileURLToPath(new URL('../../fixtures/pcap', import.meta.url));
const FILES = ['pcapplusplus__DnsPackets.pcap', 'dnscap__dnso1tcp.pcap', 'tcpdump__dns_tcp.pcap', 'pcapplusplus__sll.pcap'].map((f) => `${DIR}/${f}`);

async function collect(files: string[], intervalSeconds = 1): Promise<Report[]> {
  const out: Report[] = [];
  for await (const r of replayReports(files, { node: 'n1', intervalSeconds })) out.push(r);
  return out;
}

function totals(reports: Report[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const rep of reports) for (const r of rep.records as ConnectionRecord[]) {
    const k = `${r.source} ${r.srcIp} ${r.destination} ${r.destinationIp} ${r.destinationPort ?? '-'}`;
    m.set(k, (m.get(k) ?? 0) + r.count);
  }
  return m;
}

async function rejects(fn: () => Promise<unknown>, re: RegExp) {
  try { await fn(); } catch (err) { assert.match((err as Error).message, re); return; }
  assert.unreachable('should have rejected');
}

test('several captures merge in time order into capture-time intervals; totals are those of each file alone', async () => {
  const merged = await collect(FILES, 2);
  assert.ok(merged.length > 3, `only ${merged.length} reports`);
  let prev = '';
  for (const rep of merged) {
    assert.is(rep.node, 'n1');
    assert.ok(rep.sentAt >= prev, `reports out of order: ${prev} then ${rep.sentAt}`);
    prev = rep.sentAt;
    const end = Date.parse(rep.sentAt);
    assert.is(end % 2000, 0, 'interval ends are aligned to the interval');
    for (const r of rep.records as ConnectionRecord[]) {
      const t = Date.parse(r.lastSeen);
      assert.ok(t < end && t >= end - 2000, `${r.lastSeen} outside the interval ending ${rep.sentAt}`);
      assert.ok(r.count >= 1);
      if (r.source === 'dns') assert.type(r.ttl, 'number');
      if (r.source === 'tcp') assert.type(r.destinationPort, 'number');
    }
  }
  const sum = new Map<string, number>();
  for (const f of FILES) for (const [k, n] of totals(await collect([f], 2))) sum.set(k, (sum.get(k) ?? 0) + n);
  assert.equal([...totals(merged)].sort(), [...sum].sort());
  assert.ok([...sum.keys()].some((k) => k.startsWith('dns ')) && [...sum.keys()].some((k) => k.startsWith('tcp ')));
});

test('a bad interval and a missing file are clear errors', async () => {
  await rejects(() => collect(FILES.slice(0, 1), 0), /intervalSeconds must be positive/);
  await rejects(() => collect(['/nonexistent/nmsn.pcap']), /nmsn\.pcap|ENOENT/);
});

test.run();
