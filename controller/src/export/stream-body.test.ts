import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { textStream } from './stream-body.ts';
import { renderJson, renderJsonChunks } from './json.ts';
import { toClientIntents } from './client-intents.ts';
import { loadIntents } from '../../../fixtures/test-support/export-testdata.ts';

async function readAll(s: ReadableStream<Uint8Array>): Promise<{ text: string; chunks: number }> {
  const r = s.getReader();
  const parts: Uint8Array[] = [];
  for (;;) { const x = await r.read(); if (x.done) break; parts.push(x.value); }
  return { text: Buffer.concat(parts).toString('utf8'), chunks: parts.length };
}

test('pieces are produced only as the reader pulls, in chunks of about the given size', async () => {
  let made = 0;
  function* pieces() { for (let i = 0; i < 100; i++) { made++; yield `${'é'.repeat(9)}\n`; } }
  const s = textStream(pieces(), 100);
  assert.is(made, 0, 'nothing before the first read');
  const r = s.getReader();
  const first = await r.read();
  assert.is(made, 10, 'one chunk: 10 pieces of 10 characters');
  assert.is(Buffer.from(first.value!).toString('utf8'), `${'é'.repeat(9)}\n`.repeat(10));
  r.releaseLock();
  const rest = await readAll(s);
  assert.is(made, 100);
  assert.is(rest.chunks, 9);
});

test('a producer that throws errors the stream (the server aborts the connection; no clean short end)', async () => {
  function* pieces() { yield 'x'.repeat(10); yield 'y'.repeat(10); throw new Error('boom'); }
  const r = textStream(pieces(), 10).getReader();
  assert.is((await r.read()).value!.byteLength, 10);
  assert.is((await r.read()).value!.byteLength, 10);
  await r.read().then(() => assert.unreachable('must fail'), (err: Error) => assert.is(err.message, 'boom'));
});

test('renderJsonChunks joined is renderJson, byte for byte (MarshalIndent of the array)', () => {
  for (const f of ['internet.intents.json', 'reference.intents.json', 'list-example.intents.json']) {
    const docs = toClientIntents(loadIntents(f));
    assert.is([...renderJsonChunks(docs)].join(''), renderJson(docs), f);
    assert.is([...renderJsonChunks(docs.slice(0, 1))].join(''), renderJson(docs.slice(0, 1)), `${f}, one`);
  }
  assert.is([...renderJsonChunks([])].join(''), renderJson([]));
  const many = toClientIntents(['internet.intents.json', 'reference.intents.json', 'list-example.intents.json'].flatMap((f) => loadIntents(f)));
  assert.ok(many.length > 2);
  assert.is([...renderJsonChunks(many)].join(''), renderJson(many));
});

test.run();
