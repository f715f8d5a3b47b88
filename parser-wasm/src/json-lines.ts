// Decoded records as JSON lines (`netmapper decode`'s output). formatRecordJson is the definition,
// from a DecodedRecord. JsonLineFormatter gives the same bytes with no object per record: the WASM
// side writes the lines (assembly/json.ts) and hands back the rare record whose time only
// JavaScript can print exactly, which is formatted here from WASM memory (json-lines.test.ts holds
// all three side by side).
import {
  REC_SIZE, REC_KIND, REC_TRANSPORT, REC_IPVER, REC_RCODE, REC_SPORT, REC_DPORT, REC_TS, REC_SRC,
  REC_DST, REC_NAME_OFF, REC_NAME_LEN, REC_ANSWER_COUNT, REC_ANSWER_START, KIND_DNS, KIND_SYN,
  ANS_SIZE, ANS_TYPE, ANS_NAME_LEN, ANS_NAME_OFF, ANS_TTL, ANS_VALUE_LEN, ANS_VALUE, JSON_HOST,
} from './layout.ts';
import type { DecoderExports } from './wasm.ts';
import type { MemoryViews } from './read-back.ts';
import { formatIpv4, formatIpv6 } from './ip-format.ts';
import type { DecodedRecord } from './records.ts';

/** Field order is part of the output contract: kind, ts, src, dst, sport, dport, transport, then dns fields. */
export function formatRecordJson(r: DecodedRecord): string {
  const head = { kind: r.kind, ts: r.ts, src: r.src, dst: r.dst, sport: r.sport, dport: r.dport, transport: r.transport };
  if (r.kind !== 'dns') return JSON.stringify(head);
  return JSON.stringify({
    ...head,
    name: r.name,
    rcode: r.rcode,
    answers: r.answers.map((a) => ({ name: a.name, type: a.type, value: a.value, ttl: a.ttl })),
  });
}

const TYPE_A = 1;
const TYPE_AAAA = 28;
const PROTO_TCP = 6;
/** IPv4 strings kept across chunks; cleared when full, so memory stays bounded. */
const IPV4_CACHE_MAX = 1 << 16;
/** Where the WASM side writes lines; a chunk that does not fit is written in several passes. */
export const JSON_REGION_BYTES = 8 << 20;
const EMPTY = Buffer.alloc(0);

/** Control characters, `"` and `\`: the only characters JSON.stringify escapes in a Latin-1 string. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;

/** Formats the records of each call as JSON lines; one formatter serves a whole file. */
export class JsonLineFormatter {
  private readonly v4 = new Map<number, string>();
  private nameOff = -1;
  private nameLen = -1;
  private nameJson = '';
  private readonly out: number;

  constructor(private readonly exp: DecoderExports, private readonly views: MemoryViews) {
    this.out = exp.jsonReserve(JSON_REGION_BYTES);
  }

  /**
   * The last call's records, one JSON object per line, each ending in '\n', as UTF-8 bytes. Mostly
   * a view of WASM memory: valid until the decoder's next call (copy it to keep it).
   */
  format(): Buffer {
    const n = this.exp.recordCount();
    if (n === 0) return EMPTY;
    const parts: Buffer[] = [];
    for (let i = 0; i < n;) {
      const next = this.exp.jsonWrite(i);
      const bytes = this.exp.jsonBytes();
      i = next;
      if (bytes > 0) {
        const view = Buffer.from(this.views.refresh().u8.buffer, this.out, bytes);
        if (i >= n && parts.length === 0) return view; // the common case: one pass, no copy
        parts.push(Buffer.from(view));
      }
      if (i < n && this.exp.jsonStatus() === JSON_HOST) {
        parts.push(Buffer.from(this.formatJs(i, i + 1), 'utf8'));
        i++;
      }
    }
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }

  private ipv4(dv: DataView, u8: Uint8Array, off: number): string {
    const key = dv.getUint32(off, false);
    let s = this.v4.get(key);
    if (s === undefined) {
      if (this.v4.size >= IPV4_CACHE_MAX) this.v4.clear();
      s = formatIpv4(u8, off);
      this.v4.set(key, s);
    }
    return s;
  }

  /** A name as a JSON string literal. The WASM side stores a name repeated within a message once. */
  private name(latin1: Buffer, off: number, len: number): string {
    if (off === this.nameOff && len === this.nameLen) return this.nameJson;
    const s = len === 0 ? '' : latin1.toString('latin1', off, off + len);
    this.nameOff = off;
    this.nameLen = len;
    this.nameJson = NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
    return this.nameJson;
  }

  /** Records [from, to) of the last call as JSON lines, formatted in JavaScript from WASM memory. */
  formatJs(from = 0, to = this.exp.recordCount()): string {
    const { u8, dv, latin1 } = this.views.refresh();
    const recBase = this.exp.recordsPtr();
    const ansBase = this.exp.answersPtr();
    const nameBase = this.exp.namesPtr();
    this.nameOff = -1;
    let out = '';
    for (let i = from; i < to; i++) {
      const r = recBase + i * REC_SIZE;
      const kind = u8[r + REC_KIND];
      const v4 = u8[r + REC_IPVER] === 4;
      const src = v4 ? this.ipv4(dv, u8, r + REC_SRC) : formatIpv6(u8, r + REC_SRC);
      const dst = v4 ? this.ipv4(dv, u8, r + REC_DST) : formatIpv6(u8, r + REC_DST);
      const ts = dv.getFloat64(r + REC_TS, true);
      const head = `","ts":${Number.isFinite(ts) ? ts : 'null'},"src":"${src}","dst":"${dst}","sport":${dv.getUint16(r + REC_SPORT, true)},"dport":${dv.getUint16(r + REC_DPORT, true)},"transport":`;
      if (kind !== KIND_DNS) {
        out += `{"kind":"${kind === KIND_SYN ? 'syn' : 'synack'}${head}"tcp"}\n`;
        continue;
      }
      out += `{"kind":"dns${head}"${u8[r + REC_TRANSPORT] === PROTO_TCP ? 'tcp' : 'udp'}","name":${this.name(latin1, nameBase + dv.getUint32(r + REC_NAME_OFF, true), dv.getUint16(r + REC_NAME_LEN, true))},"rcode":${u8[r + REC_RCODE]},"answers":[`;
      const count = dv.getUint16(r + REC_ANSWER_COUNT, true);
      const start = dv.getUint32(r + REC_ANSWER_START, true);
      for (let j = 0; j < count; j++) {
        const a = ansBase + (start + j) * ANS_SIZE;
        const type = dv.getUint16(a + ANS_TYPE, true);
        const owner = this.name(latin1, nameBase + dv.getUint32(a + ANS_NAME_OFF, true), dv.getUint16(a + ANS_NAME_LEN, true));
        const value = type === TYPE_A ? `"${this.ipv4(dv, u8, a + ANS_VALUE)}","ttl":`
          : type === TYPE_AAAA ? `"${formatIpv6(u8, a + ANS_VALUE)}","ttl":`
          : `${this.name(latin1, nameBase + dv.getUint32(a + ANS_VALUE, true), dv.getUint16(a + ANS_VALUE_LEN, true))},"ttl":`;
        out += `${j === 0 ? '' : ','}{"name":${owner},"type":"${type === TYPE_A ? 'A' : type === TYPE_AAAA ? 'AAAA' : 'CNAME'}","value":${value}${dv.getUint32(a + ANS_TTL, true)}}`;
      }
      out += ']}\n';
    }
    return out;
  }
}
