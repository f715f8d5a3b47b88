import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tailFile } from './file-tail.ts';

async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) { if (Date.now() > end) throw new Error('timed out'); await new Promise((r) => setTimeout(r, 10)); }
}

test('from the end; appended lines; rotation (old file read to its end first); truncation; a file that appears later', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kw-tail-'));
  const path = join(dir, 'authz.log');
  writeFileSync(path, 'old 1\nold 2\n');
  const lines: string[] = [];
  const events: string[] = [];
  const stop = new AbortController();
  const done = tailFile({ path, pollMs: 10, onLine: (l) => lines.push(l), onEvent: (e) => events.push(e) }, stop.signal);
  try {
    await until(() => events.includes('opened'));
    appendFileSync(path, 'a\nb');
    await until(() => lines.length === 1);
    appendFileSync(path, 'c\n');
    await until(() => lines.length === 2);
    assert.equal(lines, ['a', 'bc']);
    // logrotate's rename + create: the tail of the old file is not lost (here it even lacks its newline).
    appendFileSync(path, 'last of old');
    renameSync(path, `${path}.1`);
    writeFileSync(path, 'new 1\n');
    await until(() => lines.length === 4);
    assert.equal(lines.slice(2), ['last of old', 'new 1']);
    // copytruncate: the file shrinks and is read again from its start.
    truncateSync(path, 0);
    await until(() => events.includes('truncated'));
    appendFileSync(path, 'after truncate\n');
    await until(() => lines.length === 5);
    assert.is(lines[4], 'after truncate');
    rmSync(path);
    await until(() => events.includes('missing'));
    writeFileSync(path, 'reborn\n');
    await until(() => lines.length === 6);
    assert.is(lines[5], 'reborn');
  } finally {
    stop.abort();
    await done;
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
