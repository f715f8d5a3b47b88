// The pipeline reads decoded records in place (addRaw) on the hot path; observe() over record
// objects states the rules. Both must give the same intervals on every capture in fixtures/.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeFile, scanCapture } from '../../parser-wasm/src/index.ts';
import { createPipeline } from './pipeline.ts';

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

test.run();
