import { Hono } from 'hono';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMetrics } from '../common/metrics.ts';
import { REQUEST_DURATION, requestMetrics } from './request-metrics.ts';

test('latency per route pattern (a sub-app\'s too), method and code; unknown paths share one label value', async () => {
  const m = createMetrics();
  let clock = 0;
  const app = new Hono();
  app.use('*', requestMetrics(m, () => clock));
  const sub = new Hono();
  sub.get('/api/v1/graph.svg', (c) => { clock += 250; return c.text('svg'); });
  sub.get('/api/v1/clientintents/:name', (c) => { clock += 1; return c.text(c.req.param('name') ?? ''); });
  app.post('/api/v1/reports', (c) => { clock += 4; return c.json({}, 400); });
  app.route('/', sub);
  await app.request('/api/v1/graph.svg');
  await app.request('/api/v1/graph.svg');
  await app.request('/api/v1/clientintents/a');
  await app.request('/api/v1/clientintents/b');
  await app.request('/api/v1/reports', { method: 'POST' });
  await app.request('/nope/1');
  await app.request('/nope/2');
  const text = await m.render();
  assert.match(text, `${REQUEST_DURATION}_count{route="/api/v1/graph.svg",method="GET",code="200"} 2`);
  assert.match(text, `${REQUEST_DURATION}_sum{route="/api/v1/graph.svg",method="GET",code="200"} 0.5`);
  assert.match(text, `${REQUEST_DURATION}_count{route="/api/v1/clientintents/:name",method="GET",code="200"} 2`);
  assert.match(text, `${REQUEST_DURATION}_bucket{le="0.005",route="/api/v1/reports",method="POST",code="400"} 1`);
  assert.match(text, `${REQUEST_DURATION}_count{route="unmatched",method="GET",code="404"} 2`);
  assert.not.match(text, '/nope/');
});

test.run();
