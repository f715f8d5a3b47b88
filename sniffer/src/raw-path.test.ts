// The pipeline reads decoded records in place (addRaw) on the hot path; observe() over record
// objects states the rules. Both must give the same intervals on every capture in fixtures/.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeFile, scanCapture } from '../../parser-wasm/src/index.ts';
import { createPipeline } from './pipeline.ts';
import type { RawOutput } from '../../parser-wasm/src/read-back.ts';
import {
  REC_SIZE, REC_KIND, REC_IPVER, REC_DPORT, REC_TS, REC_SRC, REC_DST, REC_NAME_OFF, REC_NAME_LEN, REC_ANSWER_COUNT, REC_ANSWER_START,
  KIND_DNS, KIND_SYN, ANS_SIZE, ANS_TYPE, ANS_NAME_LEN, ANS_NAME_OFF, ANS_TTL, ANS_VALUE,
} from '../../parser-wasm/src/layout.ts';

const ROOT = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const CAPTURES = [
  ...readdirSync(`${ROOT}pcap`).filter((f) => /\.pcap(ng)?$/.test(f)).map((f) => `${ROOT}pcap/${f}`),
  ...['online-boutique', 'kafka-tutorial', 'otterize-tutorial'].map((d) => `${ROOT}${d}/capture.pcap`),
];

for (const filter of [{ dns: true, tcp: true }, { dns: true, tcp: false }, { dns: false, tcp: true }]) {
  test(`records in place give the intervals record objects give (${JSON.stringify(filter)})`, async () => {
    let records = 0;
    for (const path of CAPTURES) {
      const objects = createPipeline({ intervalMs: 700, filter });
      const { records: decoded } = await decodeFile(path);
      objects.addRecords(decoded);
      const raw = createPipeline({ intervalMs: 700, filter });
      for await (const chunk of scanCapture(path, { raw: true })) raw.addRaw(chunk.raw!);
      const want = objects.closeAll();
      assert.equal(raw.closeAll(), want, path);
      for (const c of want) records += c.records.length;
    }
    assert.ok(records > 100, `only ${records} records`);
  });
}

/** One decoder call's output, written by hand: DNS responses (one A answer, names at given offsets) and SYNs. */
function handOutput(recs: Array<{ kind: 'dns'; ts: number; nameOff: number } | { kind: 'syn'; ts: number }>, names: string): RawOutput {
  const mem = Buffer.alloc(REC_SIZE * recs.length + ANS_SIZE * recs.length + names.length + 16);
  const dv = new DataView(mem.buffer, mem.byteOffset, mem.byteLength);
  const answers = REC_SIZE * recs.length, nameBase = answers + ANS_SIZE * recs.length;
  mem.write(names, nameBase, 'latin1');
  recs.forEach((rec, i) => {
    const r = i * REC_SIZE;
    mem[r + REC_KIND] = rec.kind === 'dns' ? KIND_DNS : KIND_SYN;
    mem[r + REC_IPVER] = 4;
    dv.setFloat64(r + REC_TS, rec.ts, true);
    mem.set([10, 0, 0, 53], r + REC_SRC);
    mem.set([10, 0, 0, 7], r + REC_DST);
    dv.setUint16(r + REC_DPORT, 443, true);
    if (rec.kind !== 'dns') return;
    const end = names.indexOf('|', rec.nameOff);
    dv.setUint32(r + REC_NAME_OFF, rec.nameOff, true);
    dv.setUint16(r + REC_NAME_LEN, end - rec.nameOff, true);
    dv.setUint16(r + REC_ANSWER_COUNT, 1, true);
    dv.setUint32(r + REC_ANSWER_START, i, true);
    const a = answers + i * ANS_SIZE;
    dv.setUint16(a + ANS_TYPE, 1, true);
    dv.setUint32(a + ANS_NAME_OFF, rec.nameOff, true);
    dv.setUint16(a + ANS_NAME_LEN, end - rec.nameOff, true);
    dv.setUint32(a + ANS_TTL, 30, true);
    mem.set([10, 0, 1, i], a + ANS_VALUE);
  });
  return { count: recs.length, u8: mem, dv, latin1: mem, records: 0, answers, names: nameBase };
}

test('intervals closed inside one decoder call, their tables reused: names stay right', () => {
  // As replay runs: add a record, then close what ended before its interval. The first interval's
  // table is reused by the third; the third record's name sits where the first one's did.
  const out = handOutput([{ kind: 'dns', ts: 100.1, nameOff: 0 }, { kind: 'syn', ts: 101.5 }, { kind: 'dns', ts: 102.2, nameOff: 0 }, { kind: 'dns', ts: 102.3, nameOff: 4 }], 'web|api|');
  const p = createPipeline({ intervalMs: 1000, filter: { dns: true, tcp: true } });
  const closed = [];
  let open = -Infinity;
  for (let i = 0; i < out.count; i++) {
    p.addRaw(out, i, i + 1);
    const ts = out.dv.getFloat64(i * REC_SIZE + REC_TS, true);
    if (Math.floor(ts) > open) { open = Math.floor(ts); closed.push(...p.closeBefore(open)); }
  }
  closed.push(...p.closeAll());
  const dns = closed.flatMap((c) => c.records).filter((r) => r.source === 'dns').map((r) => [r.destination, r.destinationIp, r.lastSeen.slice(17)]);
  assert.equal(dns, [['web', '10.0.1.0', '40.100Z'], ['api', '10.0.1.3', '42.300Z'], ['web', '10.0.1.2', '42.200Z']]);
});

test('two intervals open (a late frame after one of the next interval): a connection stays one record per interval', () => {
  // Live capture keeps the old interval open for a grace period, and several devices interleave their frames,
  // so the same addresses go to the old interval, then the new one, then the old one again.
  const out = handOutput([{ kind: 'syn', ts: 100.9 }, { kind: 'syn', ts: 101.1 }, { kind: 'syn', ts: 100.95 }, { kind: 'syn', ts: 101.2 }], '');
  const p = createPipeline({ intervalMs: 1000, filter: { dns: false, tcp: true } });
  p.addRaw(out, 0, out.count);
  const tcp = p.closeAll().map((c) => c.records.filter((r) => r.source === 'tcp').map((r) => [r.srcIp, r.destinationIp, r.count, r.lastSeen.slice(17)]));
  assert.equal(tcp, [[['10.0.0.53', '10.0.0.7', 2, '40.950Z']], [['10.0.0.53', '10.0.0.7', 2, '41.200Z']]]);
});

test.run();
