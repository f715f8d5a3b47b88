// `netmapper replay serve`: the bundled Online Boutique capture replayed and served on loopback, read-only.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from './replay.ts';
import { withTimeout } from '../../../fixtures/test-support/wait.ts';
import type { GraphModel } from '../web/graph-types.ts';

function captureIo() {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: { write: (s: string | Uint8Array) => { out.stdout += String(s); } }, stderr: { write: (s: string) => { out.stderr += s; } }, env: {} } };
}

test('serves the replayed map on 127.0.0.1 until stopped', async () => {
  const { out, io } = captureIo();
  const stop = new AbortController();
  let url = '';
  const listening = new Promise<void>((resolve) => {
    const done = run(['serve', '--port', '0'], io, false, { signal: stop.signal, onListening: (u) => { url = u; resolve(); } });
    void done.then((code) => { exit = code; });
  });
  let exit: number | undefined;
  await withTimeout(listening, 30_000, 'replay serve to listen');
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.match(out.stderr, /^replay: \d+ records in \d+ reports/m);
  assert.match(out.stderr, `Serving the replayed map (`);
  const m = await (await fetch(`${url}api/v1/graph.json`)).json() as GraphModel;
  const names = m.nodes.map((n) => n.name);
  for (const w of ['frontend', 'cartservice', 'checkoutservice']) assert.ok(names.includes(w), `${w} in ${names}`);
  assert.match(await (await fetch(url)).text(), '<title>Network Mapper</title>');
  assert.is((await fetch(`${url}api/v1/reports`, { method: 'POST', body: '{}' })).status, 404, 'read-only: no report ingest');
  stop.abort();
  await withTimeout((async () => { while (exit === undefined) await new Promise((r) => setTimeout(r, 10)); })(), 5000, 'replay serve to stop');
  assert.is(exit, 0);
  assert.is(await fetch(url).then(() => 'open', () => 'closed'), 'closed');
});

test('refuses a non-loopback address and a bad port', async () => {
  const a = captureIo();
  assert.is(await run(['serve', '--bind-address', '0.0.0.0', '--port', '0'], a.io, false, { signal: AbortSignal.abort() }), 1);
  assert.match(a.out.stderr, 'served on loopback only');
  const b = captureIo();
  assert.is(await run(['serve', '--port', 'http'], b.io, false), 2);
  assert.match(b.out.stderr, '--port: expected 0 to 65535');
});

test('netmapper serve --replay CAPTURE --cluster SNAPSHOT is the same', async () => {
  const { run: serve } = await import('./serve.ts');
  const { BUNDLED_CAPTURE, BUNDLED_SNAPSHOT } = await import('./replay.ts');
  const { out, io } = captureIo();
  const stop = new AbortController();
  let exit: Promise<number> | undefined;
  const url = await withTimeout(new Promise<string>((resolve) => {
    exit = serve(['--replay', BUNDLED_CAPTURE, '--cluster', BUNDLED_SNAPSHOT, '--port', '0'], io, { signal: stop.signal, onListening: resolve });
  }), 30_000, 'serve --replay to listen');
  const m = await (await fetch(`${url}api/v1/graph.json`)).json() as GraphModel;
  assert.ok(m.nodes.some((n) => n.name === 'frontend'));
  assert.match(out.stderr, 'Serving the replayed map');
  stop.abort();
  assert.is(await exit, 0);
});

test.run();
