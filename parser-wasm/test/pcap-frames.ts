// Test helper: the frames of a classic pcap file, read in JS (independently of the WASM reader),
// and a writer for classic pcap/pcapng so tests can build captures from those frames.
import { readFileSync } from 'node:fs';

export interface Frame { data: Uint8Array; ts: number; linkType: number }

export function readPcapFrames(path: string): Frame[] {
  const b = readFileSync(path);
  const magic = b.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const u32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const m = u32(0);
  if (m !== 0xa1b2c3d4 && m !== 0xa1b23c4d) throw new Error(`${path}: not a classic pcap`);
  const div = m === 0xa1b23c4d ? 1e9 : 1e6;
  const linkType = u32(20) & 0x03ffffff;
  const frames: Frame[] = [];
  for (let o = 24; o + 16 <= b.length; ) {
    const len = u32(o + 8);
    frames.push({ data: new Uint8Array(b.subarray(o + 16, o + 16 + len)), ts: u32(o) + u32(o + 4) / div, linkType });
    o += 16 + len;
  }
  return frames;
}

/** A classic pcap (one link type), microsecond or nanosecond magic, either byte order. */
export function writePcap(frames: Frame[], opts: { bigEndian?: boolean; nanos?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  const w32 = (buf: Buffer, v: number, o: number) => (opts.bigEndian ? buf.writeUInt32BE(v >>> 0, o) : buf.writeUInt32LE(v >>> 0, o));
  const w16 = (buf: Buffer, v: number, o: number) => (opts.bigEndian ? buf.writeUInt16BE(v, o) : buf.writeUInt16LE(v, o));
  const h = Buffer.alloc(24);
  w32(h, opts.nanos ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  w16(h, 2, 4);
  w16(h, 4, 6);
  w32(h, 262144, 16);
  w32(h, frames[0]?.linkType ?? 1, 20);
  parts.push(h);
  const div = opts.nanos ? 1e9 : 1e6;
  for (const f of frames) {
    const r = Buffer.alloc(16);
    const sec = Math.floor(f.ts);
    w32(r, sec, 0);
    w32(r, Math.round((f.ts - sec) * div), 4);
    w32(r, f.data.length, 8);
    w32(r, f.data.length, 12);
    parts.push(r, Buffer.from(f.data));
  }
  return Buffer.concat(parts);
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

/**
 * A little-endian pcapng: one SHB, one IDB per distinct link type (with if_tsresol = 10^-tsresol),
 * EPBs with timestamps in those units; `unknownBlock` inserts a custom block (type 0x0BAD) first.
 */
export function writePcapng(frames: Frame[], opts: { tsresol?: number; unknownBlock?: boolean } = {}): Buffer {
  const tsresol = opts.tsresol ?? 6;
  const parts: Buffer[] = [];
  const block = (type: number, body: Buffer) => {
    const len = 12 + pad4(body.length);
    const b = Buffer.alloc(len);
    b.writeUInt32LE(type, 0);
    b.writeUInt32LE(len, 4);
    body.copy(b, 8);
    b.writeUInt32LE(len, len - 4);
    parts.push(b);
  };
  const shb = Buffer.alloc(16);
  shb.writeUInt32LE(0x1a2b3c4d, 0);
  shb.writeUInt16LE(1, 4);
  shb.writeBigInt64LE(-1n, 8);
  block(0x0a0d0d0a, shb);
  if (opts.unknownBlock) block(0x0bad, Buffer.from('ignore me, please'));
  const ifaces = [...new Set(frames.map((f) => f.linkType))];
  for (const lt of ifaces) {
    const idb = Buffer.alloc(8 + 8 + 4);
    idb.writeUInt16LE(lt, 0);
    idb.writeUInt32LE(262144, 4);
    idb.writeUInt16LE(9, 8); // if_tsresol
    idb.writeUInt16LE(1, 10);
    idb.writeUInt8(tsresol, 12);
    idb.writeUInt16LE(0, 16); // opt_endofopt
    block(1, idb);
  }
  const units = 10n ** BigInt(tsresol);
  for (const f of frames) {
    const body = Buffer.alloc(20 + pad4(f.data.length));
    const sec = Math.floor(f.ts);
    const frac = BigInt(Math.round((f.ts - sec) * Number(units)));
    const t = BigInt(sec) * units + frac;
    body.writeUInt32LE(ifaces.indexOf(f.linkType), 0);
    body.writeUInt32LE(Number(t >> 32n), 4);
    body.writeUInt32LE(Number(t & 0xffffffffn), 8);
    body.writeUInt32LE(f.data.length, 12);
    body.writeUInt32LE(f.data.length, 16);
    Buffer.from(f.data).copy(body, 20);
    block(6, body);
  }
  return Buffer.concat(parts);
}
