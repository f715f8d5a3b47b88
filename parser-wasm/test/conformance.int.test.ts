// Conformance: the decoder's DNS answers and SYNs equal tshark's decode of every bundled capture
// (fixtures/pcap, copied from ../shared/fixtures-upstream/pcap), field by field, per frame.
// Deliberate differences are listed in DELIBERATE below, each with its reason and the skip
// counter that must account for it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { scanCapture } from '../src/capture-file.ts';
import type { DecodedRecord } from '../src/records.ts';
import { expectedDns, expectedSyns, type ExpectedDns } from '../../fixtures/test-support/tshark-tsv.ts';
import { suiteNeeds } from '../../fixtures/test-support/needs.ts';
suiteNeeds('decoder conformance vs tshark', ['tool:tshark']);

const DIR = fileURLToPath(new URL('../../fixtures/pcap/', import.meta.url));

interface Deliberate {
  /** tshark DNS rows (frame numbers) the decoder deliberately does not report; 'all' for every row. */
  dnsFrames?: number[] | 'all';
  synFrames?: number[];
  /** Frames where the decoder deliberately reports a DNS record that tshark does not. */
  extraDnsFrames?: number[];
  /** Skip counters that must be at least these values (the frames went somewhere visible). */
  skipped?: Record<string, number>;
  why: string;
}

const MDNS = 'mDNS (UDP 5353) is not DNS on port 53: the decoder records DNS over port 53 only, tshark decodes mDNS too';
const MALFORMED = "a fuzz-found malformed message: skipped and counted; tshark's partial decode of it is not a spec (SOURCES.md)";

const DELIBERATE: Record<string, Deliberate> = {
  'dnscap__frags.pcap': {
    dnsFrames: 'all',
    skipped: { 'ip-fragment': 495 },
    why: 'tshark reassembles IP fragments and reports the response on the last fragment; the decoder skips and counts fragments',
  },
  'ipfixprobe__dnssd.pcap': { dnsFrames: 'all', skipped: { 'not-dns-or-syn': 7 }, why: MDNS },
  'pcapplusplus__DnsPackets.pcap': {
    dnsFrames: [421, 422, 429, 430, 431, 432, 433, 434, 435, 436, 437, 438, 463, 464],
    skipped: { 'not-dns-or-syn': 14 },
    why: MDNS,
  },
  'pcapplusplus__dns_over_tcp.pcapng': {
    extraDnsFrames: [4],
    why: 'frame 4 is a TCP retransmission of frame 1: tshark tracks the stream and does not decode it again, the decoder has no stream state and reports it again (the sniffer dedupes)',
  },
  'pcapplusplus__dns_stack_overflow.pcap': { dnsFrames: 'all', skipped: { 'dns-label-too-long': 1 }, why: MALFORMED },
  'tcpdump__dns-badlabel.pcap': { dnsFrames: 'all', skipped: { 'dns-bad-count': 1 }, why: MALFORMED },
  'tcpdump__dns_fwdptr.pcap': { dnsFrames: 'all', skipped: { 'dns-bad-count': 1 }, why: MALFORMED },
  'tcpdump__nflog.pcap': {
    dnsFrames: 'all',
    skipped: { 'unsupported-link-type': 4 },
    why: 'LINKTYPE_NFLOG (239) is not a link layer a sniffer sees; skipped and counted as unsupported',
  },
};

async function decodeWithFrames(path: string) {
  const records: { frame: number; r: DecodedRecord }[] = [];
  const it = scanCapture(path, { frameNumbers: true });
  for (;;) {
    const step = await it.next();
    if (step.done) return { records, counters: step.value };
    step.value.records.forEach((r, i) => records.push({ frame: step.value.frames![i], r }));
  }
}

const captures = readdirSync(DIR).filter((f) => /\.(pcap|pcapng)$/.test(f)).sort();

test('every upstream capture is bundled with its tshark ground truth', () => {
  assert.ok(captures.length >= 34, `only ${captures.length} captures in ${DIR}`);
});

for (const file of captures) {
  test(`${file}: DNS answers and SYNs equal tshark's`, async () => {
    const base = DIR + file.replace(/\.(pcap|pcapng)$/, '');
    const d = DELIBERATE[file];
    const { records, counters } = await decodeWithFrames(DIR + file);
    if (d?.dnsFrames === 'all') assert.ok(expectedDns(base).length > 0, `${file}: 'all' excludes nothing`);
    const excluded = (f: number, list: number[] | 'all' | undefined) => list === 'all' || (list?.includes(f) ?? false);

    const want: ExpectedDns[] = expectedDns(base).filter((e) => !excluded(e.frame, d?.dnsFrames));
    const got = records.filter((x) => x.r.kind === 'dns' && !(d?.extraDnsFrames?.includes(x.frame) ?? false));
    for (const f of d?.extraDnsFrames ?? []) assert.ok(records.some((x) => x.frame === f), `${file}: expected the extra record in frame ${f}`);
    const gotView = got.map(({ frame, r }) => {
      if (r.kind !== 'dns') throw new Error('unreachable');
      return { frame, src: r.src, dst: r.dst, name: r.name, rcode: r.rcode, answers: r.answers };
    });
    assert.equal(gotView, want, `${file}: DNS records differ from tshark`);

    const wantSyn = expectedSyns(base).filter((e) => !excluded(e.frame, d?.synFrames));
    const gotSyn = records.filter((x) => x.r.kind !== 'dns').map(({ frame, r }) => ({ frame, kind: r.kind, src: r.src, dst: r.dst, sport: r.sport, dport: r.dport }));
    assert.equal(gotSyn, wantSyn, `${file}: SYN records differ from tshark`);

    for (const [reason, min] of Object.entries(d?.skipped ?? {})) {
      assert.ok((counters.skipped[reason] ?? 0) >= min, `${file}: expected ≥${min} '${reason}' skips, got ${JSON.stringify(counters.skipped)}`);
    }
    const skippedTotal = Object.values(counters.skipped).reduce((a, b) => a + b, 0);
    assert.is(counters.frames, counters.framesDecoded + skippedTotal - counters.nonFrameSkips, `${file}: counters do not add up`);
  });
}

/** frame number → epoch seconds as tshark reads the file (pcap µs/ns, pcapng if_tsresol). */
function tsharkTimes(path: string): Map<number, number> {
  const out = execFileSync('tshark', ['-n', '-r', path, '-T', 'fields', '-e', 'frame.number', '-e', 'frame.time_epoch'], {
    encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 26,
  });
  return new Map(out.trim().split('\n').filter(Boolean).map((l) => { const [f, t] = l.split('\t'); return [Number(f), Number(t)]; }));
}

test('every record carries its frame\'s timestamp as tshark reads it (to the microsecond)', async () => {
  let checked = 0;
  for (const file of captures) {
    const { records } = await decodeWithFrames(DIR + file);
    if (records.length === 0) continue;
    const times = tsharkTimes(DIR + file);
    for (const { frame, r } of records) {
      const want = times.get(frame);
      assert.ok(want !== undefined, `${file}: tshark has no frame ${frame}`);
      assert.ok(Math.abs(r.ts - want!) < 1e-6, `${file} frame ${frame}: ts ${r.ts}, tshark ${want}`);
      checked++;
    }
  }
  assert.ok(checked >= 421, `only ${checked} timestamps checked`); // every record of the 34 captures
});

test.run();
