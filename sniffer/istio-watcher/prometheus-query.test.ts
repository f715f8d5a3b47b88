import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { queryMeshPrometheus, requestsQuery, seriesFromQueryResponse } from './prometheus-query.ts';

const vector = (result: unknown[]) => JSON.stringify({ status: 'success', data: { resultType: 'vector', result } });
const item = (m: Record<string, string>, v: string) => ({ metric: m, value: [1764244800.123, v] });
const LABELS = { source_workload: 'web', source_workload_namespace: 'shop', destination_workload: 'cart', destination_workload_namespace: 'shop',
  destination_service_name: 'cart', request_method: 'GET', request_path: '/api/cart' };

test('the query sums increase() by the labels the map needs, over the window', () => {
  assert.is(requestsQuery(120), 'sum by (source_workload, source_workload_namespace, destination_workload, destination_workload_namespace, destination_service_name, request_method, request_path) (increase(istio_requests_total{request_path!=""}[120s]))');
});

test('a vector answer: increases above zero become series; unknown and malformed are counted', () => {
  const r = seriesFromQueryResponse(vector([
    item(LABELS, '4.000133'), item({ ...LABELS, request_path: '/idle' }, '0'), item({ ...LABELS, source_workload: 'unknown' }, '1'),
    item({ ...LABELS, request_path: 'unknown' }, '1'), item(LABELS, 'NaN'), { nonsense: true }, item({ ...LABELS, destination_service_name: 'unknown' }, '2'),
  ]));
  if ('failure' in r) throw new Error(r.detail);
  assert.equal(r.series.map((s) => [s.srcWorkload, s.dstWorkload, s.path, s.method, s.dstService, s.value]),
    [['web', 'cart', '/api/cart', 'GET', 'cart', 4.000133], ['web', 'cart', '/api/cart', 'GET', undefined, 2]]);
  assert.equal(r.skipped, { 'unknown-workload': 1, 'unknown-path': 1, 'bad-sample': 2 });
});

test('errors and odd answers are reasons', () => {
  assert.equal(seriesFromQueryResponse('<html>'), { failure: 'bad-response', detail: 'not JSON' });
  assert.is((seriesFromQueryResponse(JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error' })) as any).failure, 'query-error');
  assert.is((seriesFromQueryResponse(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } })) as any).failure, 'bad-response');
});

test('against a loopback stand-in: one GET of /api/v1/query with the query', async () => {
  const seen: string[] = [];
  const server = createServer((req, res) => { seen.push(req.url!); res.writeHead(200, { 'content-type': 'application/json' }).end(vector([item(LABELS, '1')])); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prom`;
    const r = await queryMeshPrometheus({ url, windowSeconds: 60, timeoutMs: 1000, maxBytes: 1 << 20 });
    assert.ok('series' in r && r.series.length === 1);
    assert.is(seen.length, 1);
    const u = new URL(seen[0]!, 'http://x');
    assert.is(u.pathname, '/prom/api/v1/query');
    assert.is(u.searchParams.get('query'), requestsQuery(60));
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

test.run();
