import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createDurableStore, type DurableStore } from './durable-store.ts';
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

test.run();
