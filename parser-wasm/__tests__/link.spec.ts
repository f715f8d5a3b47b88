// Link layers, hand-checked bytes: where the IP header starts and which version it is.
import { parseLink } from '../assembly/link';
import { Ctx } from '../assembly/context';
import { R_TRUNCATED, R_UNSUPPORTED_LINK_TYPE, R_NOT_IP } from '../assembly/layout';
import { fresh, hex, end } from './helpers';

function ipOffset(h: string, linkType: u32): i32 {
  fresh();
  const p = hex(h);
  const r = parseLink(p, end(), linkType);
  return r < 0 ? <i32>r : <i32>(<usize>r - p);
}

describe('Ethernet (DLT 1)', () => {
  it('finds IPv4 after 14 bytes (ethertype 0x0800)', () => {
    expect(ipOffset('ffffffffffff 001122334455 0800 45', 1)).toBe(14);
    expect(Ctx.ipVer).toBe(4);
  });
  it('finds IPv6 after 14 bytes (ethertype 0x86dd)', () => {
    expect(ipOffset('ffffffffffff 001122334455 86dd 60', 1)).toBe(14);
    expect(Ctx.ipVer).toBe(6);
  });
  it('skips one 802.1Q tag', () => {
    expect(ipOffset('ffffffffffff 001122334455 8100 000b 0800 45', 1)).toBe(18);
  });
  it('skips a QinQ pair (802.1ad outer, 802.1Q inner)', () => {
    expect(ipOffset('ffffffffffff 001122334455 88a8 0064 8100 00c8 86dd 60', 1)).toBe(22);
    expect(Ctx.ipVer).toBe(6);
  });
  it('gives up after 8 tags without reading past the frame', () => {
    expect(ipOffset('ffffffffffff 001122334455 8100 0001 8100 0001 8100 0001 8100 0001 8100 0001 8100 0001 8100 0001 8100 0001 8100 0001 0800', 1)).toBe(-R_NOT_IP);
  });
  it('counts ARP as not IP', () => {
    expect(ipOffset('ffffffffffff 001122334455 0806 0001', 1)).toBe(-R_NOT_IP);
  });
  it('reports a frame shorter than the header as truncated', () => {
    expect(ipOffset('ffffffffffff 0011223344', 1)).toBe(-R_TRUNCATED);
    expect(ipOffset('ffffffffffff 001122334455 8100 00', 1)).toBe(-R_TRUNCATED);
  });
});

describe('Linux cooked captures', () => {
  it('SLL (113): 16-byte header, protocol at offset 14', () => {
    expect(ipOffset('0000 0001 0006 001122334455 0000 0800 45', 113)).toBe(16);
    expect(Ctx.ipVer).toBe(4);
  });
  it('SLL2 (276): 20-byte header, protocol at offset 0', () => {
    expect(ipOffset('86dd 0000 00000002 0001 04 06 001122334455 0000 60', 276)).toBe(20);
    expect(Ctx.ipVer).toBe(6);
  });
  it('SLL shorter than 16 bytes is truncated', () => {
    expect(ipOffset('0000 0001 0006 0011', 113)).toBe(-R_TRUNCATED);
  });
});

describe('raw IP and loopback', () => {
  it('RAW (101 and 12) reads the version nibble', () => {
    expect(ipOffset('45000014', 101)).toBe(0);
    expect(Ctx.ipVer).toBe(4);
    expect(ipOffset('60000000', 12)).toBe(0);
    expect(Ctx.ipVer).toBe(6);
    expect(ipOffset('50000000', 101)).toBe(-R_NOT_IP);
  });
  it('IPV4 (228) and IPV6 (229) say the version themselves', () => {
    expect(ipOffset('45', 228)).toBe(0);
    expect(Ctx.ipVer).toBe(4);
    expect(ipOffset('60', 229)).toBe(0);
    expect(Ctx.ipVer).toBe(6);
  });
  it('NULL (0): AF_INET little-endian, AF_INET6 as Darwin (30) big-endian', () => {
    expect(ipOffset('02000000 45', 0)).toBe(4);
    expect(Ctx.ipVer).toBe(4);
    expect(ipOffset('0000001e 60', 0)).toBe(4);
    expect(Ctx.ipVer).toBe(6);
    expect(ipOffset('18000000 60', 0)).toBe(4); // NetBSD/OpenBSD AF_INET6 = 24
    expect(Ctx.ipVer).toBe(6);
  });
  it('NULL with an ethertype in bytes 2-3 (as in pcapplusplus null_loopback frame 3)', () => {
    expect(ipOffset('0f000800 45', 0)).toBe(4);
    expect(Ctx.ipVer).toBe(4);
  });
  it('LOOP (108) is always network order', () => {
    expect(ipOffset('00000002 45', 108)).toBe(4);
    expect(ipOffset('02000000 45', 108)).toBe(-R_NOT_IP);
  });
});

describe('other link types', () => {
  it('NFLOG (239) and 802.11 radiotap (127) are unsupported', () => {
    expect(ipOffset('0200000008000100', 239)).toBe(-R_UNSUPPORTED_LINK_TYPE);
    expect(ipOffset('00001200', 127)).toBe(-R_UNSUPPORTED_LINK_TYPE);
  });
});
