// Otterize's sniffer test vectors (fixtures/otterize-sniffer/, from network-mapper's collectors tests):
// its DNS and SYN frames through our WASM decoder and observation step, its synthetic /proc through our
// socket scanner. Same inputs, same clients and destinations. One deliberate difference: our socket
// records carry the server's port (80), where Otterize's put the local ephemeral port in destinationPort.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeFrames, LINKTYPE } from '../../parser-wasm/src/index.ts';
import { observe, type Observation } from './observation.ts';
import { createSocketScanner } from './socket-scan.ts';

const DIR = fileURLToPath(new URL('../../fixtures/otterize-sniffer/', import.meta.url));
interface Vector { name: string; linkType: 'ethernet' | 'raw-ipv4'; hex: string; expect: Record<string, unknown> }
const { frames } = JSON.parse(readFileSync(`${DIR}frames.json`, 'utf8')) as { frames: Vector[] };
/** Otterize's tests stamp every packet 2021-01-01T00:00:00Z. */
const TS = Date.parse('2021-01-01T00:00:00Z') / 1000;

for (const v of frames) {
  test(`decoder: ${v.name}`, async () => {
    const { records } = await decodeFrames([{ data: Buffer.from(v.hex, 'hex'), ts: TS, linkType: v.linkType === 'ethernet' ? LINKTYPE.ETHERNET : LINKTYPE.RAW }]);
    const out: Observation[] = [];
    for (const r of records) observe(r, { dns: true, tcp: true }, out);
    assert.is(out.length, 1, JSON.stringify(records));
    const o = out[0];
    const { srcPort, ...expect } = v.expect as { srcPort?: number };
    assert.equal({ srcIp: o.srcIp, destination: o.destination, destinationIp: o.destinationIp, ...(o.ttl !== undefined ? { ttl: o.ttl } : {}), ...(o.destinationPort !== undefined ? { destinationPort: o.destinationPort } : {}) }, expect);
    assert.is(o.ts, TS);
    if (srcPort !== undefined) {
      const syn = records.find((r) => r.kind === 'syn') as { sport?: number } | undefined;
      assert.is(syn?.sport, srcPort);
    }
  });
}

test('socket scan of Otterize\'s synthetic /proc: the two client-side sockets of `thisverypod`, nothing else (no hostname: nothing but net/tcp is read)', async () => {
  const proc = mkdtempSync(join(tmpdir(), 'nm-otterize-proc-'));
  cpSync(`${DIR}proc`, proc, { recursive: true });
  let res;
  try {
    res = await createSocketScanner({ hostProc: proc }).scan(TS);
  } finally {
    rmSync(proc, { recursive: true, force: true });
  }
  assert.ok(res.observations.every((o) => o.srcHostname === undefined));
  const got = res.observations.map((o) => ({ srcIp: o.srcIp, destination: o.destination, destinationIp: o.destinationIp, destinationPort: o.destinationPort }))
    .sort((a, b) => (a.srcIp < b.srcIp ? -1 : 1));
  assert.equal(got, [
    // 31 sockets to 10.98.14.179:80 in tcp, only the first ESTABLISHED (the rest TIME_WAIT and others).
    { srcIp: '10.244.120.89', destination: '10.98.14.179', destinationIp: '10.98.14.179', destinationPort: 80 },
    // tcp6, IPv4-mapped: the LISTEN :8080 socket and the accepted (server-side) :8080 sockets are left out.
    { srcIp: '193.168.38.211', destination: '207.168.35.14', destinationIp: '207.168.35.14', destinationPort: 80 },
  ]);
  assert.is(res.badLines, 0);
  assert.is(res.namespaces, 1);
});

test.run();
