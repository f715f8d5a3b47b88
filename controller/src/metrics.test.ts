import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMetrics } from './metrics.ts';

test('Prometheus text: HELP/TYPE, labelled samples, escaped label values, zero for an untouched counter', () => {
  const m = createMetrics();
  const c = m.counter('x_total', 'Things.');
  m.counter('y_total', 'Nothing yet.');
  c.inc({ reason: 'a"b\\c\nd' });
  c.inc({ reason: 'ok' }, 2);
  m.gauge('z', 'Size.', () => 7);
  m.gauge('r_total', 'Kept elsewhere.', () => [{ labels: { k: 'v' }, value: 3 }], 'counter');
  assert.is(m.render(), [
    '# HELP x_total Things.', '# TYPE x_total counter', 'x_total{reason="a\\"b\\\\c\\nd"} 1', 'x_total{reason="ok"} 2',
    '# HELP y_total Nothing yet.', '# TYPE y_total counter', 'y_total 0',
    '# HELP z Size.', '# TYPE z gauge', 'z 7',
    '# HELP r_total Kept elsewhere.', '# TYPE r_total counter', 'r_total{k="v"} 3', '',
  ].join('\n'));
  assert.is(c.get({ reason: 'ok' }), 2);
});

test.run();
