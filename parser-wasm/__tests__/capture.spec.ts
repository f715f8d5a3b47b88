// Capture files, hand-checked bytes: pcap in both byte orders with µs and ns magics, pcapng
// SHB/IDB/EPB/SPB with if_tsresol, unknown blocks, and what is not a capture.
import { captureBegin, captureChunk, captureStatus, captureSkip } from '../assembly/capture';
import { recCount, recBase } from '../assembly/state';
import {
  CAP_END, CAP_NEED_MORE, CAP_SKIP, E_NOT_A_CAPTURE, REC_TS, KIND_SYN, CTR_FRAMES,
  R_CAPTURE_TRUNCATED, R_BAD_CAPTURE_RECORD, R_UNKNOWN_INTERFACE, R_BAD_TIMESTAMP, R_OVERSIZED_BLOCK,
} from '../assembly/layout';
import { fresh, hex, len, recKind, skips, slot } from './helpers';

// A 40-byte raw IPv4 TCP SYN 10.0.0.1:40000 -> 10.0.0.2:53
const SYN = '4500 0028 0000 4000 40 06 0000 0a000001 0a000002 9c40 0035 00000001 00000000 5002 ffff 0000 0000';

function chunk(h: string, eof: bool): i32 {
  fresh();
  captureBegin();
  hex(h);
  return captureChunk(0, <u32>len(), eof);
}

function ts(): f64 {
  return load<f64>(recBase, REC_TS);
}

describe('pcap', () => {
  it('little-endian, microseconds, DLT 228: one SYN at 1700000000.25', () => {
    // magic d4c3b2a1, v2.4, zone 0, sigfigs 0, snaplen 65535, linktype 228 (0xe4)
    const file = 'd4c3b2a1 0200 0400 00000000 00000000 ffff0000 e4000000'
      + ' 00f15365 90d00300 28000000 28000000 ' + SYN;
    expect(chunk(file, true)).toBe(len());
    expect(captureStatus()).toBe(CAP_END);
    expect(recCount).toBe(1);
    expect(recKind(0)).toBe(<u8>KIND_SYN);
    expect(ts()).toBe(1700000000.25);
  });
  it('big-endian, nanoseconds: 1700000000.000000500', () => {
    const file = 'a1b23c4d 0002 0004 00000000 00000000 0000ffff 000000e4'
      + ' 6553f100 000001f4 00000028 00000028 ' + SYN;
    expect(chunk(file, true)).toBe(len());
    expect(recCount).toBe(1);
    expect(ts()).toBeCloseTo(1700000000.0000005, 6);
  });
  it('a record that is not complete yet is left for the next chunk', () => {
    const file = 'd4c3b2a1 0200 0400 00000000 00000000 ffff0000 e4000000'
      + ' 00f15365 90d00300 28000000 28000000 4500 0028';
    expect(chunk(file, false)).toBe(24);
    expect(captureStatus()).toBe(CAP_NEED_MORE);
    expect(recCount).toBe(0);
  });
  it('a record cut by the end of the file is counted as capture-truncated', () => {
    const file = 'd4c3b2a1 0200 0400 00000000 00000000 ffff0000 e4000000'
      + ' 00f15365 90d00300 28000000 28000000 4500 0028';
    expect(chunk(file, true)).toBe(len());
    expect(skips(R_CAPTURE_TRUNCATED)).toBe(1);
    expect(slot(CTR_FRAMES)).toBe(0);
  });
  it('a caplen over 1 MiB ends the file as a bad record (framing lost)', () => {
    const file = 'd4c3b2a1 0200 0400 00000000 00000000 ffff0000 e4000000 00f15365 90d00300 00002000 00002000';
    chunk(file, true);
    expect(skips(R_BAD_CAPTURE_RECORD)).toBe(1);
    expect(captureStatus()).toBe(CAP_END);
  });
});

describe('pcapng', () => {
  // SHB: type, length 28, BOM, v1.0, section length -1, length
  const SHB = '0a0d0d0a 1c000000 4d3c2b1a 0100 0000 ffffffffffffffff 1c000000';
  // IDB: linktype 228, snaplen 65535, if_tsresol = 9 (ns), end of options; length 32
  const IDB_NS = '01000000 20000000 e400 0000 ffff0000 0900 0100 09000000 0000 0000 20000000';
  // IDB without options: microseconds by default; length 20
  const IDB_US = '01000000 14000000 e400 0000 ffff0000 14000000';

  it('EPB with if_tsresol 9: ts 1700000000.5 from 1700000000500000000 ns', () => {
    // 1700000000500000000 = 0x17979cfe_53f76500: high word fe9c9717, low word 0065f753 (LE);
    // block length 28 + 40 + 4 = 72 (0x48)
    const epb = '06000000 48000000 00000000 fe9c9717 0065f753 28000000 28000000 ' + SYN + ' 48000000';
    expect(chunk(SHB + IDB_NS + epb, true)).toBe(len());
    expect(recCount).toBe(1);
    expect(ts()).toBe(1700000000.5);
  });
  it('an unknown block is skipped; SPB uses interface 0 and has no timestamp', () => {
    const unknown = 'ad0b0000 10000000 deadbeef 10000000';
    const spb = '03000000 38000000 28000000 ' + SYN + ' 38000000';
    expect(chunk(SHB + unknown + IDB_US + spb, true)).toBe(len());
    expect(recCount).toBe(1);
    expect(ts()).toBe(0);
  });
  it('an SPB too short to hold its own length field is a bad record, not a read past the block', () => {
    chunk(SHB + IDB_US + '03000000 0c000000 0c000000', true);
    expect(recCount).toBe(0);
    expect(skips(R_BAD_CAPTURE_RECORD)).toBe(1);
  });
  it('an EPB naming an interface that was never described is counted', () => {
    const epb = '06000000 48000000 03000000 00000000 00000000 28000000 28000000 ' + SYN + ' 48000000';
    chunk(SHB + IDB_US + epb, true);
    expect(recCount).toBe(0);
    expect(skips(R_UNKNOWN_INTERFACE)).toBe(1);
  });
  it('an if_tsoffset that puts packets past any real time: skipped and counted per interface, the next interface fine', () => {
    // IDB with if_tsoffset (code 14, 8 bytes) = 0x7fffffffffffffff s; length 16 + 12 + 4 + 4 = 36 (0x24)
    const IDB_WILD = '01000000 24000000 e400 0000 ffff0000 0e00 0800 ffffffff ffffff7f 0000 0000 24000000';
    const epb0 = '06000000 48000000 00000000 00000000 01000000 28000000 28000000 ' + SYN + ' 48000000';
    const epb1 = '06000000 48000000 01000000 00000000 01000000 28000000 28000000 ' + SYN + ' 48000000';
    expect(chunk(SHB + IDB_WILD + IDB_US + epb0 + epb1, true)).toBe(len());
    expect(skips(R_BAD_TIMESTAMP)).toBe(1);
    expect(recCount).toBe(1);
  });
  it('a block length that is not a multiple of 4 ends the file as a bad record', () => {
    chunk(SHB + '01000000 13000000 e400 0000 ffff0000 14000000', true);
    expect(skips(R_BAD_CAPTURE_RECORD)).toBe(1);
    expect(captureStatus()).toBe(CAP_END);
  });
  it('a block larger than the input region asks the host to skip it', () => {
    chunk(SHB + 'ad0b0000 00000010 00000000', false);
    expect(captureStatus()).toBe(CAP_SKIP);
    expect(captureSkip()).toBe(0x10000000);
    expect(skips(R_OVERSIZED_BLOCK)).toBe(1);
  });
});

describe('not a capture', () => {
  it('text, and a file shorter than a magic number', () => {
    expect(chunk('68656c6c6f20776f726c640a', true)).toBe(E_NOT_A_CAPTURE);
    expect(chunk('d4c3', true)).toBe(E_NOT_A_CAPTURE);
  });
});
