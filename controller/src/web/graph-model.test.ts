import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildGraphModel, mapChoices } from './graph-model.ts';
import { loadIntents } from '../../../fixtures/test-support/export-testdata.ts';
import type { Intent } from '../model.ts';

const NOW = new Date('2026-11-27T12:00:00Z');
const w = (name: string, namespace: string, kind = 'Deployment') => ({ name, namespace, kind });
const base = { firstSeen: '2026-11-27T10:00:00Z', lastSeen: '2026-11-27T11:00:00Z', count: 1 };

test('one edge per client and destination; types, times, counts, sources, topics and paths merged', () => {
  const intents: Intent[] = [
    { ...base, client: w('web', 'shop'), server: w('api', 'shop'), type: 'plain', sources: ['tcp'] },
    { ...base, client: w('web', 'shop'), server: w('api', 'shop'), type: 'http', sources: ['istio'], firstSeen: '2026-11-27T09:00:00Z', count: 4,
      httpResources: [{ path: '/b', methods: ['GET'] }] },
    { ...base, client: w('web', 'shop'), server: w('api', 'shop'), type: 'http', sources: ['istio'], lastSeen: '2026-11-27T11:30:00Z',
      httpResources: [{ path: '/a', methods: ['POST'] }, { path: '/b', methods: ['DELETE'] }] },
    { ...base, client: w('api', 'shop'), server: w('kafka', 'infra', 'StatefulSet'), type: 'kafka', sources: ['kafka'], kafkaTopics: [{ name: 'orders', operations: ['produce'] }] },
  ];
  const m = buildGraphModel(intents, mapChoices(intents), 9, NOW);
  assert.is(m.revision, 9);
  assert.equal(m.nodes.map((n) => n.id), ['w:shop/web', 'w:shop/api', 'w:infra/kafka']);
  assert.is(m.nodes[2].kind, 'StatefulSet');
  assert.is(m.edges.length, 2);
  assert.equal(m.edges[0], {
    id: 'w:shop/web>w:shop/api', source: 'w:shop/web', target: 'w:shop/api', types: ['http', 'plain'],
    firstSeen: '2026-11-27T09:00:00Z', lastSeen: '2026-11-27T11:30:00Z', count: 6, sources: ['istio', 'tcp'],
    paths: [{ path: '/a', methods: ['POST'] }, { path: '/b', methods: ['DELETE', 'GET'] }],
  });
  assert.equal(m.edges[1].topics, [{ name: 'orders', operations: ['produce'] }]);
  assert.equal(m.namespaces, ['infra', 'shop']);
});

test('Internet destinations are their own nodes; namespaces and label hints come from the unfiltered map', () => {
  const all = loadIntents('internet.intents.json');
  all[0] = { ...all[0], client: { ...all[0].client, labels: { tier: 'web' } } };
  const filtered = all.filter((i) => i.client.namespace === 'shop');
  const m = buildGraphModel(filtered, mapChoices(all), 1, NOW);
  const ext = m.nodes.filter((n) => n.kind === 'Internet');
  assert.ok(ext.length > 0);
  for (const n of ext) { assert.is(n.namespace, undefined); assert.ok(n.id.startsWith('i:')); assert.ok(n.internet!.ips.length + (n.internet!.domain ? 1 : 0) > 0); }
  assert.ok(m.nodes.every((n) => n.kind === 'Internet' || n.namespace));
  assert.ok(m.edges.every((e) => m.nodes.some((n) => n.id === e.source) && m.nodes.some((n) => n.id === e.target)));
  assert.equal(m.namespaces, [...new Set(all.flatMap((i) => [i.client.namespace, ...(i.server ? [i.server.namespace] : [])]))].sort());
  assert.equal(m.labels, ['tier=web']);
  assert.is(m.generatedAt, NOW.toISOString());
});

test.run();
