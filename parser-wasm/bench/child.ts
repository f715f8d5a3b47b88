// The bench's own whole-process decoders, timed like the other commands:
//   child.ts wasm-count FILE   the WASM decoder over the whole file, records only counted
//   child.ts js FILE           pure JS (link/IP walk + dns-packet), the same JSON lines as `netmapper decode`
import { openSync, readSync, closeSync } from 'node:fs';
import { scanCapture } from '../src/index.ts';
import { jsDecodeFrame, emptyJsCounts, type JsRecord } from './js-decoder.ts';

const PCAP_HDR = 24;
const REC_HDR = 16;

async function wasmCount(path: string): Promise<void> {
  const it = scanCapture(path, { materialize: false });
  let records = 0;
  for (;;) {
    const s = await it.next();
    if (s.done) {
      process.stderr.write(`wasm-count: ${s.value.frames} frames, ${records} records\n`);
      return;
    }
    records += s.value.count;
  }
}

/** A classic little-endian µs pcap, as the generator writes. */
function jsDecode(path: string): void {
  const c = emptyJsCounts();
  const fd = openSync(path, 'r');
  const CH = 16 << 20;
  const buf = Buffer.alloc(CH + (1 << 20));
  readSync(fd, buf, 0, PCAP_HDR, 0);
  if (buf.readUInt32LE(0) !== 0xa1b2c3d4) throw new Error(`${path}: the pure-JS baseline reads little-endian µs pcap only`);
  const linkType = buf.readUInt32LE(20);
  let pos = PCAP_HDR;
  let have = 0;
  for (;;) {
    const n = readSync(fd, buf, have, CH, pos);
    pos += n;
    have += n;
    let o = 0;
    const out: JsRecord[] = [];
    while (o + REC_HDR <= have) {
      const len = buf.readUInt32LE(o + 8);
      if (o + REC_HDR + len > have) break;
      const ts = buf.readUInt32LE(o) + buf.readUInt32LE(o + 4) / 1e6;
      jsDecodeFrame(buf.subarray(o + REC_HDR, o + REC_HDR + len), linkType, ts, c, out);
      o += REC_HDR + len;
    }
    if (out.length > 0) process.stdout.write(out.map((r) => JSON.stringify(r)).join('\n') + '\n');
    buf.copyWithin(0, o, have);
    have -= o;
    if (n === 0) break;
  }
  closeSync(fd);
  process.stderr.write(`js: ${c.frames} frames, ${c.dns + c.syn + c.synack} records, ${c.errors} dns-packet errors\n`);
}

const [mode, path] = process.argv.slice(2);
if (mode === 'wasm-count' && path) await wasmCount(path);
else if (mode === 'js' && path) jsDecode(path);
else {
  process.stderr.write('usage: child.ts wasm-count|js FILE\n');
  process.exitCode = 2;
}
