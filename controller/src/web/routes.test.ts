import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createIntentStore } from '../store/intent-store.ts';
import { syntheticMap } from '../../../fixtures/test-support/synthetic-map.ts';
import { createWebRoutes } from './routes.ts';
import type { GraphModel } from './graph-types.ts';

const NOW = Date.parse('2026-11-27T12:00:00Z');
const store = createIntentStore({ now: () => new Date(NOW) });
for (const o of syntheticMap({ workloads: 40, namespaces: 4, now: NOW, spanMs: 3_600_000 })) store.add(o);
const app = createWebRoutes({ intents: store, revision: () => store.revision(), now: () => new Date(NOW), pollMs: 20,
  assets: async () => ({ js: 'console.log(1)', css: 'body{}' }) });
const graph = async (qs = '') => {
  const res = await app.request(`/api/v1/graph.json${qs}`);
  assert.is(res.status, 200, qs);
  return await res.json() as GraphModel;
};

test('graph.json: the whole map, with every namespace and the store revision', async () => {
  const m = await graph();
  assert.is(m.revision, store.revision());
  assert.equal(m.namespaces, ['ns-0', 'ns-1', 'ns-2', 'ns-3']);
  assert.is(m.edges.length, store.size());
  assert.ok(m.labels.includes('tier=batch'));
  assert.ok(m.nodes.some((n) => n.kind === 'Internet'));
});

test('graph.json takes the intents filters: namespaces, since, excludeInternet, excludeLabels, excludeServices', async () => {
  const all = await graph();
  const ns = await graph('?namespaces=ns-1');
  assert.ok(ns.edges.length > 0 && ns.edges.length < all.edges.length);
  assert.ok(ns.edges.every((e) => e.source.startsWith('w:ns-1/')));
  assert.equal(ns.namespaces, all.namespaces, 'the namespace choices do not shrink with the filter');
  const recent = await graph('?since=15m');
  assert.ok(recent.edges.length > 0 && recent.edges.length < all.edges.length);
  assert.ok(recent.edges.every((e) => Date.parse(e.lastSeen) >= NOW - 15 * 60_000));
  const noNet = await graph('?excludeInternet=true');
  assert.not.ok(noNet.nodes.some((n) => n.kind === 'Internet'));
  const noBatch = await graph('?excludeLabels=tier=batch');
  assert.not.ok(noBatch.nodes.some((n) => n.labels?.tier === 'batch'));
  const noApp0 = await graph('?excludeServices=app-0');
  assert.not.ok(noApp0.nodes.some((n) => n.name === 'app-0'));
});

test('graph.json: a bad filter is a 400 naming the parameter', async () => {
  for (const [qs, field] of [['?since=yesterday', 'since'], ['?namespaces=Bad_NS', 'namespaces'], ['?bogus=1', 'bogus']]) {
    const res = await app.request(`/api/v1/graph.json${qs}`);
    assert.is(res.status, 400, qs);
    assert.is((await res.json()).error.field, field);
  }
});

test('graph.json: a filtered map offers the namespaces of the map as it is now, not as it was at the last request', async () => {
  const own = createIntentStore({ now: () => new Date(NOW) });
  const [first, ...rest] = syntheticMap({ workloads: 8, namespaces: 2, now: NOW, spanMs: 3_600_000 });
  own.add(first);
  const web = createWebRoutes({ intents: own, revision: () => own.revision(), now: () => new Date(NOW), assets: async () => ({ js: '', css: '' }) });
  const namespaces = async () => ((await (await web.request('/api/v1/graph.json?namespaces=ns-0')).json()) as GraphModel).namespaces;
  const before = await namespaces();
  for (const o of rest) own.add(o);
  own.add({ ...first, client: { ...first.client, namespace: 'late' } });
  assert.equal(await namespaces(), [...new Set([...before, 'ns-0', 'ns-1', 'late'])].sort());
});

test('events: the current revision at once, then each new one', async () => {
  const ac = new AbortController();
  const res = await app.request('/api/v1/graph/events', { signal: ac.signal });
  assert.is(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let text = '';
  const until = async (re: RegExp) => {
    const end = Date.now() + 3000;
    while (!re.test(text)) {
      if (Date.now() > end) throw new Error(`no ${re} in ${JSON.stringify(text)}`);
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended');
      text += dec.decode(value);
    }
  };
  const first = store.revision();
  await until(new RegExp(`event: revision\\ndata: \\{"revision":${first}\\}`));
  store.add({ client: { name: 'late', namespace: 'ns-0', kind: 'Job' }, server: { name: 'app-0', namespace: 'ns-0', kind: 'Deployment' }, type: 'plain', lastSeen: NOW, count: 1, source: 'tcp' });
  await until(new RegExp(`data: \\{"revision":${first + 1}\\}`));
  await reader.cancel();
  ac.abort();
});

test('the page and its assets, with a CSP that allows only the controller', async () => {
  const page = await app.request('/');
  const html = await page.text();
  assert.match(html, '<script src="web/app.js" defer></script>');
  assert.match(html, '<style>body{}</style>', 'the style inline: a loading stylesheet would hold the script back');
  assert.match(page.headers.get('content-security-policy')!, "default-src 'none'");
  const js = await app.request('/web/app.js');
  assert.match(js.headers.get('content-type')!, 'text/javascript');
  assert.is(await js.text(), 'console.log(1)');
  assert.is(await (await app.request('/web/app.css')).text(), 'body{}');
});

test('graph.json and the bundle are gzipped when the client accepts it', async () => {
  const res = await app.request('/api/v1/graph.json', { headers: { 'accept-encoding': 'gzip' } });
  assert.is(res.headers.get('content-encoding'), 'gzip');
  const text = await new Response(res.body!.pipeThrough(new DecompressionStream('gzip'))).text();
  assert.is(JSON.parse(text).revision, store.revision());
});

test('the bundle: gzipped once, revalidated by its ETag', async () => {
  const res = await app.request('/web/app.js', { headers: { 'accept-encoding': 'gzip, deflate' } });
  assert.is(res.headers.get('content-encoding'), 'gzip');
  assert.is(await new Response(res.body!.pipeThrough(new DecompressionStream('gzip'))).text(), 'console.log(1)');
  const etag = res.headers.get('etag')!;
  assert.match(etag, /^"[\w-]{22}"$/);
  const again = await app.request('/web/app.js', { headers: { 'if-none-match': etag } });
  assert.is(again.status, 304);
  assert.is(await again.text(), '');
  assert.is((await app.request('/web/app.js', { headers: { 'if-none-match': '"other"' } })).status, 200);
  assert.is((await app.request('/web/nothing.js')).status, 404);
});

test('the page preloads the graph.json its script asks for, filters included and escaped', async () => {
  assert.match(await (await app.request('/')).text(), '<link rel="preload" href="api/v1/graph.json?" as="fetch" crossorigin="anonymous">');
  const html = await (await app.request('/?namespaces=ns-1,ns-2&since=15m&q=x&sel=w:ns-1/app-1&excludeLabels=a%3D%22b')).text();
  assert.match(html, '<link rel="preload" href="api/v1/graph.json?namespaces=ns-1%2Cns-2&amp;excludeLabels=a%3D%22b&amp;since=15m" as="fetch"');
});

test('graph.json says where its time went (Server-Timing)', async () => {
  const res = await app.request('/api/v1/graph.json?namespaces=ns-1');
  assert.match(res.headers.get('server-timing')!, /^query;dur=[\d.]+, model;dur=[\d.]+$/);
});

test.run();
