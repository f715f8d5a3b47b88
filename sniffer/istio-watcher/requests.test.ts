import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readIstioFixture, sampleLine, callLabels, otterizeLabels } from '../../fixtures/test-support/istio-scrapes.ts';
import { parsePrometheusText } from './prom-text.ts';
import { extractRequests, SCRAPED_METRICS } from './requests.ts';

const extract = (text: string) => extractRequests(parsePrometheusText(text, { names: SCRAPED_METRICS }).samples);

test('the real scrape without a Telemetry resource: the series is counted as no-request-path, uptime read', () => {
  const r = extract(readIstioFixture('zirain-httpbin-merged.prom'));
  assert.equal(r.series, []);
  assert.equal(r.skipped, { 'no-request-path': 1 });
  assert.is(r.uptimeSeconds, 65326);
});

test('the real label set with request_method/request_path: both workloads, service, method, path', () => {
  const line = sampleLine('istio_requests_total', callLabels({ src: 'sleep', srcNs: 'default', dst: 'httpbin', dstNs: 'default', method: 'GET', path: '/status/418' }), 7);
  const r = extract(line);
  assert.is(r.series.length, 1);
  const s = r.series[0]!;
  assert.equal({ ...s, key: undefined }, {
    key: undefined, srcWorkload: 'sleep', srcNamespace: 'default', dstWorkload: 'httpbin', dstNamespace: 'default',
    dstService: 'httpbin', method: 'GET', path: '/status/418', value: 7,
  });
});

test('paths are whole: dots, dots-and-slashes and quotes survive (Otterize cut at the first dot)', () => {
  const paths = ['/index.html', '/v1.2/items.json', '/q"uote', '/a\\b'];
  const text = paths.map((p, i) => sampleLine('istio_requests_total', otterizeLabels('clientA', 'test-ns', 'server', 'test-ns', p, 'GET'), i + 1)).join('\n');
  assert.equal(extract(text).series.map((s) => s.path), paths);
});

test('unknown or empty workloads and paths are skipped and counted; an exact "unknown" only', () => {
  const mk = (src: string, dst: string, path: string) => sampleLine('istio_requests_total', otterizeLabels(src, 'test-ns', dst, 'test-ns', path, 'GET'), 1);
  const text = [mk('unknown', 'server', '/a'), mk('clientA', 'unknown', '/a'), mk('clientA', 'server', 'unknown'), mk('clientA', 'server', ''),
    mk('', 'server', '/a'), mk('unknown-ish', 'server', '/a'), mk('clientA', 'server', '/bad\npath'),
    'istio_requests_total{request_path="/x",source_workload="a",source_workload_namespace="n",destination_workload="b",destination_workload_namespace="n"} -1'].join('\n');
  const r = extract(text);
  assert.equal(r.series.map((s) => s.srcWorkload), ['unknown-ish']);
  assert.equal(r.skipped, { 'unknown-workload': 3, 'unknown-path': 2, 'control-characters': 1, 'bad-counter': 1 });
});

test('the series key ignores label order', () => {
  const a = extract('istio_requests_total{request_path="/p",source_workload="a",source_workload_namespace="n",destination_workload="b",destination_workload_namespace="n"} 1');
  const b = extract('istio_requests_total{destination_workload_namespace="n",destination_workload="b",source_workload_namespace="n",source_workload="a",request_path="/p"} 1');
  assert.is(a.series[0]!.key, b.series[0]!.key);
});

test.run();
