import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMetrics } from '../common/metrics.ts';
import type { WorkloadIdentity } from './model.ts';
import { createIntentStore } from './store/intent-store.ts';
import { EDGE_LEFT_OUT, EDGE_SERIES, registerEdgeMetrics } from './edge-metrics.ts';

const id = (namespace: string, name: string): WorkloadIdentity => ({ name, namespace, kind: 'Deployment', labels: {} });
const T0 = Date.parse('2026-11-21T10:00:00.000Z');

function storeWith(n: number) {
  const s = createIntentStore();
  for (let i = 0; i < n; i++) s.add({ client: id('shop', `c${i}`), server: id('db', 'pg'), type: 'plain', lastSeen: T0 + i * 1000, count: 1, source: 'tcp' });
  s.add({ client: id('shop', 'c0'), type: 'internet', internet: { domain: 'api.example.com', ips: ['192.0.2.1'], ports: [443] }, lastSeen: T0, count: 1, source: 'dns' });
  return s;
}

const lines = (text: string, name: string) => text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));

test('one series per client/server pair, value = last seen in Unix seconds, Internet left out', async () => {
  const m = createMetrics();
  registerEdgeMetrics(m, storeWith(2), 10);
  const text = await m.render();
  assert.equal(lines(text, EDGE_SERIES), [
    `${EDGE_SERIES}{client="c0",client_namespace="shop",server="pg",server_namespace="db",kind="plain"} ${T0 / 1000}`,
    `${EDGE_SERIES}{client="c1",client_namespace="shop",server="pg",server_namespace="db",kind="plain"} ${T0 / 1000 + 1}`,
  ]);
  assert.equal(lines(text, EDGE_LEFT_OUT), [`${EDGE_LEFT_OUT} 0`]);
});

test('the cap keeps the most recently seen pairs and counts the rest', async () => {
  const m = createMetrics();
  registerEdgeMetrics(m, storeWith(5), 2);
  const text = await m.render();
  const kept = lines(text, EDGE_SERIES).map((l) => l.match(/client="(c\d)"/)![1]);
  assert.equal(kept.sort(), ['c3', 'c4']);
  assert.equal(lines(text, EDGE_LEFT_OUT), [`${EDGE_LEFT_OUT} 3`]);
});

test.run();
