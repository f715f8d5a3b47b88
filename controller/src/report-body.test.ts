import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HonoRequest } from 'hono/request';
import { readBodyText, TOO_LARGE } from './report-body.ts';

const enc = new TextEncoder();
const streamOf = (...parts: Uint8Array[]) => new ReadableStream<Uint8Array>({ start(c) { for (const p of parts) c.enqueue(p); c.close(); } });
const request = (body: BodyInit | null, headers: Record<string, string> = {}) =>
  new HonoRequest(new Request('http://x/api/v1/reports', { method: 'POST', body, headers, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit));

test('a declared length past the limit is refused from the header alone; within it the body is read', async () => {
  let pulled = false;
  const body = new ReadableStream<Uint8Array>({ pull(c) { pulled = true; c.enqueue(enc.encode('{}')); c.close(); } }, { highWaterMark: 0 });
  assert.is(await readBodyText(request(body, { 'content-length': '11' }), 10), TOO_LARGE);
  assert.not.ok(pulled, 'nothing read');
  assert.is(await readBodyText(request('{"a":1}', { 'content-length': '7' }), 10), '{"a":1}');
});

test('a body without a length is counted as it comes: refused past the limit, else joined and decoded once', async () => {
  const text = '{"node":"n\u00e9","records":[]}';
  const bytes = enc.encode(text);
  assert.is(await readBodyText(request(streamOf(bytes.subarray(0, 12), bytes.subarray(12))), bytes.length), text, 'a character split across chunks');
  assert.is(await readBodyText(request(streamOf(bytes.subarray(0, 12), bytes.subarray(12))), bytes.length - 1), TOO_LARGE);
  assert.is(await readBodyText(request(streamOf(bytes), { 'content-length': '1', 'transfer-encoding': 'chunked' }), bytes.length - 1), TOO_LARGE, 'a transfer coding overrides the length');
});

test('decoded as Request.text() decodes: a BOM dropped, bad bytes replaced; no body is empty text', async () => {
  const bytes = new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0xff, 0x7d]);
  const expected = await new Request('http://x', { method: 'POST', body: bytes }).text();
  assert.is(await readBodyText(request(streamOf(bytes)), 100), expected);
  assert.is(expected, '{\ufffd}');
  assert.is(await readBodyText(request(null), 100), '');
});

test.run();
