// The live sniffer's node:http poster against a loopback server: what the reporter reads of a
// response (status, ok, Retry-After, body), the request it sends, and aborts and refused connections
// as rejections (the reporter's "will retry").
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpPost } from './live-http-post.ts';

interface Seen { method?: string; url?: string; headers: IncomingMessage['headers']; body: string }

function serve(reply: (res: import('node:http').ServerResponse) => void): Promise<{ server: Server; url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => { seen.push({ method: req.method, url: req.url, headers: req.headers, body }); reply(res); });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/reports`, seen })));
}
const close = (s: Server) => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); });
const init = (body: string, signal = new AbortController().signal) => ({ method: 'POST' as const, headers: { 'content-type': 'application/json', authorization: 'Bearer t' }, body, signal });

test('sends the body and headers, and answers status, ok and the body', async () => {
  const rx = await serve((res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"accepted":2}'));
  try {
    const res = await createHttpPost()(rx.url, init('{"records":["é"]}'));
    assert.is(res.status, 200);
    assert.ok(res.ok);
    assert.is(await res.text(), '{"accepted":2}');
    assert.is(rx.seen[0]!.method, 'POST');
    assert.is(rx.seen[0]!.url, '/api/v1/reports');
    assert.is(rx.seen[0]!.body, '{"records":["é"]}');
    assert.is(rx.seen[0]!.headers['content-length'], String(Buffer.byteLength('{"records":["é"]}')));
    assert.is(rx.seen[0]!.headers.authorization, 'Bearer t');
    assert.is(rx.seen[0]!.headers['content-type'], 'application/json');
  } finally {
    await close(rx.server);
  }
});

test('a 429 is not ok and its Retry-After is read case-insensitively; an absent header is null', async () => {
  const rx = await serve((res) => res.writeHead(429, { 'Retry-After': '3' }).end('busy'));
  try {
    const res = await createHttpPost()(rx.url, init('{}'));
    assert.is(res.status, 429);
    assert.not.ok(res.ok);
    assert.is(res.headers.get('Retry-After'), '3');
    assert.is(res.headers.get('x-absent'), null);
    assert.is(await res.text(), 'busy');
  } finally {
    await close(rx.server);
  }
});

test('an aborted request and a refused connection reject', async () => {
  const rx = await serve(() => { /* never answers */ });
  const ac = new AbortController();
  try {
    const pending = createHttpPost()(rx.url, init('{}', ac.signal));
    setTimeout(() => ac.abort(), 50);
    await pending.then(() => assert.unreachable('resolved after abort'), (err: Error) => assert.is(err.name, 'AbortError'));
  } finally {
    await close(rx.server);
  }
  await createHttpPost()(rx.url, init('{}')).then(() => assert.unreachable('resolved on a closed port'), (err: NodeJS.ErrnoException) => assert.is(err.code, 'ECONNREFUSED'));
});

test.run();
