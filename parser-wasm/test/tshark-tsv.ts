// Reads the tshark ground truth beside each capture (fixtures/pcap/*.dns.tsv, *.dns-rr.tsv,
// *.syn.tsv; field lists in fixtures/pcap/SOURCES.md) into per-frame expectations.
import { readFileSync } from 'node:fs';

export interface ExpectedAnswer { name: string; type: 'A' | 'AAAA' | 'CNAME'; value: string; ttl: number }
export interface ExpectedDns { frame: number; src: string; dst: string; name: string; rcode: number; answers: ExpectedAnswer[] }
export interface ExpectedSyn { frame: number; kind: 'syn' | 'synack'; src: string; dst: string; sport: number; dport: number }

const TYPE_NAMES: Record<number, ExpectedAnswer['type']> = { 1: 'A', 28: 'AAAA', 5: 'CNAME' };
const OPT = 41;

function rows(path: string): string[][] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0).map((l) => l.split('\t'));
}

const list = (s: string): string[] => (s === '' ? [] : s.split(','));
const nums = (s: string): number[] => list(s).map(Number);
/** tshark prints the root name as <Root>; the decoder writes it as "". */
const dnsName = (s: string): string => (s === '<Root>' ? '' : s.toLowerCase());

/**
 * One expectation per DNS message. A frame carrying several DNS-over-TCP messages is one
 * tshark row with comma-joined values; the per-message counts in .dns-rr.tsv split it again.
 */
export function expectedDns(base: string): ExpectedDns[] {
  const rr = new Map(rows(`${base}.dns-rr.tsv`).map((r) => [Number(r[0]), r]));
  const out: ExpectedDns[] = [];
  for (const r of rows(`${base}.dns.tsv`)) {
    const frame = Number(r[0]);
    const src = r[1] || r[3];
    const dst = r[2] || r[4];
    const x = rr.get(frame);
    if (!x) throw new Error(`${base}: frame ${frame} is in .dns.tsv but not in .dns-rr.tsv`);
    const rcodes = nums(x[3]);
    const an = nums(x[6]);
    const ns = nums(x[7]);
    const ar = nums(x[8]);
    const names = list(x[9]);
    const types = nums(x[10]);
    const msgs = an.length;
    // The query name may itself contain a comma only when there is one message (dnscap__sll2).
    const qnames = msgs === 1 ? [r[5]] : list(r[5]);
    const a = list(r[6]);
    const aaaa = list(r[7]);
    const cname = list(r[8]);
    const ttls = nums(r[9]);
    let rrAt = 0;
    let ttlAt = 0;
    let aAt = 0;
    let aaaaAt = 0;
    let cnameAt = 0;
    for (let m = 0; m < msgs; m++) {
      const total = an[m] + ns[m] + ar[m];
      const answers: ExpectedAnswer[] = [];
      for (let i = 0; i < total; i++) {
        const type = types[rrAt + i];
        const inAnswer = i < an[m];
        const ttl = type === OPT ? NaN : ttls[ttlAt++];
        let value: string | undefined;
        // dns.a / dns.aaaa / dns.cname list every section in order, so an answer's value is next in line.
        if (type === 1) value = a[aAt++];
        else if (type === 28) value = aaaa[aaaaAt++];
        else if (type === 5) value = cname[cnameAt++]?.toLowerCase();
        if (inAnswer && TYPE_NAMES[type] && value !== undefined) {
          answers.push({ name: dnsName(names[rrAt + i]), type: TYPE_NAMES[type], value, ttl });
        }
      }
      rrAt += total;
      out.push({ frame, src, dst, name: dnsName(qnames[m] ?? ''), rcode: rcodes[m], answers });
    }
  }
  return out;
}

export function expectedSyns(base: string): ExpectedSyn[] {
  return rows(`${base}.syn.tsv`).map((r) => ({
    frame: Number(r[0]),
    kind: r[7] === '1' ? 'synack' : 'syn',
    src: r[1] || r[3],
    dst: r[2] || r[4],
    sport: Number(r[5]),
    dport: Number(r[6]),
  }));
}
