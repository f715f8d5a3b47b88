// The pure-JS baseline: the same link/IP/UDP/TCP walk in JavaScript, DNS by dns-packet.
import dnsPacket from 'dns-packet';

export interface JsCounts { frames: number; dns: number; syn: number; synack: number; errors: number; answers: number }

/** What the JS baseline makes per record: the same fields as the WASM decoder's records. */
export interface JsRecord { kind: string; src: string; dst: string; sport: number; dport: number; name?: string; answers?: { name: string; type: string; value: string; ttl: number }[] }

const v4 = (b: Buffer, o: number) => `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
function v6(b: Buffer, o: number): string {
  const g: string[] = [];
  for (let i = 0; i < 16; i += 2) g.push(b.readUInt16BE(o + i).toString(16));
  return g.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

export function jsDecodeFrame(b: Buffer, linkType: number, c: JsCounts, out?: JsRecord[]): void {
  c.frames++;
  if (linkType !== 1) return;
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
  const addr = () => (et === 0x0800 ? [v4(b, ip + 12), v4(b, ip + 16)] : [v6(b, ip + 8), v6(b, ip + 24)]);
  if (proto === 6) {
    if (l4 + 20 > end) return;
    const flags = b[l4 + 13];
    if (flags & 2) {
      if (flags & 0x10) c.synack++; else c.syn++;
      const [src, dst] = addr();
      out?.push({ kind: flags & 0x10 ? 'synack' : 'syn', src, dst, sport, dport });
      return;
    }
    if (sport !== 53 && dport !== 53) return;
    let q = l4 + ((b[l4 + 12] >> 4) << 2);
    while (q + 2 <= end) {
      const len = b.readUInt16BE(q);
      if (q + 2 + len > end) break;
      dnsMessage(b.subarray(q + 2, q + 2 + len), c, out, addr, sport, dport);
      q += 2 + len;
    }
  } else if (proto === 17) {
    if (sport !== 53 && dport !== 53) return;
    dnsMessage(b.subarray(l4 + 8, end), c, out, addr, sport, dport);
  }
}

function dnsMessage(m: Buffer, c: JsCounts, out: JsRecord[] | undefined, addr: () => string[], sport: number, dport: number): void {
  if (m.length < 12 || (m[2] & 0x80) === 0) return;
  try {
    const p = dnsPacket.decode(m);
    c.dns++;
    const answers: JsRecord['answers'] = [];
    for (const a of p.answers ?? []) {
      if (a.type === 'A' || a.type === 'AAAA' || a.type === 'CNAME') {
        c.answers++;
        answers.push({ name: a.name.toLowerCase(), type: a.type, value: String(a.data).toLowerCase(), ttl: a.ttl ?? 0 });
      }
    }
    if (out) {
      const [src, dst] = addr();
      out.push({ kind: 'dns', src, dst, sport, dport, name: (p.questions?.[0]?.name ?? '').toLowerCase(), answers });
    }
  } catch {
    c.errors++;
  }
}

export function emptyJsCounts(): JsCounts {
  return { frames: 0, dns: 0, syn: 0, synack: 0, errors: 0, answers: 0 };
}
