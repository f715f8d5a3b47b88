// Rounds driven directly (no sockets): Otterize's own watcher test vectors as behaviour cases, then
// what we do differently (no history on first sight, whole paths, path cap), failures and metrics.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { HttpRecord } from '../../controller/contract/schema.ts';
import { OTTERIZE_VECTORS, otterizeScrape, readIstioFixture, sidecarScrape } from '../../fixtures/test-support/istio-scrapes.ts';
import type { Sidecar } from './discovery.ts';
import { createWatcherMetrics } from './metrics.ts';
import type { ScrapeResult } from './scrape.ts';
import { createIstioWatcher, type WatcherOptions } from './watcher.ts';

const T0 = Date.parse('2026-11-27T12:00:00Z');
const OPTS: WatcherOptions = {
  port: 15020, path: '/stats/prometheus', concurrency: 4, timeoutMs: 1000, maxScrapeBytes: 1 << 20, maxSamples: 10_000,
  maxLineLength: 65536, reportHistory: false, paths: {}, prometheusWindowSeconds: 60,
};
const pod = (name: string, ip: string, createdAt = T0 - 3600_000, proxyRestarts = 0): Sidecar => ({ uid: `uid-${name}`, name, namespace: 'test-ns', ip, createdAt, proxyRestarts });

function harness(opts: Partial<WatcherOptions> = {}) {
  const bodies = new Map<string, ScrapeResult>();
  const delivered: HttpRecord[][] = [];
  let sidecars: Sidecar[] = [];
  const metrics = createWatcherMetrics();
  const w = createIstioWatcher({ ...OPTS, ...opts }, {
    sidecars: () => sidecars, deliver: (r) => delivered.push(r), metrics, now: () => new Date(T0),
    fetchScrape: async (url) => bodies.get(url) ?? { failure: 'refused', detail: 'no server' },
  });
  return {
    w, delivered, metrics,
    set(list: Sidecar[]) { sidecars = list; },
    serve(ip: string, body: string) { bodies.set(`http://${ip}:15020/stats/prometheus`, { body, bytes: body.length }); },
  };
}

const simple = (rs: HttpRecord[]) => rs.map((r) => `${r.srcWorkload}->${r.dstWorkload} ${r.path} [${r.methods.join(',')}]`).sort();
const metric = async (h: ReturnType<typeof harness>, name: string) => (await h.metrics.registry.render()).split('\n').filter((l) => l.startsWith(name)).join('\n');

test('Otterize TestIgnoreOldMetrics (with --report-history, Otterize\'s first-poll behaviour): round 2 reports A and C, not B', async () => {
  const h = harness({ reportHistory: true });
  h.set([pod('server-pod', '10.0.0.1')]);
  h.serve('10.0.0.1', otterizeScrape(OTTERIZE_VECTORS.ignoreOld[0] as never));
  const r1 = await h.w.round();
  assert.equal(simple(r1.records), ['clientA->server /a-path [GET]', 'clientB->server /b-path [GET]', 'clientC->server /c-path [POST]']);
  h.serve('10.0.0.1', otterizeScrape(OTTERIZE_VECTORS.ignoreOld[1] as never));
  const r2 = await h.w.round();
  assert.equal(simple(r2.records), ['clientA->server /a-path [GET]', 'clientC->server /c-path [POST]']);
  assert.match(await metric(h, 'netmapper_istio_counter_resets_total'), /netmapper_istio_counter_resets_total 1/);
});

test('Otterize TestReportResults: one record per (client, server, path) with methods merged', async () => {
  const h = harness({ reportHistory: true });
  h.set([pod('server-pod', '10.0.0.1')]);
  h.serve('10.0.0.1', otterizeScrape(OTTERIZE_VECTORS.reportResults[0] as never));
  const r = await h.w.round();
  assert.equal(simple(r.records), ['clientA->server /a-path [GET,POST]', 'clientB->server /b-path [GET]']);
  assert.equal(r.records.map((x) => [x.srcWorkloadNamespace, x.dstWorkloadNamespace, x.dstServiceName, x.lastSeen]),
    [['test-ns', 'test-ns', 'nginx-service', '2026-11-27T12:00:00.000Z'], ['test-ns', 'test-ns', 'nginx-service', '2026-11-27T12:00:00.000Z']]);
  assert.is(h.delivered.length, 1);
});

test('default: the first sight of an old pod reports no history; the next round reports only what moved', async () => {
  const h = harness();
  h.set([pod('server-pod', '10.0.0.1')]);
  h.serve('10.0.0.1', otterizeScrape(OTTERIZE_VECTORS.ignoreOld[0] as never));
  assert.equal((await h.w.round()).records, []);
  assert.is(h.delivered.length, 0, 'nothing delivered when nothing moved');
  assert.match(await metric(h, 'netmapper_istio_baselines_total'), /netmapper_istio_baselines_total 1/);
  h.serve('10.0.0.1', otterizeScrape(OTTERIZE_VECTORS.ignoreOld[1] as never));
  assert.equal(simple((await h.w.round()).records), ['clientA->server /a-path [GET]', 'clientC->server /c-path [POST]']);
});

test('methods outside the CRD\'s eight (or none) keep the path with no methods', async () => {
  const h = harness();
  h.set([pod('p', '10.0.0.2', T0 + 1)]);
  h.serve('10.0.0.2', sidecarScrape([
    { src: 'a', srcNs: 'n', dst: 'b', dstNs: 'n', method: 'PROPFIND', path: '/dav', count: 1 },
    { src: 'a', srcNs: 'n', dst: 'b', dstNs: 'n', path: '/nomethod', count: 1 },
    { src: 'a', srcNs: 'n', dst: 'b', dstNs: 'n', method: 'get', path: '/lower', count: 1 },
  ]));
  assert.equal(simple((await h.w.round()).records), ['a->b /dav []', 'a->b /lower [GET]', 'a->b /nomethod []']);
});

test('folding and the per-pair cap apply across rounds; overflow is counted as path-cap', async () => {
  const h = harness({ paths: { foldIds: true, maxPathsPerPair: 2 } });
  h.set([pod('p', '10.0.0.3', T0 + 1)]);
  const calls = (n: number) => Array.from({ length: n }, (_, i) => ({ src: 'a', srcNs: 'n', dst: 'b', dstNs: 'n', method: 'GET', path: `/users/${i}`, count: 1 }));
  h.serve('10.0.0.3', sidecarScrape([...calls(5), { src: 'a', srcNs: 'n', dst: 'b', dstNs: 'n', method: 'GET', path: '/health', count: 1 },
    { src: 'a', srcNs: 'n', dst: 'b', dstNs: 'n', method: 'GET', path: '/metrics', count: 1 }]));
  assert.equal(simple((await h.w.round()).records), ['a->b /health [GET]', 'a->b /users/{id} [GET]']);
  assert.match(await metric(h, 'netmapper_istio_series_skipped_total'), /reason="path-cap"} 1/);
});

test('a failing sidecar is counted by reason and does not stop the others; all failing makes health unhappy', async () => {
  const h = harness();
  h.set([pod('ok', '10.0.0.4', T0 + 1), pod('down', '10.0.0.5', T0 + 1)]);
  h.serve('10.0.0.4', sidecarScrape([{ src: 'a', srcNs: 'n', dst: 'b', dstNs: 'n', method: 'GET', path: '/x', count: 2 }]));
  const r = await h.w.round();
  assert.equal([r.sidecars, r.scraped, r.failed], [2, 1, 1]);
  assert.equal(simple(r.records), ['a->b /x [GET]']);
  assert.match(await metric(h, 'netmapper_istio_scrape_failures_total'), /reason="refused"} 1/);
  assert.is(h.w.health(), undefined);
  h.set([pod('down', '10.0.0.5', T0 + 1)]);
  await h.w.round();
  assert.match(h.w.health() ?? '', /all 1 sidecar scrapes failed/);
});

test('the real scrape (no Telemetry resource) reports nothing and says why in the metrics', async () => {
  const h = harness({ reportHistory: true });
  h.set([pod('httpbin', '10.0.0.6')]);
  h.serve('10.0.0.6', readIstioFixture('zirain-httpbin-merged.prom'));
  assert.equal((await h.w.round()).records, []);
  assert.match(await metric(h, 'netmapper_istio_series_skipped_total'), /reason="no-request-path"} 1/);
  assert.match(await metric(h, 'netmapper_istio_sidecars_scraped_total'), /netmapper_istio_sidecars_scraped_total 1/);
});

test('mesh Prometheus mode: one query per round, increases become records, failures counted', async () => {
  let answer: any = { series: [{ key: 'k', srcWorkload: 'a', srcNamespace: 'n', dstWorkload: 'b', dstNamespace: 'n', method: 'POST', path: '/p', value: 3 }], skipped: { 'unknown-workload': 2 } };
  const metrics = createWatcherMetrics();
  const w = createIstioWatcher({ ...OPTS, prometheusUrl: 'http://127.0.0.1:9' }, {
    sidecars: () => { throw new Error('not used in Prometheus mode'); }, deliver: () => {}, metrics, queryPrometheus: async () => answer,
  });
  assert.equal(simple((await w.round()).records), ['a->b /p [POST]']);
  answer = { failure: 'timeout', detail: 'slow' };
  assert.equal((await w.round()).records, []);
  assert.match(w.health() ?? '', /Prometheus/);
  const text = await metrics.registry.render();
  assert.match(text, /netmapper_istio_series_skipped_total\{reason="unknown-workload"} 2/);
  assert.match(text, /netmapper_istio_scrape_failures_total\{reason="timeout"} 1/);
});

test.run();
