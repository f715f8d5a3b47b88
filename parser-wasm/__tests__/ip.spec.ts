// IPv4 and IPv6 headers, hand-checked bytes: payload offset, protocol, fragments, extension headers.
import { parseIpv4, parseIpv6 } from '../assembly/ip';
import { Ctx } from '../assembly/context';
import { R_TRUNCATED, R_BAD_IP_HEADER, R_IP_FRAGMENT, R_BAD_IPV6_EXT_HEADER, R_NOT_DNS_OR_SYN } from '../assembly/layout';
import { fresh, hex, end } from './helpers';

function v4(h: string): i32 {
  fresh();
  const p = hex(h);
  const r = parseIpv4(p, end());
  return r < 0 ? <i32>r : <i32>(<usize>r - p);
}

function v6(h: string): i32 {
  fresh();
  const p = hex(h);
  const r = parseIpv6(p, end());
  return r < 0 ? <i32>r : <i32>(<usize>r - p);
}

// 10.0.0.1 -> 10.0.0.2
const V4_ADDRS = '0a000001 0a000002';
// ::1 -> 2001:db8::53
const V6_ADDRS = '00000000000000000000000000000001 20010db8000000000000000000000053';

describe('IPv4 (RFC 791)', () => {
  it('20-byte header: payload at 20, protocol and addresses read', () => {
    expect(v4('4500 001c 1234 4000 40 11 0000 ' + V4_ADDRS + ' 0035 0035 0008 0000')).toBe(20);
    expect(Ctx.proto).toBe(17);
    expect(load<u8>(Ctx.src, 3)).toBe(1);
    expect(load<u8>(Ctx.dst, 3)).toBe(2);
  });
  it('IHL 6 (one option word): payload at 24', () => {
    expect(v4('4600 0020 0000 0000 40 06 0000 ' + V4_ADDRS + ' 01010101 00000000')).toBe(24);
    expect(Ctx.proto).toBe(6);
  });
  it('rejects IHL below 5, a total length below the header, and version 5', () => {
    expect(v4('4400 0014 0000 0000 40 11 0000 ' + V4_ADDRS)).toBe(-R_BAD_IP_HEADER);
    expect(v4('4500 0010 0000 0000 40 11 0000 ' + V4_ADDRS)).toBe(-R_BAD_IP_HEADER);
    expect(v4('5500 0014 0000 0000 40 11 0000 ' + V4_ADDRS)).toBe(-R_BAD_IP_HEADER);
  });
  it('skips first fragments (MF) and later fragments (offset), keeps DF', () => {
    expect(v4('4500 0014 0000 2000 40 11 0000 ' + V4_ADDRS)).toBe(-R_IP_FRAGMENT);
    expect(v4('4500 0014 0000 00b9 40 11 0000 ' + V4_ADDRS)).toBe(-R_IP_FRAGMENT);
    expect(v4('4500 0014 0000 4000 40 11 0000 ' + V4_ADDRS)).toBe(20);
  });
  it('reports headers cut short as truncated', () => {
    expect(v4('4500 0014 0000 0000 40 11')).toBe(-R_TRUNCATED);
    expect(v4('4f00 0050 0000 0000 40 11 0000 ' + V4_ADDRS + ' 00000000')).toBe(-R_TRUNCATED);
  });
});

describe('IPv6 (RFC 8200)', () => {
  it('no extension headers: payload at 40', () => {
    expect(v6('60000000 0008 11 40 ' + V6_ADDRS + ' 0035 0035 0008 0000')).toBe(40);
    expect(Ctx.proto).toBe(17);
    expect(load<u8>(Ctx.src, 15)).toBe(1);
    expect(load<u8>(Ctx.dst, 15)).toBe(0x53);
  });
  it('walks hop-by-hop (8 bytes) then destination options (16 bytes) to TCP', () => {
    expect(v6('60000000 0020 00 40 ' + V6_ADDRS + ' 3c00 0000 0000 0000  0601 0000 0000 0000 0000 0000 0000 0000 ' + '0000000000000000')).toBe(64);
    expect(Ctx.proto).toBe(6);
  });
  it('hop-by-hop made only of Pad1/PadN options still advances (no zero-length loop)', () => {
    expect(v6('60000000 0010 00 40 ' + V6_ADDRS + ' 1100 0000 0000 0000 0035 0035 0008 0000')).toBe(48);
    expect(Ctx.proto).toBe(17);
  });
  it('an atomic fragment header (offset 0, M 0) is decoded, a real fragment skipped', () => {
    expect(v6('60000000 0010 2c 40 ' + V6_ADDRS + ' 1100 0000 12345678 0035 0035 0008 0000')).toBe(48);
    expect(v6('60000000 0010 2c 40 ' + V6_ADDRS + ' 1100 0001 12345678 0035 0035 0008 0000')).toBe(-R_IP_FRAGMENT);
    expect(v6('60000000 0010 2c 40 ' + V6_ADDRS + ' 1100 0100 12345678 0035 0035 0008 0000')).toBe(-R_IP_FRAGMENT);
  });
  it('AH length is in 4-octet units minus 2 (RFC 4302): 12 bytes here', () => {
    expect(v6('60000000 0014 33 40 ' + V6_ADDRS + ' 1101 0000 00000001 00000001 0035 0035 0008 0000')).toBe(52);
  });
  it('ESP and No Next Header are not DNS or SYN', () => {
    expect(v6('60000000 0008 32 40 ' + V6_ADDRS + ' 0000000100000001')).toBe(-R_NOT_DNS_OR_SYN);
    expect(v6('60000000 0000 3b 40 ' + V6_ADDRS)).toBe(-R_NOT_DNS_OR_SYN);
  });
  it('more than 16 extension headers is malformed', () => {
    let chain = '';
    for (let i = 0; i < 17; i++) chain += '3c00 0000 0000 0000 ';
    expect(v6('60000000 0088 3c 40 ' + V6_ADDRS + chain + '0035 0035 0008 0000')).toBe(-R_BAD_IPV6_EXT_HEADER);
  });
  it('an extension header running past the frame is truncated; version 4 is a bad header', () => {
    expect(v6('60000000 0010 00 40 ' + V6_ADDRS + ' 1101 0000')).toBe(-R_TRUNCATED);
    expect(v6('40000000 0000 3b 40 ' + V6_ADDRS)).toBe(-R_BAD_IP_HEADER);
  });
});
