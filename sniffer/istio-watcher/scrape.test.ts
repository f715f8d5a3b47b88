// The bounded HTTP scrape against loopback servers: success, every failure as a reason, the pool's limit.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mapPooled, scrape, sidecarUrl } from './scrape.ts';

async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/stats/prometheus`, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

const OPTS = { timeoutMs: 500, maxBytes: 1024 };

test('a body is read whole; HTTP errors, size, silence and a closed port are reasons', async () => {
  const ok = await serve((_, res) => res.end('m 1\n'));
  const err = await serve((_, res) => res.writeHead(503).end('no'));
  const big = await serve((_, res) => { res.writeHead(200); res.write('x'.repeat(800)); res.end('y'.repeat(800)); });
  const declared = await serve((_, res) => res.writeHead(200, { 'content-length': '5000' }).end('x'.repeat(5000)));
  const silent = await serve(() => { /* never answers */ });
  try {
    assert.equal(await scrape(ok.url, OPTS), { body: 'm 1\n', bytes: 4 });
    assert.equal(await scrape(err.url, OPTS), { failure: 'http-status', detail: 'HTTP 503' });
    assert.is((await scrape(big.url, OPTS) as { failure: string }).failure, 'too-large');
    assert.is((await scrape(declared.url, OPTS) as { failure: string }).failure, 'too-large');
    const t0 = Date.now();
    assert.is((await scrape(silent.url, OPTS) as { failure: string }).failure, 'timeout');
    assert.ok(Date.now() - t0 < 2000);
  } finally {
    for (const s of [ok, err, big, declared, silent]) await s.close();
  }
  const closed = await serve(() => {});
  const url = closed.url;
  await closed.close();
  assert.is((await scrape(url, OPTS) as { failure: string }).failure, 'refused');
  const stop = new AbortController();
  stop.abort();
  assert.is((await scrape(url, { ...OPTS, signal: stop.signal }) as { failure: string }).failure, 'aborted');
});

test('the pool never runs more than its limit and keeps input order', async () => {
  let running = 0, peak = 0;
  const out = await mapPooled([5, 1, 4, 2, 3, 0], 2, async (n) => {
    running++; peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, n * 3));
    running--;
    return n * 10;
  });
  assert.equal(out, [50, 10, 40, 20, 30, 0]);
  assert.is(peak, 2);
  assert.equal(await mapPooled([], 3, async () => 1), []);
});

test('sidecar URLs bracket IPv6 addresses', () => {
  assert.is(sidecarUrl('10.0.0.7', 15020, '/stats/prometheus'), 'http://10.0.0.7:15020/stats/prometheus');
  assert.is(sidecarUrl('fd00::7', 15090, '/stats/prometheus'), 'http://[fd00::7]:15090/stats/prometheus');
});

test.run();
