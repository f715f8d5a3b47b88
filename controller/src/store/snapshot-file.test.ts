import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createIntentStore } from './intent-store.ts';
import { createSnapshotFile } from './snapshot-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'nm-store-'));
const T0 = Date.parse('2026-11-21T10:00:00.000Z');
const add = (s: ReturnType<typeof createIntentStore>, client: string) =>
  s.add({ client: { name: client, namespace: 'a', kind: 'Deployment' }, server: { name: 'db', namespace: 'a', kind: 'StatefulSet' }, type: 'plain', lastSeen: T0, count: 1, source: 'tcp' });

test('save writes atomically (no temp file left), skips an unchanged store, and load restores it', async () => {
  const path = join(dir, 'store.json');
  const a = createIntentStore();
  const fa = createSnapshotFile({ path, store: a });
  assert.equal(await fa.load(), { status: 'missing' });
  add(a, 'web');
  assert.ok(await fa.save());
  assert.not.ok(await fa.save(), 'unchanged: not written again');
  add(a, 'api');
  assert.ok(await fa.save());
  assert.equal(readdirSync(dir).filter((f) => f.includes('.tmp-')), []);
  const b = createIntentStore();
  assert.equal(await createSnapshotFile({ path, store: b }).load(), { status: 'loaded', intents: 2 });
  assert.equal(b.query(), a.query());
});

test('a corrupt snapshot is set aside as <file>.corrupt-<ts> and reported, never silently dropped', async () => {
  for (const [name, text, why] of [['trunc.json', '{"version":1,"intents":[{"cl', /JSON/], ['foreign.json', '{"version":1,"intents":[{"client":5}]}', /intents\[0\]\.client/]] as const) {
    const path = join(dir, name);
    writeFileSync(path, text);
    const s = createIntentStore();
    const res = await createSnapshotFile({ path, store: s, now: () => new Date(T0) }).load();
    assert.is(res.status, 'corrupt');
    if (res.status !== 'corrupt') continue;
    assert.match(res.error.message, why);
    assert.is(res.error.code, 'snapshot-corrupt');
    assert.is(res.movedTo, `${path}.corrupt-2026-11-21T10-00-00-000Z`);
    assert.not.ok(existsSync(path));
    assert.is(readFileSync(res.movedTo, 'utf8'), text, 'the bytes are kept for a human to look at');
    assert.is(s.size(), 0);
  }
});

test('save into a missing directory fails loudly and leaves no temp file behind', async () => {
  const s = createIntentStore();
  add(s, 'web');
  const f = createSnapshotFile({ path: join(dir, 'nope', 'store.json'), store: s });
  try { await f.save(); assert.unreachable('should throw'); } catch (err) { assert.match((err as Error).message, /ENOENT/); }
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
