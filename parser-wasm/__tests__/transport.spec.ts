// UDP and TCP through whole frames (raw IPv4, DLT 228), hand-checked bytes: SYN/SYN-ACK records,
// DNS over UDP and TCP, and the per-frame accounting (frames = decoded + skipped - non-frame).
import { decodeFrame } from '../assembly/frame';
import { recCount, recBase } from '../assembly/state';
import {
  KIND_DNS, KIND_SYN, KIND_SYNACK, REC_SPORT, REC_DPORT, REC_TRANSPORT, REC_SRC, REC_DST, REC_TS,
  CTR_FRAMES, CTR_FRAMES_DECODED, CTR_NON_FRAME_SKIPS, R_NOT_DNS_OR_SYN, R_BAD_UDP_HEADER,
  R_BAD_TCP_HEADER, R_DNS_TCP_PARTIAL, R_DNS_QUERY, R_TRUNCATED,
} from '../assembly/layout';
import { fresh, hex, len, recKind, recName, skips, slot } from './helpers';

function frame(h: string): void {
  fresh();
  const p = hex(h);
  decodeFrame(p, <u32>len(), 228, 1700000000.5, 0);
}

// 10.0.0.1 -> 10.0.0.2, protocol 6 (TCP), total length 40
const IP_TCP_40 = '4500 0028 0000 4000 40 06 0000 0a000001 0a000002';
// TCP 40000 -> 53, seq 1, ack 0, data offset 5, flags at the end of the 4th word
function tcp(flags: string): string {
  return '9c40 0035 00000001 00000000 50' + flags + ' ffff 0000 0000';
}

describe('TCP SYN and SYN-ACK (RFC 9293 §3.1)', () => {
  it('SYN (0x02) gives a syn record with addresses, ports and the timestamp', () => {
    frame(IP_TCP_40 + tcp('02'));
    expect(recCount).toBe(1);
    expect(recKind(0)).toBe(<u8>KIND_SYN);
    expect(load<u16>(recBase, REC_SPORT)).toBe(40000);
    expect(load<u16>(recBase, REC_DPORT)).toBe(53);
    expect(load<u8>(recBase, REC_TRANSPORT)).toBe(6);
    expect(load<u32>(recBase, REC_SRC)).toBe(0x0100000a); // 10.0.0.1 in network order
    expect(load<u32>(recBase, REC_DST)).toBe(0x0200000a);
    expect(load<f64>(recBase, REC_TS)).toBe(1700000000.5);
    expect(slot(CTR_FRAMES_DECODED)).toBe(1);
  });
  it('SYN-ACK (0x12) gives a synack record', () => {
    frame(IP_TCP_40 + tcp('12'));
    expect(recKind(0)).toBe(<u8>KIND_SYNACK);
  });
  it('a bare ACK is not interesting; a data offset below 5 is malformed', () => {
    frame(IP_TCP_40 + tcp('10'));
    expect(recCount).toBe(0);
    expect(skips(R_NOT_DNS_OR_SYN)).toBe(1);
    frame(IP_TCP_40 + '9c40 0035 00000001 00000000 4010 ffff 0000 0000');
    expect(skips(R_BAD_TCP_HEADER)).toBe(1);
  });
  it('a TCP header cut short is truncated', () => {
    frame('4500 0028 0000 4000 40 06 0000 0a000001 0a000002 9c40 0035 0000');
    expect(skips(R_TRUNCATED)).toBe(1);
  });
});

// A DNS response for "a." with one A answer 1.2.3.4: 12 + 7 + 16 = 35 bytes
const DNS_A = '0001 8180 0001 0001 0000 0000 0161 00 0001 0001 c00c 0001 0001 0000003c 0004 01020304';
const DNS_Q = '0002 0100 0001 0000 0000 0000 0162 00 0001 0001';

describe('DNS over UDP (RFC 768) and TCP (RFC 1035 §4.2.2)', () => {
  it('UDP from port 53: one dns record', () => {
    // IP total 20 + 8 + 35 = 63 = 0x3f; UDP length 43 = 0x2b
    frame('4500 003f 0000 4000 40 11 0000 0a000002 0a000001 0035 c350 002b 0000 ' + DNS_A);
    expect(recCount).toBe(1);
    expect(recKind(0)).toBe(<u8>KIND_DNS);
    expect(recName(0)).toBe('a');
    expect(load<u8>(recBase, REC_TRANSPORT)).toBe(17);
  });
  it('UDP not on port 53 is not interesting', () => {
    frame('4500 003f 0000 4000 40 11 0000 0a000002 0a000001 14e9 14e9 002b 0000 ' + DNS_A);
    expect(skips(R_NOT_DNS_OR_SYN)).toBe(1);
  });
  it('a UDP length beyond the IP packet, or below 8, is malformed', () => {
    frame('4500 003f 0000 4000 40 11 0000 0a000002 0a000001 0035 c350 0040 0000 ' + DNS_A);
    expect(skips(R_BAD_UDP_HEADER)).toBe(1);
    frame('4500 003f 0000 4000 40 11 0000 0a000002 0a000001 0035 c350 0004 0000 ' + DNS_A);
    expect(skips(R_BAD_UDP_HEADER)).toBe(1);
  });
  it('Ethernet-style padding after the IP packet is ignored', () => {
    frame('4500 003f 0000 4000 40 11 0000 0a000002 0a000001 0035 c350 002b 0000 ' + DNS_A + ' 000000000000');
    expect(recCount).toBe(1);
  });
  it('TCP: two length-prefixed responses in one segment give two records', () => {
    // 20 + 20 + 2 + 35 + 2 + 35 = 114 = 0x72
    frame('4500 0072 0000 4000 40 06 0000 0a000002 0a000001 0035 9c40 00000001 00000001 5018 ffff 0000 0000 0023 ' + DNS_A + ' 0023 ' + DNS_A);
    expect(recCount).toBe(2);
    expect(slot(CTR_FRAMES)).toBe(1);
    expect(slot(CTR_FRAMES_DECODED)).toBe(1);
  });
  it('TCP: a response then a query in one segment: one record, the query counted as a non-frame skip', () => {
    // 20 + 20 + 37 + 2 + 17 = 96 = 0x60
    frame('4500 0060 0000 4000 40 06 0000 0a000002 0a000001 0035 9c40 00000001 00000001 5018 ffff 0000 0000 0023 ' + DNS_A + ' 0011 ' + DNS_Q);
    expect(recCount).toBe(1);
    expect(skips(R_DNS_QUERY)).toBe(1);
    expect(slot(CTR_NON_FRAME_SKIPS)).toBe(1);
  });
  it('TCP: a message longer than the segment is a partial message', () => {
    // length prefix says 0x40 but 35 bytes follow; 20 + 20 + 37 = 77 = 0x4d
    frame('4500 004d 0000 4000 40 06 0000 0a000002 0a000001 0035 9c40 00000001 00000001 5018 ffff 0000 0000 0040 ' + DNS_A);
    expect(recCount).toBe(0);
    expect(skips(R_DNS_TCP_PARTIAL)).toBe(1);
    expect(slot(CTR_FRAMES)).toBe(1);
    expect(slot(CTR_FRAMES_DECODED)).toBe(0);
  });
});

describe('output areas filling up', () => {
  it('a frame that does not fit is rolled back whole and reported, to be decoded again', () => {
    fresh();
    const p = hex(IP_TCP_40 + tcp('02'));
    let accepted = 0;
    while (decodeFrame(p, <u32>len(), 228, 1.0, accepted)) {
      accepted++;
      if (accepted > 100000) break;
    }
    // The spec helpers reserve 8192 record slots.
    expect(accepted).toBe(8192);
    expect(recCount).toBe(8192);
    expect(slot(CTR_FRAMES)).toBe(8192);
    expect(slot(CTR_FRAMES_DECODED)).toBe(8192);
  });
});
