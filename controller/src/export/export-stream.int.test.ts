// Large answers are streamed from the export worker: the first bytes arrive before the last are made,
// the controller holds only a few chunks of a slow reader's answer (backpressure), the bytes are the
// ones a whole answer would have, a cached answer is the same, and a failure mid-answer breaks the
// connection off so the client sees an error instead of a short answer that looks complete.
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { suiteNeeds } from '../../../fixtures/test-support/needs.ts';
import { createExportPool } from './export-pool.ts';
import { STREAM_WINDOW } from './stream-body.ts';
import { createIntentStore, type IntentStore } from '../store/intent-store.ts';
suiteNeeds('export streaming', []);

const T = Date.parse('2026-11-21T10:00:00.000Z');
const CHUNK_MAX = 3 * 64 * 1024;   // 64Ki UTF-16 units encode to at most 192 KiB

function bigStore(n: number): IntentStore {
  const store = createIntentStore({ maxIntents: 1e7 });
  for (let i = 0; i < n; i++) {
    store.add({ client: { name: `client-${i % 3000}`, namespace: `ns-${i % 20}`, kind: 'Deployment', labels: { app: `client-${i % 3000}`, team: 'x'.repeat(40) } },
      server: { name: `server-${i}`, namespace: `ns-${(i * 7) % 20}`, kind: 'Deployment' }, type: 'plain', lastSeen: T + i, count: 1, source: 'tcp' });
  }
  return store;
}

test('a large /intents answer streams: first chunk long before the end, a few chunks held at most, the same bytes as one JSON.stringify', async () => {
  const store = bigStore(60_000);
  const pool = createExportPool({ store, maxHeapMb: 512, timeoutMs: 120_000, cacheEntries: 0 });
  try {
    const t0 = performance.now();
    const res = await pool.answer('http://x/api/v1/intents?includeAllLabels=true');
    assert.is(res.status, 200);
    const reader = res.body!.getReader();
    const first = await reader.read();
    const firstMs = performance.now() - t0;
    assert.ok(first.value && first.value.byteLength <= CHUNK_MAX);
    // A slow reader: the worker may run only STREAM_WINDOW chunks ahead.
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(pool.stats().maxBufferedBytes <= STREAM_WINDOW * CHUNK_MAX, `held ${pool.stats().maxBufferedBytes} bytes while the reader paused`);
    const parts: Uint8Array[] = [first.value!];
    let total = first.value!.byteLength, chunks = 1;
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      parts.push(r.value); total += r.value.byteLength; chunks++;
      if (chunks % 50 === 0) await new Promise((res) => setTimeout(res, 5));
    }
    const allMs = performance.now() - t0;
    const peak = pool.stats().maxBufferedBytes;
    process.stdout.write(`\n  /intents of 60k intents: ${(total / 1048576).toFixed(1)} MiB in ${chunks} chunks; first chunk ${Math.round(firstMs)} ms, last ${Math.round(allMs)} ms; at most ${(peak / 1024).toFixed(0)} KiB held by the controller\n`);
    assert.ok(total > 20 * 1024 * 1024, `a large answer (${total} bytes)`);
    assert.ok(peak <= STREAM_WINDOW * CHUNK_MAX, `bounded: ${peak} bytes held at most`);
    assert.ok(peak * 20 < total, 'held far less than the answer');
    const text = Buffer.concat(parts).toString('utf8');
    assert.ok(text === JSON.stringify({ intents: store.query({ includeAllLabels: true }) }), 'the same bytes as a whole answer');
  } finally {
    await pool.close();
  }
});

test('every streamed export route gives the bytes of the whole rendering; a cached answer is the same bytes', async () => {
  const store = bigStore(3000);
  const pool = createExportPool({ store, maxHeapMb: 256, timeoutMs: 60_000 });
  const { createExportRoutes } = await import('./routes.ts');
  const inProcess = createExportRoutes({ intents: store });
  try {
    for (const path of ['/api/v1/list', '/api/v1/clientintents', '/api/v1/clientintents?version=v1alpha3', '/api/v1/clientintents?format=json', '/api/v1/graph.dot']) {
      const streamed = await (await pool.answer(`http://x${path}`)).text();
      const again = await (await pool.answer(`http://x${path}`)).text();
      const whole = await (await inProcess.request(path)).text();
      assert.ok(streamed.length > 100_000, `${path}: large (${streamed.length})`);
      assert.ok(streamed === whole, `${path}: streamed = in-process`);
      assert.ok(again === streamed, `${path}: cached = streamed`);
    }
    assert.is(pool.stats().cacheHits, 5);
  } finally {
    await pool.close();
  }
});

async function served(pool: ReturnType<typeof createExportPool>): Promise<{ base: string; stop: () => Promise<void> }> {
  const server: ServerType = await new Promise((resolve) => { const s = serve({ fetch: pool.routes.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s)); });
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => { (server as unknown as { closeAllConnections(): void }).closeAllConnections(); server.close(); await pool.close(); },
  };
}

/** Reads the rest of a body; the error it ends with, if any. */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<{ bytes: number; error?: Error }> {
  let bytes = 0;
  try {
    for (;;) { const r = await reader.read(); if (r.done) return { bytes }; bytes += r.value.byteLength; }
  } catch (err) { return { bytes, error: err as Error }; }
}

test('the worker lost mid-answer (here: the controller stops) breaks the HTTP response off; the client sees an error, not a short 200', async () => {
  const store = bigStore(60_000);
  const pool = createExportPool({ store, maxHeapMb: 512, timeoutMs: 600_000, cacheEntries: 0 });
  const { base, stop } = await served(pool);
  try {
    const res = await fetch(`${base}/api/v1/intents?includeAllLabels=true`);
    assert.is(res.status, 200);
    const reader = res.body!.getReader();
    const first = (await reader.read()).value!.byteLength;
    await pool.close();   // terminates the worker, as a crash would
    const rest = await drain(reader);
    assert.ok(rest.error, `the read must fail (got ${first + rest.bytes} bytes and a clean end)`);
    assert.is(pool.stats().aborted, 1);
    const next = await fetch(`${base}/api/v1/list?namespaces=ns-1`);   // a fresh worker
    assert.is(next.status, 200);
    assert.match(await next.text(), /client-1 in namespace ns-1 calls/);
  } finally {
    await stop();
  }
});

test('the time cap stopping an answer mid-stream breaks the response off too', async () => {
  const store = bigStore(60_000);
  // The cap must let the head out (the query takes seconds, more on a loaded machine) and end well before
  // the answer: doubled until a head gets out in time.
  for (const capMs of [6000, 15_000, 40_000]) {
    const pool = createExportPool({ store, maxHeapMb: 512, timeoutMs: capMs, cacheEntries: 0 });
    const { base, stop } = await served(pool);
    try {
      assert.is((await fetch(`${base}/api/v1/list?namespaces=none`)).status, 200);   // loads the worker's copy
      const res = await fetch(`${base}/api/v1/intents?includeAllLabels=true`);
      if (res.status === 503) { await res.arrayBuffer(); continue; }
      assert.is(res.status, 200);
      const reader = res.body!.getReader();
      const first = (await reader.read()).value!.byteLength;
      await new Promise((r) => setTimeout(r, capMs + 1000));   // the reader stalls past the cap
      const rest = await drain(reader);
      assert.ok(rest.error, `the read must fail (got ${first + rest.bytes} bytes and a clean end)`);
      process.stdout.write(`\n  broken off after ${((first + rest.bytes) / 1048576).toFixed(1)} MiB by the ${capMs / 1000} s cap: ${rest.error!.message}\n`);
      assert.is(pool.stats().timeouts, 1);
      assert.is(pool.stats().aborted, 1);
      return;
    } finally {
      await stop();
    }
  }
  assert.unreachable('no cap let the head out: the machine is too loaded for this test');
});

test('a client that goes away mid-answer frees the worker for the next export', async () => {
  const store = bigStore(60_000);
  const pool = createExportPool({ store, maxHeapMb: 512, timeoutMs: 60_000, cacheEntries: 0 });
  try {
    const res = await pool.answer('http://x/api/v1/intents');
    const reader = res.body!.getReader();
    await reader.read();
    await reader.cancel();
    const t0 = performance.now();
    const next = await pool.answer('http://x/api/v1/list?namespaces=ns-2');
    assert.match(await next.text(), /in namespace ns-2 calls/);
    assert.ok(performance.now() - t0 < 20_000);
    assert.is(pool.stats().cancelled, 1);
  } finally {
    await pool.close();
  }
});

test.run();
