import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { open } from 'node:fs/promises';
import { StoreWriteError } from '../../common/errors.ts';
import { createDurableStore, type DurableStore, type StoreHealth } from './durable-store.ts';
import { createIntentStore, type IntentStore } from './intent-store.ts';

const T0 = Date.parse('2026-11-21T10:00:00.000Z');
let n = 0;
const fresh = () => join(mkdtempSync(join(tmpdir(), 'nm-durable-')), 'store.json');
const obs = (client: string, count = 1) => ({ client: { name: client, namespace: 'a', kind: 'Deployment' }, server: { name: 'db', namespace: 'a', kind: 'StatefulSet' }, type: 'plain' as const, lastSeen: T0 + (n++), count, source: 'tcp' as const });

/** What a controller process does at start: a store journaled into the log, then the log replayed. */
async function start(path: string, compactBytes?: number): Promise<{ d: DurableStore; s: IntentStore; opened: Awaited<ReturnType<DurableStore['open']>> }> {
  const d = createDurableStore({ path, ...(compactBytes ? { compactBytes } : {}) });
  const s = createIntentStore({ journal: d.journal });
  const opened = await d.open(s);
  return { d, s, opened };
}
const names = (s: IntentStore) => s.query().map((i) => `${i.client.name}:${i.count}`).sort();

test('a committed change survives a crash (no close, no compaction): the log is replayed at start', async () => {
  const path = fresh();
  const a = await start(path);
  assert.is(a.opened.snapshot.status, 'missing');
  a.s.add(obs('web')); a.s.add(obs('web', 2)); a.s.add(obs('api'));
  await a.d.commit();
  // "kill -9": a is simply abandoned.
  const b = await start(path);
  assert.equal(names(b.s), ['api:1', 'web:3']);
  assert.is(b.opened.replayed, 3);
  assert.is(b.opened.tornBytes, 0);
});

test('compaction folds the log into the snapshot and drops covered segments; nothing counts twice', async () => {
  const path = fresh();
  const a = await start(path);
  a.s.add(obs('web'));
  await a.d.commit();
  await a.d.compact();
  a.s.add(obs('web'));        // after the compaction: only in the new segment
  await a.d.commit();
  const snap = JSON.parse(readFileSync(path, 'utf8'));
  assert.is(snap.walSeq, 1);
  assert.equal(readdirSync(join(path, '..')).filter((f) => f.includes('.wal.')), ['store.json.wal.2']);
  const b = await start(path);
  assert.equal(names(b.s), ['web:2']);
});

test('a crash after the snapshot was written but before old segments were deleted applies nothing twice', async () => {
  const path = fresh();
  const a = await start(path);
  a.s.add(obs('web'));
  await a.d.commit();
  const seg1 = readFileSync(`${path}.wal.1`);
  await a.d.compact();
  writeFileSync(`${path}.wal.1`, seg1);   // as if the unlink never happened
  const b = await start(path);
  assert.equal(names(b.s), ['web:1']);
  assert.not.ok(readdirSync(join(path, '..')).includes('store.json.wal.1'), 'the covered segment is removed at start');
});

test('a torn tail is truncated and counted; the intact records are kept', async () => {
  const path = fresh();
  const a = await start(path);
  a.s.add(obs('web')); a.s.add(obs('api'));
  await a.d.commit();
  appendFileSync(`${path}.wal.1`, Buffer.from([200, 0, 0, 0, 1, 2, 3, 4, 5]));  // a frame header promising 200 bytes, then the crash
  const before = statSync(`${path}.wal.1`).size;
  const b = await start(path);
  assert.equal(names(b.s), ['api:1', 'web:1']);
  assert.is(b.opened.tornBytes, 9);
  assert.is(statSync(`${path}.wal.1`).size, before - 9);
  const c = await start(path);
  assert.is(c.opened.tornBytes, 0, 'counted once: the file was truncated');
});

test('reset is logged: a crash after a reset does not bring the old map back', async () => {
  const path = fresh();
  const a = await start(path);
  a.s.add(obs('web'));
  await a.d.commit();
  await a.d.compact();
  a.s.reset();
  a.s.add(obs('api'));
  await a.d.commit();
  const b = await start(path);
  assert.equal(names(b.s), ['api:1']);
});

test('the log compacts itself past compactBytes; close compacts and leaves one empty segment', async () => {
  const path = fresh();
  const a = await start(path, 4096);
  for (let i = 0; i < 100; i++) a.s.add(obs(`c${i}`));
  await a.d.commit();
  await a.d.close();
  const b = await start(path);
  assert.is(b.s.size(), 100);
  assert.is(b.opened.replayed, 0, 'everything came from the snapshot');
});

test('a failed log write refuses commits naming the store file, reports unhealthy, and recovers once a snapshot is written', async () => {
  const path = fresh();
  let diskFull = false;
  const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  // The real file, with write failing while the "disk" is full (after writing part of the buffer, as write(2) does).
  const openFile = async (p: string) => {
    const fh = await open(p, 'a', 0o600);
    return {
      write: async (buf: Buffer, off: number, len: number) => {
        if (diskFull) { if (len > 4) { await fh.write(buf, off, 4); return { bytesWritten: 4 }; } throw enospc(); }
        return fh.write(buf, off, len);
      },
      datasync: () => fh.datasync(), stat: () => fh.stat(), close: () => fh.close(),
    };
  };
  const healths: StoreHealth[] = [];
  const d = createDurableStore({ path, openFile, retryMs: 0, onHealth: (h) => healths.push(h) });
  const s = createIntentStore({ journal: d.journal });
  await d.open(s);
  s.add(obs('before'));
  await d.commit();
  assert.ok(d.health().ok);
  diskFull = true;
  s.add(obs('during'));
  const err = await d.commit().then(() => undefined, (e: unknown) => e as Error);
  assert.ok(err instanceof StoreWriteError, 'the commit is refused');
  assert.match(err.message, path);
  assert.match(err.message, /ENOSPC/);
  const h = d.health();
  assert.is(h.ok, false);
  assert.ok(!h.ok && h.file === path && /ENOSPC/.test(h.error));
  s.add(obs('still-full'));
  await assert.not.ok(await d.commit().then(() => true, () => false), 'every later commit is refused too (no acknowledgement without the disk)');
  diskFull = false;
  await d.compact();                  // the retry: a full snapshot from memory
  assert.ok(d.health().ok, 'healthy again');
  assert.equal(healths.map((x) => x.ok), [false, true]);
  s.add(obs('after'));
  await d.commit();
  // A crash now: the snapshot and the new segment hold everything; the torn frame of the failed segment is gone with it.
  const b = await start(path);
  assert.equal(names(b.s), ['after:1', 'before:1', 'during:1', 'still-full:1']);
});

test('a failed store retries on its own timer and recovers without a caller', async () => {
  const path = fresh();
  let diskFull = false;
  const openFile = async (p: string) => {
    const fh = await open(p, 'a', 0o600);
    return {
      write: (buf: Buffer, off: number, len: number) => (diskFull ? Promise.reject(new Error('EIO: i/o error, write')) : fh.write(buf, off, len)),
      datasync: () => fh.datasync(), stat: () => fh.stat(), close: () => fh.close(),
    };
  };
  const d = createDurableStore({ path, openFile, retryMs: 20 });
  const s = createIntentStore({ journal: d.journal });
  await d.open(s);
  diskFull = true;
  s.add(obs('x'));
  await d.commit().catch(() => {});
  assert.is(d.health().ok, false);
  diskFull = false;   // (the tmpfs test in durable.int.test.ts also checks it stays failed while the disk is full)
  const t0 = Date.now();
  while (!d.health().ok && Date.now() - t0 < 2000) await new Promise((r) => setTimeout(r, 10));
  assert.ok(d.health().ok, 'recovered by the retry timer');
  await d.close();
});

test.run();
