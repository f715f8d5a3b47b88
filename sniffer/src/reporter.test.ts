// The reporter against a real HTTP server on loopback: auth, token rotation, the bounded backlog
// while the controller is down, and delivery resuming when it comes back.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { ConnectionRecord, Report } from '../../controller/contract/schema.ts';
import { createReporter, MAX_RETRY_AFTER_MS, retryAfterMs } from './reporter.ts';
import { createSnifferMetrics } from './metrics.ts';
import { silentLogger } from '../../controller/common/log.ts';
import { waitFor } from '../../fixtures/test-support/netns.ts';

interface Received { auth: string | undefined; report: Report }

function startReceiver(port = 0, status = () => 200): Promise<{ server: Server; port: number; got: Received[] }> {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const code = req.method === 'POST' && req.url === '/api/v1/reports' ? status() : 404;
      if (code === 200) got.push({ auth: req.headers.authorization, report: JSON.parse(body) });
      res.writeHead(code, { 'content-type': 'application/json' }).end(code === 200 ? '{"accepted":1}' : '{"code":"nope","message":"nope"}');
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port, got })));
}

const rec = (i: number): ConnectionRecord => ({ source: 'tcp', srcIp: '10.0.0.1', destination: '10.0.0.2', destinationIp: '10.0.0.2', destinationPort: i, lastSeen: '2026-11-21T20:00:00.000Z', count: 1 });
const close = (s: Server) => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); });

test('posts reports with the node name and a bearer token re-read from its file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'nmsn-tok-'));
  const rx = await startReceiver();
  const ac = new AbortController();
  try {
    const tokenFile = join(dir, 'token');
    await writeFile(tokenFile, 'first-token\n');
    const metrics = createSnifferMetrics();
    const r = createReporter({ controllerUrl: `http://127.0.0.1:${rx.port}`, node: 'node-a', tokenFile, backlogMax: 100, metrics, log: silentLogger, maxRecordsPerReport: 2 });
    const loop = r.runForever(ac.signal);
    r.enqueue([rec(1), rec(2), rec(3)]); // split into reports of ≤ 2 records
    assert.ok(await r.drained(5000));
    await writeFile(tokenFile, 'rotated-token');
    r.enqueue([rec(4)]);
    assert.ok(await r.drained(5000));
    ac.abort();
    await loop;
    assert.equal(rx.got.map((g) => [g.auth, g.report.node, g.report.version, g.report.records.map((x) => (x as ConnectionRecord).destinationPort)]), [
      ['Bearer first-token', 'node-a', 1, [1, 2]],
      ['Bearer first-token', 'node-a', 1, [3]],
      ['Bearer rotated-token', 'node-a', 1, [4]],
    ]);
    assert.ok(!Number.isNaN(Date.parse(rx.got[0]!.report.sentAt)));
    assert.is(metrics.reportsSent.get(), 3);
    assert.is(metrics.recordsSent.get(), 4);
  } finally {
    ac.abort();
    await close(rx.server);
    await rm(dir, { recursive: true, force: true });
  }
});

test('controller down: backlog stays within its bound, oldest dropped and counted; delivery resumes', async () => {
  const probe = await startReceiver();
  const port = probe.port;
  await close(probe.server); // the port is now refused: the controller is "down"
  const metrics = createSnifferMetrics();
  const r = createReporter({ controllerUrl: `http://127.0.0.1:${port}`, node: 'n', tokenFile: '', backlogMax: 10, metrics, log: silentLogger, initialBackoffMs: 20, maxBackoffMs: 80 });
  const ac = new AbortController();
  const loop = r.runForever(ac.signal);
  let rx: Awaited<ReturnType<typeof startReceiver>> | undefined;
  try {
    for (let b = 0; b < 5; b++) {
      r.enqueue([0, 1, 2, 3, 4].map((i) => rec(b * 5 + i)));
      assert.ok(r.backlog <= 10, `backlog ${r.backlog} over its bound`);
      await new Promise((res) => setTimeout(res, 30));
    }
    await waitFor('several failed attempts', () => metrics.reportsFailed.get() >= 3, 5000);
    assert.is(r.backlog, 10);
    assert.is(metrics.backlog.get(), 10);
    assert.is(metrics.backlogDropped.get(), 15);
    rx = await startReceiver(port);
    assert.ok(await r.drained(5000), 'backlog drained once the controller is back');
    const ports = rx.got.flatMap((g) => g.report.records.map((x) => (x as ConnectionRecord).destinationPort));
    assert.equal(ports, [15, 16, 17, 18, 19, 20, 21, 22, 23, 24]); // the newest ten, in order, no auth header
    assert.ok(rx.got.every((g) => g.auth === undefined));
    assert.is(metrics.backlog.get(), 0);
  } finally {
    ac.abort();
    await loop;
    if (rx) await close(rx.server);
  }
});

test('5xx is retried; a 400 is dropped and counted, not retried forever', async () => {
  const statuses = [503, 503, 200, 400];
  const rx = await startReceiver(0, () => statuses.shift() ?? 200);
  const metrics = createSnifferMetrics();
  const r = createReporter({ controllerUrl: `http://127.0.0.1:${rx.port}`, node: 'n', tokenFile: '', backlogMax: 10, metrics, log: silentLogger, initialBackoffMs: 10 });
  const ac = new AbortController();
  const loop = r.runForever(ac.signal);
  try {
    r.enqueue([rec(1)]);
    assert.ok(await r.drained(5000));
    r.enqueue([rec(2)]);
    assert.ok(await r.drained(5000));
    assert.equal(rx.got.map((g) => (g.report.records[0] as ConnectionRecord).destinationPort), [1]);
    assert.is(metrics.reportsFailed.get(), 3);
    assert.is(metrics.reportsRejected.get(), 1);
    assert.is(metrics.reportsSent.get(), 1);
  } finally {
    ac.abort();
    await loop;
    await close(rx.server);
  }
});

/** A reporter posting to a receiver that answers each report (given its records' destination ports) with `answer`. */
async function reporterAgainst(answer: (ports: number[], res: ServerResponse) => void) {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => answer((JSON.parse(body) as Report).records.map((x) => (x as ConnectionRecord).destinationPort as number), res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const metrics = createSnifferMetrics();
  const r = createReporter({ controllerUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, node: 'n', tokenFile: '', backlogMax: 100, metrics, log: silentLogger, initialBackoffMs: 10 });
  const ac = new AbortController();
  const loop = r.runForever(ac.signal);
  return { r, metrics, stop: async () => { ac.abort(); await loop; await close(server); } };
}

test('413: the report is split in halves and delivered; a single record still too large is counted with its reason', async () => {
  // The receiver refuses any report of more than 2 records, and any record on port 666 whatever the size.
  const got: number[][] = [];
  const { r, metrics, stop } = await reporterAgainst((ports, res) => {
    if (ports.length > 2 || ports.includes(666)) {
      res.writeHead(413, { 'content-type': 'application/json' }).end('{"error":{"code":"too-large","message":"body larger than 10 bytes"}}');
      return;
    }
    got.push(ports);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"accepted":1}');
  });
  try {
    r.enqueue([1, 2, 3, 4, 5, 666, 7].map(rec));
    assert.ok(await r.drained(5000));
    assert.equal(got.flat(), [1, 2, 3, 4, 5, 7], 'every record but the refused one delivered, in order');
    assert.ok(got.every((g) => g.length <= 2));
    assert.is(metrics.recordsRejected.get({ reason: 'too-large' }), 1);
    assert.equal(r.stats(), { reportsSent: got.length, recordsSent: 6, recordsRejected: 1, recordsDropped: 0 });
  } finally {
    await stop();
  }
});

test('429 with Retry-After: the same report is sent again after the time asked (not the short backoff), then delivered once', async () => {
  const seen: number[] = [];
  const { r, stop } = await reporterAgainst((ports, res) => {
    seen.push(performance.now());
    if (seen.length === 1) {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' }).end('{"error":{"code":"busy","message":"busy"}}');
      return;
    }
    assert.equal(ports, [1, 2]);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"accepted":2}');
  });
  try {
    r.enqueue([rec(1), rec(2)]);
    assert.ok(await r.drained(5000));
    assert.is(seen.length, 2, 'one 429, one delivery');
    const waited = seen[1]! - seen[0]!;
    assert.ok(waited >= 990 && waited < 1400, `waited ${waited.toFixed(0)} ms: Retry-After 1 s plus at most 20%, not the 10 ms backoff`);
    assert.equal(r.stats(), { reportsSent: 1, recordsSent: 2, recordsRejected: 0, recordsDropped: 0 });
  } finally {
    await stop();
  }
});

test('Retry-After: delay-seconds or an IMF-fixdate, capped; anything else ignored', () => {
  const now = Date.parse('2026-11-27T19:00:00Z');
  assert.is(retryAfterMs('2', now), 2000);
  assert.is(retryAfterMs(' 0 ', now), 0);
  assert.is(retryAfterMs('Fri, 27 Nov 2026 19:00:30 GMT', now), 30_000);
  assert.is(retryAfterMs('Fri, 27 Nov 2026 18:00:00 GMT', now), 0, 'a date in the past: at once');
  assert.is(retryAfterMs('86400', now), MAX_RETRY_AFTER_MS);
  for (const bad of [null, '', '-1', '1.5', 'soon', '2026-11-27T19:00:30Z']) assert.is(retryAfterMs(bad, now), undefined, String(bad));
});

test.run();
