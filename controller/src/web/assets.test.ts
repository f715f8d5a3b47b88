import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWebAssets, prebuiltDir } from './assets.ts';

test('reads the prebuilt bundle of a directory', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'netmapper-web-'));
  try {
    writeFileSync(join(dir, 'app.js'), 'console.log(2)');
    writeFileSync(join(dir, 'app.css'), 'p{}');
    writeFileSync(join(dir, 'fcose.js'), 'console.log(3)');
    assert.equal(await loadWebAssets(dir), { js: 'console.log(2)', css: 'p{}', fcose: 'console.log(3)' });
  } finally { rmSync(dir, { recursive: true }); }
});

test('a missing bundle is an error that says how to build it', async () => {
  const dir = join(tmpdir(), 'netmapper-web-never-built');
  try {
    await loadWebAssets(dir);
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.match((err as Error).message, 'npm run build');
    assert.match((err as Error).message, dir);
  }
});

test('from a source checkout the bundle is the repository\'s dist/web; NETMAPPER_WEB_DIR wins', () => {
  assert.match(prebuiltDir({}), /\/dist\/web\/$/);
  assert.is(prebuiltDir({ NETMAPPER_WEB_DIR: '/srv/web' }), '/srv/web');
});

test.run();
