// JsonLineFormatter (straight from WASM memory) against formatRecordJson (JSON.stringify of the
// record objects): byte-identical on every bundled capture, on crafted names that need escaping,
// on odd timestamps and on thousands of mutated frames.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import dnsPacket from 'dns-packet';
import { decodeFile, scanCapture } from './capture-file.ts';
import { formatRecordJson } from './json-lines.ts';
import { readPcapFrames, writePcap, type Frame } from '../../fixtures/test-support/pcap-frames.ts';

const PCAP = fileURLToPath(new URL('../../fixtures/pcap/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'json-lines-'));

async function fast(path: string): Promise<string> {
  let out = '';
  const it = scanCapture(path, { materialize: false, jsonLines: true });
  for (let s = await it.next(); !s.done; s = await it.next()) out += s.value.json?.toString('utf8') ?? '';
  return out;
}
async function reference(path: string): Promise<string> {
  return (await decodeFile(path)).records.map((r) => formatRecordJson(r) + '\n').join('');
}
async function same(path: string, what: string): Promise<number> {
  const want = await reference(path);
  assert.fixture(await fast(path), want, what);
  return want.length;
}

test('every bundled capture: the same text as JSON.stringify of the records', async () => {
  let bytes = 0;
  for (const f of readdirSync(PCAP).filter((f) => /\.pcap(ng)?$/.test(f))) bytes += await same(PCAP + f, f);
  assert.ok(bytes > 50_000, `${bytes} bytes compared`);
});

/** Ethernet + IPv4 + UDP from port 53 around a DNS message. */
function udpFrame(dns: Buffer, ts: number): Frame {
  const ip = Buffer.alloc(20);
  ip[0] = 0x45; ip.writeUInt16BE(20 + 8 + dns.length, 2); ip[8] = 64; ip[9] = 17;
  Buffer.from([10, 0, 0, 53, 10, 1, 2, 3]).copy(ip, 12);
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(53, 0); udp.writeUInt16BE(40000, 2); udp.writeUInt16BE(8 + dns.length, 4);
  const eth = Buffer.from('020000000001020000000002' + '0800', 'hex');
  return { data: Buffer.concat([eth, ip, udp, dns]), ts, linkType: 1 };
}

test('names that JSON must escape, Latin-1 bytes, IPv6 and IPv4-mapped answers, odd timestamps', async () => {
  const names = ['Plain.Example.COM', 'quote".back\\slash', 'ctl\u0001\u001f\u007f.tab\tnl\n', 'caf\u00e9.example', 'a'.repeat(63) + '.b'];
  const frames: Frame[] = [];
  let ts = 0;
  for (const name of names) {
    const dns = dnsPacket.encode({
      type: 'response', id: 1, flags: dnsPacket.RECURSION_DESIRED,
      questions: [{ type: 'A', name }],
      answers: [
        { type: 'CNAME', name, ttl: 0, data: `Alias.${name}` },
        { type: 'A', name: `alias.${name}`, ttl: 4294967295, data: '192.0.2.1' },
        { type: 'AAAA', name: `alias.${name}`, ttl: 1, data: '::ffff:192.0.2.1' },
        { type: 'AAAA', name: `alias.${name}`, ttl: 1, data: '2001:db8::1' },
      ],
    });
    for (const t of [ts, 1_763_700_000.000001, 1_763_700_000.5, 4_294_967_295.999999]) frames.push(udpFrame(dns, t));
    ts += 0.000001;
  }
  for (const nanos of [false, true]) {
    const path = join(tmp, `names-${nanos}.pcap`);
    writeFileSync(path, writePcap(frames, { nanos }));
    assert.ok(await same(path, `crafted, nanos=${nanos}`) > 0);
  }
  // The escapes themselves, once, spelled out.
  const line = (await fast(join(tmp, 'names-false.pcap'))).split('\n')[8];
  assert.match(line, '"name":"ctl\\u0001\\u001f\u007f.tab\\tnl\\n"');
});

test('mutated frames: whatever still decodes is written identically', async () => {
  const seeds = ['pcapplusplus__DnsPackets.pcap', 'tcpdump__dns_tcp.pcap', 'dnscap__dns6.pcap', 'tcpdump__dnssec.pcap', 'tcpdump__edns-opts.pcap']
    .flatMap((f) => readPcapFrames(PCAP + f)).filter((f) => f.linkType === 1);
  let s = 12345;
  const rand = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 0x100000000; };
  const frames: Frame[] = [];
  for (let i = 0; i < 20_000; i++) {
    const f = seeds[i % seeds.length];
    const data = new Uint8Array(f.data);
    for (let k = 1 + Math.floor(rand() * 3); k > 0; k--) data[34 + Math.floor(rand() * (data.length - 34))] = Math.floor(rand() * 256);
    frames.push({ data, ts: f.ts + i / 7, linkType: 1 });
  }
  const path = join(tmp, 'mutated.pcap');
  writeFileSync(path, writePcap(frames));
  assert.ok(await same(path, 'mutated') > 100_000);
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
