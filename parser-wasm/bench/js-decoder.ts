// The pure-JS baseline: the same link/IP/UDP/TCP walk in JavaScript, DNS by dns-packet, records
// with the same fields as `netmapper decode` prints (Ethernet captures only).
import dnsPacket from 'dns-packet';

export interface JsCounts { frames: number; dns: number; syn: number; synack: number; errors: number; answers: number }

export interface JsAnswer { name: string; type: string; value: string; ttl: number }
/** What the JS baseline makes per record: the fields of the WASM decoder's records, in their order. */
export interface JsRecord {
  kind: string; ts: number; src: string; dst: string; sport: number; dport: number; transport: string;
  name?: string; rcode?: number; answers?: JsAnswer[];
}

const v4 = (b: Buffer, o: number) => `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
function v6(b: Buffer, o: number): string {
  const g: string[] = [];
  for (let i = 0; i < 16; i += 2) g.push(b.readUInt16BE(o + i).toString(16));
  return g.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

const DNS_QR = 0x80;
const TCP_SYN = 0x02;
const TCP_ACK = 0x10;

export function jsDecodeFrame(b: Buffer, linkType: number, ts: number, c: JsCounts, out?: JsRecord[]): void {
  c.frames++;
  if (linkType !== 1 || b.length < 14) return;
  let o = 12;
  let et = b.readUInt16BE(o);
  while (et === 0x8100 || et === 0x88a8) { o += 4; if (o + 2 > b.length) return; et = b.readUInt16BE(o); }
  o += 2;
  let proto: number;
  let l4: number;
  let end: number;
  const ip = o;
  if (et === 0x0800) {
    if (o + 20 > b.length) return;
    const ihl = (b[o] & 15) << 2;
    if ((b.readUInt16BE(o + 6) & 0x3fff) !== 0) return;
    proto = b[o + 9];
    l4 = o + ihl;
    end = Math.min(b.length, o + b.readUInt16BE(o + 2));
  } else if (et === 0x86dd) {
    if (o + 40 > b.length) return;
    proto = b[o + 6];
    l4 = o + 40;
    end = Math.min(b.length, l4 + b.readUInt16BE(o + 4));
  } else return;
  if (l4 + 8 > end) return;
  const sport = b.readUInt16BE(l4);
  const dport = b.readUInt16BE(l4 + 2);
  const src = () => (et === 0x0800 ? v4(b, ip + 12) : v6(b, ip + 8));
  const dst = () => (et === 0x0800 ? v4(b, ip + 16) : v6(b, ip + 24));
  if (proto === 6) {
    if (l4 + 20 > end) return;
    const flags = b[l4 + 13];
    if (flags & TCP_SYN) {
      if (flags & TCP_ACK) c.synack++; else c.syn++;
      out?.push({ kind: flags & TCP_ACK ? 'synack' : 'syn', ts, src: src(), dst: dst(), sport, dport, transport: 'tcp' });
      return;
    }
    if (sport !== 53 && dport !== 53) return;
    let q = l4 + ((b[l4 + 12] >> 4) << 2);
    while (q + 2 <= end) {
      const len = b.readUInt16BE(q);
      if (q + 2 + len > end) break;
      dnsMessage(b.subarray(q + 2, q + 2 + len), c, out, { kind: 'dns', ts, src: '', dst: '', sport, dport, transport: 'tcp' }, src, dst);
      q += 2 + len;
    }
  } else if (proto === 17) {
    if (sport !== 53 && dport !== 53) return;
    dnsMessage(b.subarray(l4 + 8, end), c, out, { kind: 'dns', ts, src: '', dst: '', sport, dport, transport: 'udp' }, src, dst);
  }
}

function dnsMessage(m: Buffer, c: JsCounts, out: JsRecord[] | undefined, head: JsRecord, src: () => string, dst: () => string): void {
  if (m.length < 12 || (m[2] & DNS_QR) === 0) return;
  try {
    const p = dnsPacket.decode(m);
    c.dns++;
    const answers: JsAnswer[] = [];
    for (const a of p.answers ?? []) {
      if (a.type === 'A' || a.type === 'AAAA' || a.type === 'CNAME') {
        c.answers++;
        answers.push({ name: a.name.toLowerCase(), type: a.type, value: String(a.data).toLowerCase(), ttl: a.ttl ?? 0 });
      }
    }
    if (out) {
      head.src = src();
      head.dst = dst();
      head.name = (p.questions?.[0]?.name ?? '').toLowerCase();
      head.rcode = m[3] & 0x0f;
      head.answers = answers;
      out.push(head);
    }
  } catch {
    c.errors++;
  }
}

export function emptyJsCounts(): JsCounts {
  return { frames: 0, dns: 0, syn: 0, synack: 0, errors: 0, answers: 0 };
}
