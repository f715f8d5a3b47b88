import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { IntentObservation } from './entry.ts';
import { observationJson } from './observation-json.ts';

const web = { name: 'web', namespace: 'shop', kind: 'Deployment', labels: { app: 'web', 'quote"d': 'a\nb' } };
const cart = { name: 'cart', namespace: 'shop', kind: 'Deployment' };
const T = Date.parse('2026-11-21T10:00:00.000Z');

test('every observation shape parses back to itself (the cached identity text included)', () => {
  const shapes: IntentObservation[] = [
    { client: web, server: cart, type: 'plain', lastSeen: T, count: 3, source: 'tcp' },
    { client: web, server: cart, type: 'plain', lastSeen: T + 1, count: 1, source: 'socket' },   // the same identities again: cached text
    { client: web, type: 'internet', internet: { domain: 'api.stripe.com', ips: ['198.51.100.7'], ports: [443] }, lastSeen: T, count: 1, source: 'dns' },
    { client: web, server: cart, type: 'kafka', kafkaTopics: [{ name: 'orders', operations: ['consume'] }], lastSeen: T, count: 1, source: 'kafka' },
    { client: web, server: cart, type: 'http', httpResources: [{ path: '/a', methods: ['GET'] }], lastSeen: T, count: 2, source: 'istio' },
  ];
  for (const o of shapes) {
    const line = observationJson(o);
    assert.not.match(line, /\n/, 'one line');
    assert.equal(JSON.parse(line), JSON.parse(JSON.stringify(o)), line);
  }
});

test('the plain pod-to-pod line is what JSON.stringify writes for the same field order', () => {
  const o: IntentObservation = { client: web, server: cart, type: 'plain', lastSeen: T, count: 3, source: 'tcp' };
  assert.is(observationJson(o), JSON.stringify(o));
});

test.run();
