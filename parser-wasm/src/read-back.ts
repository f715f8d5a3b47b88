// Reads what one WASM call wrote: fixed-size records, their answers and names, in one pass.
import type { DecodedRecord, DecoderCounters, DnsAnswer } from './records.ts';
import {
  REC_SIZE, REC_KIND, REC_TRANSPORT, REC_IPVER, REC_RCODE, REC_SPORT, REC_DPORT, REC_TS, REC_SRC,
  REC_DST, REC_NAME_OFF, REC_NAME_LEN, REC_ANSWER_COUNT, REC_ANSWER_START, REC_FRAME, KIND_DNS, KIND_SYN,
  ANS_SIZE, ANS_TYPE, ANS_NAME_LEN, ANS_NAME_OFF, ANS_TTL, ANS_VALUE_LEN, ANS_VALUE,
  CTR_FRAMES, CTR_BYTES, CTR_DNS, CTR_SYN, CTR_SYNACK, CTR_FRAMES_DECODED, CTR_NON_FRAME_SKIPS,
  CTR_REASON_BASE, REASON_COUNT, REASON_NAMES,
} from './layout.ts';
import type { DecoderExports } from './wasm.ts';
import { formatIpv4, formatIpv6 } from './ip-format.ts';

const TYPE_A = 1;
const TYPE_AAAA = 28;

export type { DecoderCounters } from './records.ts';

export function emptyCounters(): DecoderCounters {
  return { frames: 0, bytes: 0, records: { dns: 0, syn: 0, synack: 0 }, skipped: {}, framesDecoded: 0, nonFrameSkips: 0 };
}

/** Views over an instance's memory, rebuilt when growth detaches the old buffer (undici does the same). */
export class MemoryViews {
  private buffer: ArrayBuffer | undefined;
  u8!: Uint8Array;
  dv!: DataView;
  latin1!: Buffer;
  constructor(private readonly exp: DecoderExports) { this.refresh(); }
  refresh(): this {
    const b = this.exp.memory.buffer;
    if (b !== this.buffer) {
      this.buffer = b;
      this.u8 = new Uint8Array(b);
      this.dv = new DataView(b);
      this.latin1 = Buffer.from(b);
    }
    return this;
  }
}

/**
 * Turns bytes into strings, remembering the last few: consecutive records mostly share their
 * server address, and answers share owner names (the WASM side stores a repeated name once).
 */
class StringCache {
  private v4Key = -1;
  private v4Str = '';
  private v4Key2 = -1;
  private v4Str2 = '';
  private nameOff = -1;
  private nameLen = -1;
  private nameStr = '';

  ip(u8: Uint8Array, dv: DataView, off: number, ver: number): string {
    if (ver !== 4) return formatIpv6(u8, off);
    const key = dv.getUint32(off, false);
    if (key === this.v4Key) return this.v4Str;
    if (key === this.v4Key2) return this.v4Str2;
    const s = formatIpv4(u8, off);
    this.v4Key2 = this.v4Key;
    this.v4Str2 = this.v4Str;
    this.v4Key = key;
    this.v4Str = s;
    return s;
  }

  name(buf: Buffer, off: number, len: number): string {
    if (off === this.nameOff && len === this.nameLen) return this.nameStr;
    this.nameOff = off;
    this.nameLen = len;
    this.nameStr = len === 0 ? '' : buf.toString('latin1', off, off + len);
    return this.nameStr;
  }
}

/** Appends the records of the last call to `out`, in the order they were written. */
export function readRecords(exp: DecoderExports, views: MemoryViews, out: DecodedRecord[], frames?: number[]): number {
  const n = exp.recordCount();
  if (n === 0) return 0;
  const { u8, dv, latin1 } = views.refresh();
  const recBase = exp.recordsPtr();
  const ansBase = exp.answersPtr();
  const nameBase = exp.namesPtr();
  const cache = new StringCache();
  for (let i = 0; i < n; i++) {
    const r = recBase + i * REC_SIZE;
    const kind = u8[r + REC_KIND];
    if (frames) frames.push(dv.getUint32(r + REC_FRAME, true));
    const ver = u8[r + REC_IPVER];
    const src = cache.ip(u8, dv, r + REC_SRC, ver);
    const dst = cache.ip(u8, dv, r + REC_DST, ver);
    const sport = dv.getUint16(r + REC_SPORT, true);
    const dport = dv.getUint16(r + REC_DPORT, true);
    const ts = dv.getFloat64(r + REC_TS, true);
    if (kind !== KIND_DNS) {
      out.push({ kind: kind === KIND_SYN ? 'syn' : 'synack', ts, src, dst, sport, dport, transport: 'tcp' });
      continue;
    }
    const nameOff = nameBase + dv.getUint32(r + REC_NAME_OFF, true);
    const name = cache.name(latin1, nameOff, dv.getUint16(r + REC_NAME_LEN, true));
    const count = dv.getUint16(r + REC_ANSWER_COUNT, true);
    const start = dv.getUint32(r + REC_ANSWER_START, true);
    const answers: DnsAnswer[] = new Array(count);
    for (let j = 0; j < count; j++) {
      const a = ansBase + (start + j) * ANS_SIZE;
      const type = dv.getUint16(a + ANS_TYPE, true);
      const aOff = nameBase + dv.getUint32(a + ANS_NAME_OFF, true);
      const aName = cache.name(latin1, aOff, dv.getUint16(a + ANS_NAME_LEN, true));
      const ttl = dv.getUint32(a + ANS_TTL, true);
      let value: string;
      if (type === TYPE_A) value = formatIpv4(u8, a + ANS_VALUE);
      else if (type === TYPE_AAAA) value = formatIpv6(u8, a + ANS_VALUE);
      else {
        const vOff = nameBase + dv.getUint32(a + ANS_VALUE, true);
        value = cache.name(latin1, vOff, dv.getUint16(a + ANS_VALUE_LEN, true));
      }
      answers[j] = { name: aName, type: type === TYPE_A ? 'A' : type === TYPE_AAAA ? 'AAAA' : 'CNAME', value, ttl };
    }
    out.push({
      kind: 'dns', ts, src, dst, sport, dport,
      transport: u8[r + REC_TRANSPORT] === 6 ? 'tcp' : 'udp',
      name, rcode: u8[r + REC_RCODE], answers,
    });
  }
  return n;
}

/**
 * The last call's records where WASM wrote them, for readers that make no object per record
 * (the sniffer's aggregation): `count` fixed-size records at `records` (REC_* offsets), their
 * answers at `answers` (ANS_*), name offsets relative to `names`. Valid until the decoder's next call.
 */
export interface RawOutput { count: number; u8: Uint8Array; dv: DataView; latin1: Buffer; records: number; answers: number; names: number }

export function rawOutput(exp: DecoderExports, views: MemoryViews): RawOutput {
  const { u8, dv, latin1 } = views.refresh();
  return { count: exp.recordCount(), u8, dv, latin1, records: exp.recordsPtr(), answers: exp.answersPtr(), names: exp.namesPtr() };
}

/** The instance's cumulative counters. */
export function readCounters(exp: DecoderExports, views: MemoryViews): DecoderCounters {
  const { dv } = views.refresh();
  const base = exp.countersPtr();
  const slot = (i: number) => Number(dv.getBigUint64(base + i * 8, true));
  const skipped: Record<string, number> = {};
  for (let r = 1; r <= REASON_COUNT; r++) {
    const v = slot(CTR_REASON_BASE + r);
    if (v !== 0) skipped[REASON_NAMES[r]] = v;
  }
  return {
    frames: slot(CTR_FRAMES),
    bytes: slot(CTR_BYTES),
    records: { dns: slot(CTR_DNS), syn: slot(CTR_SYN), synack: slot(CTR_SYNACK) },
    skipped,
    framesDecoded: slot(CTR_FRAMES_DECODED),
    nonFrameSkips: slot(CTR_NON_FRAME_SKIPS),
  };
}
