import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Hono } from 'hono';
import { createExportRoutes } from './routes.ts';
import { createArrayReader } from '../../../fixtures/test-support/array-reader.ts';
import { loadIntents, readText } from '../../../fixtures/test-support/export-testdata.ts';
import type { IntentQuery } from '../model.ts';

const intents = [...loadIntents('internet.intents.json')];
intents[4] = { ...intents[4], lastSeen: '2026-11-21T09:00:00Z', client: { ...intents[4].client, labels: { tier: 'batch' } } };
const seen: IntentQuery[] = [];
const app = createExportRoutes({ intents: createArrayReader(intents, seen), now: () => new Date('2026-11-21T10:10:00Z') });
const get = (path: string) => app.request(path);

test('GET /api/v1/list is the list text', async () => {
  const res = await get('/api/v1/list');
  assert.is(res.status, 200);
  assert.match(res.headers.get('content-type')!, 'text/plain');
  assert.is(await res.text(), readText('internet.list.txt'));
});

test('GET /api/v1/clientintents: yaml v2beta1 (default), v1alpha3, json', async () => {
  assert.is(await (await get('/api/v1/clientintents')).text(), `${readText('internet.v2.yaml')}\n`);
  assert.is(await (await get('/api/v1/clientintents?format=yaml&version=v1alpha3')).text(), `${readText('internet.v1.yaml')}\n`);
  const json = await get('/api/v1/clientintents?format=json');
  assert.match(json.headers.get('content-type')!, 'application/json');
  const docs = await json.json();
  assert.equal(docs.map((d: any) => d.metadata.name), ['api', 'client']);
});

test('filters reach the store and the conversion', async () => {
  seen.length = 0;
  assert.is(await (await get('/api/v1/list?excludeInternet=true')).text(), readText('internet-excluded.list.txt'));
  assert.equal(seen[0], { excludeInternet: true });
  const ns = await (await get('/api/v1/list?namespaces=shop&excludeServices=api,google.com,server')).text();
  assert.is(ns, 'client in namespace shop calls:\n  - 203.0.113.7 (Internet)\n  - xkcd.com (Internet)\n');
  assert.equal(seen[1], { namespaces: ['shop'] });
  assert.is(await (await get('/api/v1/list?server=db.data')).text(), 'api in namespace shop calls:\n  - db in namespace data\n');
  assert.is(await (await get('/api/v1/list?excludeLabels=tier=batch&excludeInternet')).text(), 'client in namespace shop calls:\n  - server in namespace shop\n');
  assert.equal(seen[3], { excludeLabels: ['tier=batch'], excludeInternet: true });
  // since=30m at 10:10 keeps the intents last seen at 10:05, not the one last seen at 09:00.
  assert.not.match(await (await get('/api/v1/list?since=30m')).text(), 'api in namespace');
  assert.equal(seen[4], { since: '2026-11-21T09:40:00.000Z' });
  assert.is(await (await get('/api/v1/list?namespaces=nowhere')).text(), '');
});

test('bad parameters: 400 JSON naming the parameter', async () => {
  const cases: [string, string, RegExp][] = [
    ['/api/v1/clientintents?format=xml', 'format', /yaml or json/],
    ['/api/v1/clientintents?version=v3', 'version', /v2beta1 or v1alpha3/],
    ['/api/v1/clientintents?format=json&version=v1alpha3', 'version', /v2beta1 only/],
    ['/api/v1/list?server=justaname', 'server', /Expected format: <server-name>.<namespace>/],
    ['/api/v1/list?server=a.b&namespaces=b', 'server', /cannot be used with namespaces/],
    ['/api/v1/list?namespaces=Bad_NS', 'namespaces', /RFC 1123/],
    ['/api/v1/graph.svg?since=yesterday', 'since', /RFC 3339/],
    ['/api/v1/graph.dot?excludeInternet=maybe', 'excludeInternet', /true or false/],
    ['/api/v1/list?excludeLabels=a=b=c', 'excludeLabels', /key=value/],
  ];
  for (const [path, field, message] of cases) {
    const res = await get(path);
    assert.is(res.status, 400, path);
    const body = (await res.json()).error;
    assert.is(body.field, field, path);
    assert.is(body.code, 'invalid-query');
    assert.match(body.message, message, path);
  }
});

test('mounted under another app (as the controller does), errors still render as 400 JSON', async () => {
  const outer = new Hono();
  outer.route('/', app);
  const res = await outer.request('/api/v1/list?server=bad');
  assert.is(res.status, 400);
  assert.is((await res.json()).error.field, 'server');
  assert.is(await (await outer.request('/api/v1/list?excludeInternet=true')).text(), readText('internet-excluded.list.txt'));
});

test('graph endpoints: dot, svg, png, jpg', async () => {
  const dot = await get('/api/v1/graph.dot');
  assert.match(await dot.text(), '"client.shop" -> "xkcd.com (Internet)";');
  const svg = await get('/api/v1/graph.svg?excludeInternet=1');
  assert.is(svg.headers.get('content-type'), 'image/svg+xml');
  const svgText = await svg.text();
  assert.match(svgText, '>client.shop</text>');
  assert.not.match(svgText, 'Internet');
  const png = new Uint8Array(await (await get('/api/v1/graph.png')).arrayBuffer());
  assert.equal([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
  const jpg = await get('/api/v1/graph.jpg');
  assert.is(jpg.headers.get('content-type'), 'image/jpeg');
  assert.equal([...new Uint8Array(await jpg.arrayBuffer()).subarray(0, 2)], [0xff, 0xd8]);
});

test('an injected image renderer is used instead of the default', async () => {
  const calls: string[] = [];
  const fake = { renderSvg: async (d: string) => { calls.push(d); return '<svg id="injected"/>'; },
    renderPng: async () => new Uint8Array([1]), renderJpg: async () => new Uint8Array([2]) };
  const injected = createExportRoutes({ intents: createArrayReader(intents), renderImage: fake });
  assert.is(await (await injected.request('/api/v1/graph.svg')).text(), '<svg id="injected"/>');
  assert.match(calls[0], 'rankdir=LR');
  assert.equal([...new Uint8Array(await (await injected.request('/api/v1/graph.jpg')).arrayBuffer())], [2]);
});

test('GET / is the web map, loading only its own relative assets', async () => {
  const res = await get('/');
  assert.is(res.status, 200);
  const html = await res.text();
  assert.match(html, '<title>Network Mapper</title>');
  assert.not.match(html, /(src|href)\s*=\s*["']?(https?:)?\/\//i);
  assert.match(html, '<script src="web/app.js" defer></script>');
  assert.match(res.headers.get('content-security-policy')!, "script-src 'self'");
});

test.run();
