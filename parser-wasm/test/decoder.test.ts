// The TypeScript API: live batches (push/decodeBatch), decodeFrames, decodeFile and the
// streaming iterator agree with each other on real captures; file formats; errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createDecoder, decodeFrames, decodeFile, readCaptureRecords, linkTypeFromCap, LINKTYPE,
  CaptureFormatError, type DecodedRecord,
} from '../src/index.ts';
import { readPcapFrames, writePcap, writePcapng } from '../../fixtures/test-support/pcap-frames.ts';

const PCAP = fileURLToPath(new URL('../../fixtures/pcap/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'decoder-test-'));
const tmpFile = (name: string, data: Buffer | string) => {
  const p = join(tmp, name);
  writeFileSync(p, data);
  return p;
};

/** Timestamps pass through a text format in some tests; compare them to the microsecond. */
function sameRecords(a: DecodedRecord[], b: DecodedRecord[], what: string) {
  assert.is(a.length, b.length, `${what}: ${a.length} vs ${b.length} records`);
  const strip = (r: DecodedRecord) => ({ ...r, ts: Math.round(r.ts * 1e6) });
  assert.equal(a.map(strip), b.map(strip), what);
}

test('live frames: push + one decodeBatch gives what decodeFile gives', async () => {
  for (const name of ['tcpdump__dns_tcp.pcap', 'pcapplusplus__sll.pcap', 'dnscap__vlan11.pcap', 'pcapplusplus__raw_ip.pcap', 'dnscap__sll2.pcap']) {
    const frames = readPcapFrames(PCAP + name);
    const d = await createDecoder();
    for (const f of frames) assert.ok(d.push(f.data, f.ts, f.linkType));
    assert.is(d.pending, frames.length);
    const live = d.decodeBatch();
    assert.is(d.pending, 0);
    const file = await decodeFile(PCAP + name);
    assert.ok(file.records.length > 0, name);
    sameRecords(live, file.records, name);
    assert.is(d.counters.frames, frames.length);
    assert.equal(d.counters.records, file.counters.records);
    assert.equal(d.counters.skipped, file.counters.skipped);
    // One counters shape (DecodeCounters and DecoderCounters were two): live and file carry the same fields.
    assert.equal(Object.keys(d.counters).sort(), Object.keys(file.counters).sort(), name);
    assert.is(d.counters.framesDecoded, file.counters.framesDecoded, name);
  }
});

test('push refuses a frame when the batch is full and copies nothing; nothing is lost', async () => {
  const frames = readPcapFrames(PCAP + 'pcapplusplus__DnsPackets.pcap');
  const d = await createDecoder({ batchBytes: 4096 });
  const out: DecodedRecord[] = [];
  let refusals = 0;
  for (const f of frames) {
    if (!d.push(f.data, f.ts, f.linkType)) {
      refusals++;
      const before = d.pending;
      assert.ok(before > 0);
      out.push(...d.decodeBatch());
      assert.is(d.pending, 0);
      assert.ok(d.push(f.data, f.ts, f.linkType));
    }
  }
  out.push(...d.decodeBatch());
  assert.ok(refusals > 10, `only ${refusals} refusals`);
  sameRecords(out, (await decodeFile(PCAP + 'pcapplusplus__DnsPackets.pcap')).records, 'small batches');
  assert.is(d.counters.frames, frames.length);
});

test('live timestamps come from tsSeconds; the link type is per frame', async () => {
  const eth = readPcapFrames(PCAP + 'tcpdump__dns_udp.pcap');
  const sll = readPcapFrames(PCAP + 'tcpdump__tcp-handshake-nano.pcap');
  const { records, counters } = await decodeFrames([
    { data: eth[1].data, ts: 1700000000.25, linkType: LINKTYPE.ETHERNET },
    { data: sll[0].data, ts: 1700000001.5, linkType: LINKTYPE.LINUX_SLL },
    { data: sll[0].data, ts: 1700000002, linkType: LINKTYPE.NFLOG },
  ]);
  assert.equal(records.map((r) => [r.kind, r.ts]), [['dns', 1700000000.25], ['syn', 1700000001.5]]);
  assert.equal(counters.skipped, { 'unsupported-link-type': 1 });
});

test('nanosecond pcap timestamps keep their precision (tshark: 1418145369.924505488)', async () => {
  const { records } = await decodeFile(PCAP + 'tcpdump__tcp-handshake-nano.pcap');
  assert.ok(Math.abs(records[0].ts - 1418145369.924505488) < 1e-6, String(records[0].ts));
  assert.is(records[0].kind, 'syn');
});

test('big-endian pcap, nanosecond magic and pcapng with if_tsresol decode to the same records', async () => {
  const frames = readPcapFrames(PCAP + 'pcapplusplus__DnsPackets.pcap');
  const want = (await decodeFile(PCAP + 'pcapplusplus__DnsPackets.pcap')).records;
  const variants: [string, Buffer][] = [
    ['be.pcap', writePcap(frames, { bigEndian: true })],
    ['ns-be.pcap', writePcap(frames, { bigEndian: true, nanos: true })],
    ['ns-le.bin', writePcap(frames, { nanos: true })],
    ['ng-us.pcapng', writePcapng(frames)],
    ['ng-ns.data', writePcapng(frames, { tsresol: 9, unknownBlock: true })],
  ];
  for (const [name, data] of variants) {
    const got = await decodeFile(tmpFile(name, data));
    sameRecords(got.records, want, name);
    assert.is(got.counters.frames, frames.length, name);
  }
});

test('pcapng with several interfaces of different link types', async () => {
  const a = readPcapFrames(PCAP + 'tcpdump__dns_tcp.pcap');
  const b = readPcapFrames(PCAP + 'pcapplusplus__sll.pcap');
  const c = readPcapFrames(PCAP + 'pcapplusplus__raw_ip.pcap');
  const mixed = [...a, ...b, ...c].sort((x, y) => x.ts - y.ts);
  const got = await decodeFile(tmpFile('mixed.pcapng', writePcapng(mixed)));
  const live = await decodeFrames(mixed);
  sameRecords(got.records, live.records, 'mixed link types');
  assert.is(got.records.length, 3 + 12 + 9);
});

test('the streaming iterator yields the same records and completes its counters', async () => {
  const path = PCAP + 'dnscap__dnso1tcp.pcap';
  const it = readCaptureRecords(path, { onProgress: (p) => progress.push(p.bytesRead) });
  const progress: number[] = [];
  const got: DecodedRecord[] = [];
  for await (const r of it) got.push(r);
  const want = await decodeFile(path);
  sameRecords(got, want.records, 'iterator');
  assert.equal(it.counters, want.counters);
  assert.ok(progress.length > 0 && progress[progress.length - 1] === 22512, String(progress));
});

test('stopping the iterator early closes the file', async () => {
  const openFds = () => readdirSync('/proc/self/fd').length;
  const before = openFds();
  let n = 0;
  for await (const _ of readCaptureRecords(PCAP + 'pcapplusplus__DnsPackets.pcap')) if (++n === 3) break;
  assert.is(n, 3);
  assert.is(openFds(), before);
});

test('a file that is not a capture: CaptureFormatError naming the file and what was expected', async () => {
  for (const [name, data] of [['text.pcap', 'hello world\n'], ['empty.pcap', ''], ['short.pcap', 'ab']] as const) {
    const p = tmpFile(name, data);
    try {
      await decodeFile(p);
      assert.unreachable(`${name} was accepted`);
    } catch (err) {
      assert.instance(err, CaptureFormatError);
      assert.is((err as CaptureFormatError).code, 'ERR_NOT_A_CAPTURE');
      assert.match((err as Error).message, p);
      assert.match((err as Error).message, /expected a pcap .* or pcapng/);
    }
  }
});

test('a capture cut short mid-record is decoded up to the cut and the rest counted', async () => {
  const whole = writePcap(readPcapFrames(PCAP + 'tcpdump__dns_tcp.pcap'));
  const got = await decodeFile(tmpFile('cut.pcap', whole.subarray(0, whole.length - 10)));
  assert.is(got.counters.frames, 10);
  assert.is(got.counters.skipped['capture-truncated'], 1);
  assert.is(got.records.length, 3);
});

test('files with many more records than one WASM call returns lose nothing', async () => {
  const frames = readPcapFrames(PCAP + 'pcapplusplus__DnsPackets.pcap');
  const once = await decodeFile(PCAP + 'pcapplusplus__DnsPackets.pcap');
  const many: typeof frames = [];
  for (let i = 0; i < 25; i++) for (const f of frames) many.push({ ...f, ts: f.ts + i * 1000 });
  const got = await decodeFile(tmpFile('many.pcap', writePcap(many)));
  assert.is(got.records.length, once.records.length * 25);
  assert.is(got.counters.records.dns, once.counters.records.dns * 25);
  assert.equal(got.records.slice(-212).map((r) => r.kind === 'dns' && r.name), once.records.map((r) => r.kind === 'dns' && r.name));
  const live = await decodeFrames(many);
  assert.is(live.records.length, got.records.length);
});

test('a 1 MiB IPv6 jumbogram of DNS over TCP (74,892 responses in one frame): counters add up to what was output', async () => {
  const head = Buffer.from(
    '000000000002' + '000000000001' + '86dd' +                                    // Ethernet
    '60000000' + '0000' + '00' + '40' + 'fd00'.padEnd(32, '0') + 'fd01'.padEnd(32, '0') +   // IPv6, payload length 0: jumbogram
    '06' + '00' + 'c204' + '00000000' +                                            // hop-by-hop: jumbo payload option (RFC 2675)
    '0035' + '9c40' + '00000001' + '00000001' + '50' + '18' + 'ffff' + '0000' + '0000', 'hex');   // TCP 53 → 40000, PSH ACK
  const message = Buffer.from('000c' + '0001' + '8180' + '0000' + '0000' + '0000' + '0000', 'hex');   // length prefix + a response with no question
  const n = Math.floor(((1 << 20) - head.length) / message.length);
  const frame = Buffer.concat([head, ...Array.from({ length: n }, () => message)]);
  frame.writeUInt32BE(frame.length - 14 - 40, 14 + 40 + 4);   // the jumbo length: everything after the IPv6 header
  const got = await decodeFile(tmpFile('jumbo.pcap', writePcap([{ ts: 1700000000, linkType: 1, data: frame }])));
  const c = got.counters;
  assert.is(c.frames, 1);
  assert.is(c.records.dns, got.records.length, 'records counted = records output');
  const skipped = Object.values(c.skipped).reduce((a, b) => a + b, 0);
  assert.is(c.frames, c.framesDecoded + skipped - c.nonFrameSkips, 'frames = decoded + skipped - non-frame skips');
});

test('linkTypeFromCap maps cap names and unknown numbers', () => {
  assert.is(linkTypeFromCap('ETHERNET'), 1);
  assert.is(linkTypeFromCap('LINKTYPE_LINUX_SLL'), 113);
  assert.is(linkTypeFromCap('LINKTYPE_LINUX_SLL2'), 276);
  assert.is(linkTypeFromCap('RAW'), 101);
  assert.is(linkTypeFromCap('NULL'), 0);
  assert.is(linkTypeFromCap('Unknown linktype 239'), 239);
  assert.is(linkTypeFromCap('FDDI'), undefined);
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
