import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMetrics } from './metrics.ts';

test('renders counters and gauges with escaped labels in Prometheus text format', () => {
  const m = createMetrics();
  const c = m.counter('x_total', 'Things.');
  const g = m.gauge('y', 'Level.');
  c.inc({ reason: 'bad "quote"\n' });
  c.inc({ reason: 'bad "quote"\n' }, 2);
  c.inc({ reason: 'truncated' });
  let level = 5;
  m.onCollect(() => g.set(level));
  level = 7;
  assert.is(m.render(), [
    '# HELP x_total Things.', '# TYPE x_total counter',
    'x_total{reason="bad \\"quote\\"\\n"} 3', 'x_total{reason="truncated"} 1',
    '# HELP y Level.', '# TYPE y gauge', 'y 7', '',
  ].join('\n'));
  assert.is(c.get({ reason: 'truncated' }), 1);
});

test.run();
