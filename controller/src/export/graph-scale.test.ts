// Images that scale: namespaces as Graphviz clusters, a resolution and size bound, and maps too big to draw refused
// with the filters that would help.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createIntentStore } from '../store/intent-store.ts';
import { syntheticMap } from '../../../fixtures/test-support/synthetic-map.ts';
import { toClientIntents } from './client-intents.ts';
import { CLUSTER_NODES_OVER, renderDot } from './graph-dot.ts';
import { checkGraphSize, GraphTooLargeError, graphSize } from './graph-limits.ts';
import { rasterZoom, renderPng } from './graph-image.ts';
import { DEFAULT_MAX_SIDE } from './graph-limits.ts';
import { createExportRoutes } from './routes.ts';
import { loadIntents } from '../../../fixtures/test-support/export-testdata.ts';

const small = toClientIntents([...loadIntents('reference.intents.json'), ...loadIntents('internet.intents.json')]);
const mapOf = (workloads: number) => {
  const store = createIntentStore();
  for (const o of syntheticMap({ workloads, edges: workloads * 3, namespaces: Math.min(20, Math.ceil(workloads / 4)) })) store.add(o);
  return store;
};
const m60 = mapOf(60);
const docs60 = toClientIntents(m60.query());

test('clusters: off for a small map, on past the size, and a flag either way', () => {
  assert.ok(graphSize(small).nodes <= CLUSTER_NODES_OVER);
  assert.not.match(renderDot(small), 'subgraph');
  const on = renderDot(small, { clusters: true });
  assert.match(on, /subgraph "cluster_\d+" \{\n    label="shop";/);
  assert.match(on, /label="Internet";/);
  assert.match(on, '"api.shop" [label="api"];');
  assert.match(on, '"google.com (Internet)" [label="google.com", shape=box, style=dashed];');
  // The edges are the same either way.
  assert.equal(on.split('\n').filter((l) => l.includes(' -> ')), renderDot(small).split('\n').filter((l) => l.includes(' -> ')));
  const big = renderDot(docs60);
  assert.is((big.match(/subgraph "cluster_/g) ?? []).length, 16, '15 namespaces + Internet');
  assert.not.match(renderDot(docs60, { clusters: false }), 'subgraph');
  // Every node is declared exactly once, inside its namespace's cluster.
  const declared = big.split('\n').filter((l) => /^ {4}"[^"]+" \[label=/.test(l));
  assert.is(declared.length, graphSize(docs60).nodes);
});

test('edge labels: a Kafka target "kafka", an HTTP target (kubernetes or service) "http", a plain one none', () => {
  const dot = renderDot([
    { name: 'client', namespace: 'shop', workload: { name: 'client', kind: 'Deployment' }, targets: [
      { kafka: { name: 'kafka.kafka', topics: [{ name: 'orders', operations: ['produce'] }] } },
      { kubernetes: { name: 'cart', kind: 'Deployment', http: [{ path: '/cart', methods: ['GET'] }] } },
      { service: { name: 'checkout', http: [{ path: '/pay', methods: ['POST'] }] } },
      { kubernetes: { name: 'redis', kind: 'StatefulSet' } },
    ] },
  ]);
  const edges = dot.split('\n').filter((l) => l.includes(' -> '));
  assert.equal(edges, [
    '  "client.shop" -> "kafka.kafka" [label="kafka"];',
    '  "client.shop" -> "cart.shop" [label="http"];',
    '  "client.shop" -> "checkout.shop" [label="http"];',
    '  "client.shop" -> "redis.shop";',
  ]);
});

test('a map past the limits is refused, naming its size and largest namespaces', () => {
  assert.is(checkGraphSize(docs60).nodes, graphSize(docs60).nodes);
  const docs = toClientIntents(mapOf(1000).query());
  try {
    checkGraphSize(docs);
    assert.unreachable('1,000 workloads should be refused');
  } catch (err) {
    assert.instance(err, GraphTooLargeError);
    assert.match((err as Error).message, /^the map has \d+ nodes and \d+ connections, more than an image can show readably \(at most 300 nodes and 900 connections; largest namespaces: \S+ \d+/);
  }
});

test('resolution and size bound: scaled down to the longest side, refused below readable', () => {
  const svg = (w: number, h: number) => `<svg width="${w}pt" height="${h}pt" viewBox="0 0 ${w} ${h}">`;
  assert.is(rasterZoom(svg(300, 200)), 2, '192 dpi by default');
  assert.is(rasterZoom(svg(300, 200), { dpi: 96 }), 1);
  const z = rasterZoom(svg(6000, 600));      // 8000 px wide at 1x
  assert.ok(Math.abs(6000 * 4 / 3 * z - DEFAULT_MAX_SIDE) < 1e-6, String(z));
  assert.throws(() => rasterZoom(svg(60000, 600)), (e: Error) => e instanceof GraphTooLargeError && /fitting it in 8192 px would take \d+ dpi/.test(e.message));
  assert.ok(Math.abs(rasterZoom(svg(20000, 600), { maxSide: 16384 }) * 20000 * 4 / 3 - 16384) < 1e-6);
});

test('60 workloads: a clustered PNG within the size bound', async () => {
  const t0 = performance.now();
  const png = await renderPng(renderDot(docs60), { maxSide: 4096 });
  const w = new DataView(png.buffer, png.byteOffset).getUint32(16), h = new DataView(png.buffer, png.byteOffset).getUint32(20);   // IHDR
  console.log(`  60 workloads: ${w} × ${h} px PNG, ${(png.length / 1024).toFixed(0)} KiB, in ${Math.round(performance.now() - t0)} ms`);
  assert.ok(Math.max(w, h) <= 4096 && Math.min(w, h) > 100, `${w}×${h}`);
});

test('routes: graph.* take clusters, dpi and maxSize, and refuse a map too large with a 422 naming the filters', async () => {
  const app = createExportRoutes({ intents: mapOf(1000) });
  const res = await app.request('/api/v1/graph.png');
  assert.is(res.status, 422);
  const body = (await res.json()).error;
  assert.is(body.code, 'graph-too-large');
  assert.match(body.message, 'namespaces, server, since, excludeLabels, excludeServices or excludeInternet');
  assert.is((await app.request('/api/v1/graph.svg?namespaces=ns-1')).status, 200);
  const dot = await (await app.request('/api/v1/graph.dot?namespaces=ns-1&clusters=off')).text();
  assert.not.match(dot, 'subgraph');
  for (const [qs, field] of [['clusters=maybe', 'clusters'], ['dpi=0', 'dpi'], ['maxSize=99999999', 'maxSize']]) {
    const r = await app.request(`/api/v1/graph.png?${qs}`);
    assert.is(r.status, 400, qs);
    assert.is((await r.json()).error.field, field);
  }
});

test.run();
