// Builds a large classic pcap (Ethernet) of realistic DNS and TCP traffic by repeating real
// frames from fixtures/pcap and varying their addresses, ports and DNS ids.
import { openSync, writeSync, closeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createDecoder } from '../src/index.ts';
import { readPcapFrames, type Frame } from '../../fixtures/test-support/pcap-frames.ts';

const PCAP = fileURLToPath(new URL('../../fixtures/pcap/', import.meta.url));
const SOURCES = ['pcapplusplus__DnsPackets.pcap', 'tcpdump__dns_tcp.pcap', 'tcpreplay__test.pcap', 'dnscap__dns6.pcap', 'tcpdump__dns_udp.pcap', 'dnscap__vlan11.pcap', 'tcpdump__edns-opts.pcap'];

export interface SeedSet { dns: Frame[]; syn: Frame[]; other: Frame[] }

/** Real Ethernet frames from the fixtures, sorted by what the decoder makes of them. */
export async function seedFrames(): Promise<SeedSet> {
  const set: SeedSet = { dns: [], syn: [], other: [] };
  const decoder = await createDecoder();
  for (const name of SOURCES) {
    for (const f of readPcapFrames(PCAP + name)) {
      if (f.linkType !== 1) continue;
      decoder.push(f.data, f.ts, f.linkType);
      const kind = decoder.decodeBatch()[0]?.kind;
      (kind === 'dns' ? set.dns : kind === 'syn' || kind === 'synack' ? set.syn : set.other).push(f);
    }
  }
  return set;
}

/** xorshift32 */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 0x100000000; };
}

/** Where the IP header starts in an Ethernet frame (after VLAN tags), or -1. */
function ipStart(b: Uint8Array): number {
  let o = 12;
  let et = (b[o] << 8) | b[o + 1];
  while (et === 0x8100 || et === 0x88a8) { o += 4; et = (b[o] << 8) | b[o + 1]; }
  return et === 0x0800 || et === 0x86dd ? o + 2 : -1;
}

/** A copy of `f` with the client's address and port varied (and the DNS id, if any). */
export function vary(f: Frame, rand: () => number): Uint8Array {
  const b = new Uint8Array(f.data);
  const ip = ipStart(b);
  if (ip < 0) return b;
  const v6 = b[ip] >> 4 === 6;
  const l4 = v6 ? ip + 40 : ip + ((b[ip] & 15) << 2);
  const proto = v6 ? b[ip + 6] : b[ip + 9];
  if (l4 + 4 > b.length) return b;
  const sport = (b[l4] << 8) | b[l4 + 1];
  // The client is the side not on a well-known port: vary its address's last byte and its port.
  const clientIsSrc = sport > 1024;
  const addr = v6 ? (clientIsSrc ? ip + 8 + 15 : ip + 24 + 15) : clientIsSrc ? ip + 12 + 3 : ip + 16 + 3;
  b[addr] = 1 + Math.floor(rand() * 254);
  const port = 1025 + Math.floor(rand() * 64000);
  const po = clientIsSrc ? l4 : l4 + 2;
  b[po] = port >> 8;
  b[po + 1] = port & 255;
  if (proto === 17 && l4 + 10 <= b.length) {
    const id = Math.floor(rand() * 65536);
    b[l4 + 8] = id >> 8;
    b[l4 + 9] = id & 255;
  }
  return b;
}

/**
 * Writes `bytes` (at least) of pcap to `path`: DNS responses, SYN/SYN-ACKs and other frames in
 * the proportions given. Returns frame and byte counts.
 */
export async function generateCapture(path: string, bytes: number, seeds: SeedSet, mix = { dns: 0.5, syn: 0.3 }, seed = 1): Promise<{ frames: number; bytes: number }> {
  const rand = rng(seed);
  const fd = openSync(path, 'w');
  const CHUNK = 8 << 20;
  let buf = Buffer.alloc(CHUNK);
  let at = 0;
  const hdr = Buffer.alloc(24);
  hdr.writeUInt32LE(0xa1b2c3d4, 0);
  hdr.writeUInt16LE(2, 4);
  hdr.writeUInt16LE(4, 6);
  hdr.writeUInt32LE(262144, 16);
  hdr.writeUInt32LE(1, 20);
  hdr.copy(buf, 0);
  at = 24;
  let written = 0;
  let frames = 0;
  let t = 1_763_700_000 * 1e6;
  while (written + at < bytes) {
    const r = rand();
    const pool = r < mix.dns ? seeds.dns : r < mix.dns + mix.syn ? seeds.syn : seeds.other;
    const data = vary(pool[Math.floor(rand() * pool.length)], rand);
    if (at + 16 + data.length > CHUNK) {
      writeSync(fd, buf, 0, at);
      written += at;
      at = 0;
    }
    t += Math.floor(rand() * 200);
    buf.writeUInt32LE(Math.floor(t / 1e6), at);
    buf.writeUInt32LE(t % 1e6, at + 4);
    buf.writeUInt32LE(data.length, at + 8);
    buf.writeUInt32LE(data.length, at + 12);
    buf.set(data, at + 16);
    at += 16 + data.length;
    frames++;
  }
  writeSync(fd, buf, 0, at);
  written += at;
  closeSync(fd);
  buf = Buffer.alloc(0);
  return { frames, bytes: written };
}

/**
 * Writes `src` (a classic pcap) over and over to `path` until `bytes` are written, each copy's
 * timestamps shifted past the previous copy's end, so time keeps moving forward (a long capture of
 * the same cluster's traffic). Returns frame and byte counts.
 */
export function repeatCapture(src: string, path: string, bytes: number): { frames: number; bytes: number } {
  const frames = readPcapFrames(src);
  if (frames.length === 0) throw new Error(`${src}: no frames`);
  const span = Math.ceil(frames[frames.length - 1].ts - frames[0].ts) + 1;
  const fd = openSync(path, 'w');
  const hdr = Buffer.alloc(24);
  hdr.writeUInt32LE(0xa1b2c3d4, 0);
  hdr.writeUInt16LE(2, 4);
  hdr.writeUInt16LE(4, 6);
  hdr.writeUInt32LE(262144, 16);
  hdr.writeUInt32LE(frames[0].linkType, 20);
  writeSync(fd, hdr);
  let written = hdr.length;
  let n = 0;
  const rec = Buffer.alloc(16);
  for (let copy = 0; written < bytes; copy++) {
    const parts: Buffer[] = [];
    for (const f of frames) {
      const t = f.ts + copy * span;
      const sec = Math.floor(t);
      const r = Buffer.from(rec);
      r.writeUInt32LE(sec, 0);
      r.writeUInt32LE(Math.min(999_999, Math.round((t - sec) * 1e6)), 4);
      r.writeUInt32LE(f.data.length, 8);
      r.writeUInt32LE(f.data.length, 12);
      parts.push(r, Buffer.from(f.data));
    }
    const b = Buffer.concat(parts);
    writeSync(fd, b);
    written += b.length;
    n += frames.length;
  }
  closeSync(fd);
  return { frames: n, bytes: written };
}
