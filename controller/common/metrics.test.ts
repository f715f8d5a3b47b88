import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMetrics } from './metrics.ts';

test('Prometheus text through prom-client: HELP/TYPE, labelled samples, escaped values, zero for an untouched counter', async () => {
  const m = createMetrics();
  const c = m.counter('x_total', 'Things.');
  m.counter('y_total', 'Nothing yet.');
  c.inc({ reason: 'a"b\\c\nd' });
  c.inc({ reason: 'ok' }, 2);
  m.gauge('z', 'Size.', () => 7);
  m.gauge('r_total', 'Kept elsewhere.', () => [{ labels: { k: 'v' }, value: 3 }], 'counter');
  const g = m.gauge('level', 'Level.');
  let level = 5;
  m.onCollect(() => g.set(level));
  level = 9;
  assert.is(await m.render(), [
    '# HELP x_total Things.', '# TYPE x_total counter', 'x_total{reason="a\\"b\\\\c\\nd"} 1', 'x_total{reason="ok"} 2', '',
    '# HELP y_total Nothing yet.', '# TYPE y_total counter', 'y_total 0', '',
    '# HELP z Size.', '# TYPE z gauge', 'z 7', '',
    '# HELP r_total Kept elsewhere.', '# TYPE r_total counter', 'r_total{k="v"} 3', '',
    '# HELP level Level.', '# TYPE level gauge', 'level 9', '',
  ].join('\n'));
  assert.is(c.get({ reason: 'ok' }), 2);
  assert.is(m.counter('x_total', '').get({ reason: 'ok' }), 2, 'the same family by name');
  assert.match(m.contentType, /^text\/plain; version=0\.0\.4/);
});

test('process metrics when asked for', async () => {
  assert.match(await createMetrics({ processMetrics: true }).render(), /^process_cpu_seconds_total \d/m);
  assert.not.match(await createMetrics().render(), /process_cpu/);
});

test('histograms: buckets, sum and count per label set, one family per name', async () => {
  const m = createMetrics();
  const h = m.histogram('req_seconds', 'Latency.', ['route'], [0.1, 1]);
  h.observe({ route: '/a' }, 0.05);
  h.observe({ route: '/a' }, 0.5);
  m.histogram('req_seconds', 'Latency.', ['route']).observe({ route: '/a' }, 5);
  const text = await m.render();
  assert.match(text, '# TYPE req_seconds histogram');
  assert.match(text, 'req_seconds_bucket{le="0.1",route="/a"} 1');
  assert.match(text, 'req_seconds_bucket{le="1",route="/a"} 2');
  assert.match(text, 'req_seconds_bucket{le="+Inf",route="/a"} 3');
  assert.match(text, 'req_seconds_sum{route="/a"} 5.55');
  assert.match(text, 'req_seconds_count{route="/a"} 3');
});

test('build info: one sample of 1 naming version, revision, role and node', async () => {
  const text = await createMetrics({ buildInfo: { role: 'sniffer', node: 'n1' } }).render();
  const line = text.split('\n').find((l) => l.startsWith('netmapper_build_info{'));
  assert.ok(line, text);
  assert.match(line!, /version="0\.1\.0"/);
  assert.match(line!, /revision="[^"]+"/);
  assert.match(line!, /role="sniffer"/);
  assert.match(line!, /node="n1"/);
  assert.match(line!, / 1$/);
  assert.not.match(await createMetrics().render(), /build_info/);
});

test.run();
