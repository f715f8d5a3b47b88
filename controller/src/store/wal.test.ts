import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeSegment, encodeFrame, openSegment, readSegment } from './wal.ts';

const dir = mkdtempSync(join(tmpdir(), 'nm-wal-'));

test('frames round-trip; a torn or corrupted tail stops the read and is measured', () => {
  const whole = Buffer.concat([encodeFrame('{"a":1}'), encodeFrame('{"b":"é"}')]);
  assert.equal(decodeSegment(whole), { records: ['{"a":1}', '{"b":"é"}'], validBytes: whole.length, tornBytes: 0 });
  const third = encodeFrame('{"c":3}');
  for (let cut = 1; cut < third.length; cut++) {
    const r = decodeSegment(Buffer.concat([whole, third.subarray(0, cut)]));
    assert.equal(r.records.length, 2, `cut at ${cut}`);
    assert.is(r.tornBytes, cut);
  }
  const flipped = Buffer.concat([whole, third]);
  flipped[flipped.length - 2] ^= 0xff;   // payload damaged: the CRC refuses it
  assert.equal(decodeSegment(flipped), { records: ['{"a":1}', '{"b":"é"}'], validBytes: whole.length, tornBytes: third.length });
  const huge = Buffer.alloc(16);
  huge.writeUInt32LE(0xffffffff, 0);     // a length past MAX_FRAME is damage, not a 4 GiB record
  assert.is(decodeSegment(huge).tornBytes, 16);
});

test('group commit: concurrent syncs share fsyncs; every record is on disk once its sync resolves', async () => {
  const path = join(dir, 'g.wal.1');
  const fsyncs: number[] = [];
  const seg = await openSegment(path, { onFsync: (_ms, n) => fsyncs.push(n) });
  const waits: Array<Promise<void>> = [];
  for (let i = 0; i < 200; i++) { seg.append(JSON.stringify({ i })); waits.push(seg.sync()); }
  await Promise.all(waits);
  assert.is(readSegment(path).records.length, 200);
  assert.ok(fsyncs.length < 200 / 4, `200 records, ${fsyncs.length} fsyncs`);
  assert.is(fsyncs.reduce((a, b) => a + b, 0), 200);
  seg.append('{"last":true}');
  await seg.close();
  assert.equal(readSegment(path).records.at(-1), '{"last":true}', 'close flushes what is pending');
});

test('a segment reopened after a crash appends after its intact frames', async () => {
  const path = join(dir, 'r.wal.1');
  writeFileSync(path, encodeFrame('{"x":1}'));
  const seg = await openSegment(path);
  assert.is(seg.bytes, readFileSync(path).length);
  seg.append('{"x":2}');
  await seg.close();
  appendFileSync(path, Buffer.from([7, 0, 0]));
  assert.equal(readSegment(path), { records: ['{"x":1}', '{"x":2}'], validBytes: readFileSync(path).length - 3, tornBytes: 3 });
});

test('a write that fails rejects every waiter, and later appends throw', async () => {
  const seg = await openSegment(join(dir, 'f.wal.1'));
  seg.append('{"a":1}');
  await seg.sync();
  // Closing the file under it makes the next write fail like a dead disk would.
  await seg.close();
  seg.append('{"a":2}');
  try { await seg.sync(); assert.unreachable('should reject'); } catch (err) { assert.match((err as Error).message, /write-ahead log .*f\.wal\.1/); }
  assert.throws(() => seg.append('{"a":3}'), /write-ahead log/);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
