// DNS messages, hand-checked bytes (RFC 1035 §4.1): names, compression, answers, and every
// malformation the decoder must skip and count.
import { parseDns } from '../assembly/dns';
import { Ctx } from '../assembly/context';
import {
  R_DNS_QUERY, R_DNS_TRUNCATED, R_DNS_BAD_COUNT, R_DNS_POINTER_LOOP, R_DNS_BAD_POINTER,
  R_DNS_LABEL_TOO_LONG, R_DNS_NAME_TOO_LONG, R_DNS_BAD_RDATA, KIND_DNS,
} from '../assembly/layout';
import { recCount, nameUsed } from '../assembly/state';
import { fresh, hex, end, recKind, recName, recAnswers, ansType, ansName, ansTtl, ansValue } from './helpers';

function dns(h: string): i32 {
  fresh();
  const p = hex(h);
  const addr = memory.data(16);
  Ctx.ipVer = 4;
  Ctx.src = addr;
  Ctx.dst = addr;
  Ctx.proto = 17;
  return parseDns(p, end());
}

// Header: id 1234, flags 8180 (response, RD, RA, rcode 0).
const HDR_RESP = '1234 8180';
// Question: www.example.com A IN
const Q_WWW = '03 777777 07 6578616d706c65 03 636f6d 00 0001 0001';

describe('DNS responses', () => {
  it('one A answer via a pointer to the question (c00c)', () => {
    expect(dns(HDR_RESP + ' 0001 0001 0000 0000 ' + Q_WWW + ' c00c 0001 0001 0000012c 0004 5db8d822')).toBe(0);
    expect(recCount).toBe(1);
    expect(recKind(0)).toBe(<u8>KIND_DNS);
    expect(recName(0)).toBe('www.example.com');
    expect(recAnswers(0)).toBe(1);
    expect(ansType(0, 0)).toBe(1);
    expect(ansName(0, 0)).toBe('www.example.com');
    expect(ansTtl(0, 0)).toBe(300);
    expect(ansValue(0, 0)).toBe('93.184.216.34');
  });
  it('a CNAME chain in wire order, with a suffix pointer inside the CNAME target', () => {
    // www.example.com CNAME web.example.com (web + pointer to "example.com" at 0x10), web... A 10.0.0.9
    const msg = HDR_RESP + ' 0001 0002 0000 0000 ' + Q_WWW
      + ' c00c 0005 0001 00000e10 0006 03776562 c010'
      + ' c02d 0001 0001 0000003c 0004 0a000009';
    expect(dns(msg)).toBe(0);
    expect(recAnswers(0)).toBe(2);
    expect(ansType(0, 0)).toBe(5);
    expect(ansValue(0, 0)).toBe('web.example.com');
    expect(ansTtl(0, 0)).toBe(3600);
    expect(ansName(0, 1)).toBe('web.example.com');
    expect(ansValue(0, 1)).toBe('10.0.0.9');
  });
  it('a pointer to a name already decoded reuses its bytes; a pointer into its middle is decoded', () => {
    // Three A answers: owners c00c, c00c (the question again) and c010 ("example.com", a suffix).
    const msg = HDR_RESP + ' 0001 0003 0000 0000 ' + Q_WWW
      + ' c00c 0001 0001 0000003c 0004 0a000001'
      + ' c00c 0001 0001 0000003c 0004 0a000002'
      + ' c010 0001 0001 0000003c 0004 0a000003';
    expect(dns(msg)).toBe(0);
    expect(recAnswers(0)).toBe(3);
    expect(ansName(0, 0)).toBe('www.example.com');
    expect(ansName(0, 1)).toBe('www.example.com');
    expect(ansName(0, 2)).toBe('example.com');
    expect(ansValue(0, 2)).toBe('10.0.0.3');
    expect(nameUsed).toBe(15 + 11); // the question's name once, the suffix once
  });
  it('an owner pointing back at the question after a CNAME target is not stored again', () => {
    // www.example.com CNAME web.example.com (web + c010), then www.example.com (c00c) A 10.0.0.5.
    const msg = HDR_RESP + ' 0001 0002 0000 0000 ' + Q_WWW
      + ' c00c 0005 0001 0000003c 0006 03776562 c010'
      + ' c00c 0001 0001 0000003c 0004 0a000005';
    expect(dns(msg)).toBe(0);
    expect(recAnswers(0)).toBe(2);
    expect(ansValue(0, 0)).toBe('web.example.com');
    expect(ansName(0, 1)).toBe('www.example.com');
    expect(ansValue(0, 1)).toBe('10.0.0.5');
    expect(nameUsed).toBe(15 + 15);
  });
  it('a pointer to a name left out with its answer (an MX target) is decoded, not taken from a cache', () => {
    // MX 10 mail.example.com (mail + c010) at 0x2d; then an A answer owned by c02f (that target).
    const msg = HDR_RESP + ' 0001 0002 0000 0000 ' + Q_WWW
      + ' c00c 000f 0001 00000064 0009 000a 046d61696c c010'
      + ' c02f 0001 0001 0000003c 0004 0a000004';
    expect(dns(msg)).toBe(0);
    expect(recAnswers(0)).toBe(1);
    expect(ansName(0, 0)).toBe('mail.example.com');
    expect(ansValue(0, 0)).toBe('10.0.0.4');
  });
  it('AAAA answers; other types (MX) are left out; names lower-cased (RFC 4343)', () => {
    const msg = HDR_RESP + ' 0001 0002 0000 0000 03 575757 07 4558414d504c45 03 434f4d 00 001c 0001'
      + ' c00c 000f 0001 00000064 0004 000a c00c'
      + ' c00c 001c 0001 00000064 0010 20010db8000000000000000000000001';
    expect(dns(msg)).toBe(0);
    expect(recName(0)).toBe('www.example.com');
    expect(recAnswers(0)).toBe(1);
    expect(ansType(0, 0)).toBe(28);
    expect(ansValue(0, 0)).toBe('20010db8000000000000000000000001');
  });
  it('rcode comes from the header (NXDOMAIN = 3), no answers', () => {
    expect(dns('1234 8183 0001 0000 0000 0000 ' + Q_WWW)).toBe(0);
    expect(recAnswers(0)).toBe(0);
  });
  it('a TTL with the top bit set is read as 0 (RFC 2181 §8), the largest legal one kept', () => {
    expect(dns(HDR_RESP + ' 0001 0002 0000 0000 ' + Q_WWW + ' c00c 0001 0001 80000000 0004 5db8d822 c00c 0001 0001 7fffffff 0004 5db8d823')).toBe(0);
    expect(recAnswers(0)).toBe(2);
    expect(ansTtl(0, 0)).toBe(0);
    expect(ansTtl(0, 1)).toBe(0x7fffffff);
  });
  it('an answer owned by the root name is kept as data (empty owner)', () => {
    // Question: "." A IN; answer owned by the root, 1.2.3.4.
    expect(dns(HDR_RESP + ' 0001 0001 0000 0000 00 0001 0001 00 0001 0001 0000003c 0004 01020304')).toBe(0);
    expect(recCount).toBe(1);
    expect(recName(0)).toBe('');
    expect(recAnswers(0)).toBe(1);
    expect(ansName(0, 0)).toBe('');
    expect(ansValue(0, 0)).toBe('1.2.3.4');
  });
  it('no question: the queried name is empty', () => {
    expect(dns('1234 8180 0000 0000 0000 0000')).toBe(0);
    expect(recName(0)).toBe('');
  });
});

describe('DNS input that is skipped and counted', () => {
  it('a query (QR=0) is not a response', () => {
    expect(dns('1234 0100 0001 0000 0000 0000 ' + Q_WWW)).toBe(-R_DNS_QUERY);
    expect(recCount).toBe(0);
  });
  it('a header shorter than 12 bytes, and an answer cut short', () => {
    expect(dns('1234 8180 0001 00')).toBe(-R_DNS_TRUNCATED);
    expect(dns(HDR_RESP + ' 0001 0001 0000 0000 ' + Q_WWW + ' c00c 0001 0001 0000012c 0004 5db8')).toBe(-R_DNS_TRUNCATED);
    expect(recCount).toBe(0);
  });
  it('counts that cannot fit the message (25528 questions in 45 bytes)', () => {
    expect(dns('1234 8180 63b8 0000 0000 0000 ' + Q_WWW)).toBe(-R_DNS_BAD_COUNT);
  });
  it('a pointer to itself is a loop (RFC 1035 §4.1.4: pointers go to prior names)', () => {
    expect(dns(HDR_RESP + ' 0001 0000 0000 0000 c00c 0001 0001')).toBe(-R_DNS_POINTER_LOOP);
  });
  it('two pointers pointing at each other are a loop', () => {
    // the answer owner at 12 points back to 10 (the ARCOUNT field, c00c), which points to 12 again
    expect(dns(HDR_RESP + ' 0000 0001 0000 c00c  c00a 0001 0001 00000001 0004 01020304')).toBe(-R_DNS_POINTER_LOOP);
  });
  it('a forward pointer and a pointer past the message are bad pointers', () => {
    expect(dns(HDR_RESP + ' 0001 0000 0000 0000 c012 0001 0001 01 61 00')).toBe(-R_DNS_BAD_POINTER);
    expect(dns(HDR_RESP + ' 0001 0000 0000 0000 cfff 0001 0001')).toBe(-R_DNS_BAD_POINTER);
  });
  it('a label length of 64 (0x40) is past the 63-byte limit (RFC 1035 §2.3.4)', () => {
    expect(dns(HDR_RESP + ' 0001 0000 0000 0000 40 61 00 0001 0001')).toBe(-R_DNS_LABEL_TOO_LONG);
    expect(dns(HDR_RESP + ' 0001 0000 0000 0000 81 61 00 0001 0001')).toBe(-R_DNS_LABEL_TOO_LONG);
  });
  it('a name longer than 255 bytes on the wire (five 63-byte labels = 321)', () => {
    let label = '3f';
    for (let i = 0; i < 63; i++) label += '61';
    let name = '';
    for (let i = 0; i < 5; i++) name += label;
    expect(dns(HDR_RESP + ' 0001 0000 0000 0000 ' + name + ' 00 0001 0001')).toBe(-R_DNS_NAME_TOO_LONG);
  });
  it('a 253-character name (255 bytes on the wire) is still fine', () => {
    let label = '3f';
    for (let i = 0; i < 63; i++) label += '61';
    let last = '3d';
    for (let i = 0; i < 61; i++) last += '62';
    expect(dns(HDR_RESP + ' 0001 0000 0000 0000 ' + label + label + label + last + ' 00 0001 0001')).toBe(0);
    expect(recName(0).length).toBe(253);
  });
  it('an A record with 5 bytes of RDATA, and a CNAME whose name overruns its RDATA', () => {
    expect(dns(HDR_RESP + ' 0001 0001 0000 0000 ' + Q_WWW + ' c00c 0001 0001 0000012c 0005 5db8d82200')).toBe(-R_DNS_BAD_RDATA);
    expect(dns(HDR_RESP + ' 0001 0001 0000 0000 ' + Q_WWW + ' c00c 0005 0001 0000012c 0002 03776562 c010')).toBe(-R_DNS_BAD_RDATA);
    expect(recCount).toBe(0);
  });
});
