import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { toClientIntents } from './client-intents.ts';
import { renderJson } from './json.ts';
import { renderList } from './list-text.ts';
import { loadIntents, readText, testdataPath } from '../../../fixtures/test-support/export-testdata.ts';
import type { Intent, WorkloadIdentity } from '../model.ts';

const ORACLES = testdataPath('otterize-oracle/');
const base = { firstSeen: '2026-11-21T10:00:00Z', lastSeen: '2026-11-21T10:00:00Z', count: 1, sources: ['dns' as const] };
const w = (name: string, namespace: string, kind = 'Deployment'): WorkloadIdentity => ({ name, namespace, kind });
const plain = (client: WorkloadIdentity, server: WorkloadIdentity): Intent => ({ ...base, client, server, type: 'plain' });
const internet = (client: WorkloadIdentity, domain: string, ports: number[]): Intent =>
  ({ ...base, client, type: 'internet', internet: { domain, ips: ['192.0.2.1'], ports } });

/** What Otterize's e2e does before diffing: jq 'sort_by(.metadata.namespace + .metadata.name)'. */
function e2eSort(docs: any[]): any[] {
  return [...docs].sort((a, b) => {
    const ka = a.metadata.namespace + a.metadata.name;
    const kb = b.metadata.namespace + b.metadata.name;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

test("Otterize's simple-tutorial oracle, byte for byte, with Internet left out", () => {
  const ns = 'otterize-tutorial-mapper';
  // The tutorial: client and client2 curl the server Service, client curls google.com, client2 xkcd.com.
  const intents = [
    internet(w('client2', ns), 'xkcd.com', [443]),
    plain(w('client2', ns), w('server', ns)),
    plain(w('client', ns), w('server', ns)),
    internet(w('client', ns), 'google.com', [80]),
  ];
  const oracle = readFileSync(`${ORACLES}simple-tutorial-intents.json`, 'utf8').trimEnd();
  const ours = renderJson(toClientIntents(intents, { includeInternet: false }));
  assert.is(JSON.stringify(e2eSort(JSON.parse(ours)), null, 2), oracle);
  assert.is(ours, oracle); // our own order already equals the e2e's sort here
  // With Internet kept, the same documents gain internet targets after the in-cluster one.
  const withInternet = JSON.parse(renderJson(toClientIntents(intents)));
  assert.equal(withInternet[0].spec.targets, [
    { kubernetes: { name: 'server', kind: 'Deployment' } },
    { internet: { domains: ['google.com'], ports: [80] } },
  ]);
  assert.equal(withInternet[1].spec.targets[1], { internet: { domains: ['xkcd.com'], ports: [443] } });
});

test("Otterize's kafka-tutorial oracle, modulo workload.kind as its e2e deletes it", () => {
  const ns = 'otterize-tutorial-kafka-mapping';
  const kafka = w('kafka', 'kafka', 'StatefulSet');
  const intents: Intent[] = [
    plain(w('client-2', ns), kafka),
    { ...base, client: w('client', ns, ''), server: kafka, type: 'kafka', sources: ['kafka'],
      kafkaTopics: [{ name: 'mytopic', operations: ['describe', 'consume'] }] },
    plain(w('client', ns), kafka),
    { ...base, client: w('client-2', ns, ''), server: kafka, type: 'kafka', sources: ['kafka'],
      kafkaTopics: [{ name: 'mytopic', operations: ['produce'] }, { name: 'mytopic', operations: ['describe'] }] },
  ];
  const strip = (docs: any[]) => docs.map((d) => { delete d.spec.workload.kind; return d; });
  const oracle = JSON.parse(readFileSync(`${ORACLES}kafka-tutorial-intents.json`, 'utf8'));
  const ours = strip(e2eSort(JSON.parse(renderJson(toClientIntents(intents)))));
  assert.is(JSON.stringify(ours, null, 2), JSON.stringify(strip(e2eSort(oracle)), null, 2));
});

test("the seed's Online Boutique listing (reference §10, today's format) from edges in any order", () => {
  const ns = 'otterize-ecom-demo';
  const edges = [
    'recommendationservice>productcatalogservice', 'frontend>shippingservice', 'checkoutservice>shippingservice',
    'loadgenerator>frontend', 'frontend>recommendationservice', 'checkoutservice>productcatalogservice',
    'frontend>productcatalogservice', 'checkoutservice>paymentservice', 'frontend>currencyservice',
    'checkoutservice>emailservice', 'frontend>checkoutservice', 'checkoutservice>currencyservice',
    'frontend>cartservice', 'checkoutservice>cartservice', 'frontend>adservice', 'cartservice>redis-cart',
  ];
  const intents = edges.map((e) => e.split('>')).map(([c, s]) => plain(w(c, ns), w(s, ns)));
  assert.is(renderList(toClientIntents(intents)), readText('online-boutique.list.txt'));
});

test('clients sorted by name then namespace; targets by name, namespace, then kind', () => {
  const intents = [
    plain(w('b', 'ns2'), w('z', 'ns2')),
    plain(w('b', 'ns1'), w('y', 'other')),
    plain(w('b', 'ns1'), w('x', 'ns1')),
    plain(w('a', 'ns9'), w('m', 'ns9')),
  ];
  assert.is(renderList(toClientIntents(intents)), [
    'a in namespace ns9 calls:', '  - m in namespace ns9',
    'b in namespace ns1 calls:', '  - x in namespace ns1', '  - y in namespace other',
    'b in namespace ns2 calls:', '  - z in namespace ns2', ''].join('\n'));
});

test('excludeServices drops clients, targets by name or name.ns, and emptied clients', () => {
  const intents = loadIntents('internet.intents.json');
  const names = (opts: Parameters<typeof toClientIntents>[1]) =>
    toClientIntents(intents, opts).map((d) => `${d.name}:${d.targets.length}`);
  assert.equal(names({}), ['api:1', 'client:4']);
  assert.equal(names({ excludeServices: ['client'] }), ['api:1']);
  assert.equal(names({ excludeServices: ['db.data'] }), ['client:4']);
  assert.equal(names({ excludeServices: ['db'] }), ['client:4']);
  assert.equal(names({ excludeServices: ['server', 'google.com'] }), ['api:1', 'client:2']);
  assert.equal(names({ excludeServices: ['client.other-ns'] }), ['api:1', 'client:4']);
});

test('an HTTP target replaces the plain target to the same workload; ALL and unknown methods dropped', () => {
  const c = w('c', 'n');
  const s = w('s', 'n');
  const docs = toClientIntents([
    plain(c, s),
    { ...base, client: c, server: s, type: 'http',
      httpResources: [{ path: '/b', methods: ['post' as any, 'ALL' as any, 'GET'] }, { path: '/a', methods: ['DELETE'] }] },
    plain(c, w('s', 'n', 'StatefulSet')),
  ]);
  assert.equal(docs[0].targets, [
    { kubernetes: { name: 's', kind: 'Deployment', http: [{ path: '/a', methods: ['DELETE'] }, { path: '/b', methods: ['GET', 'POST'] }] } },
    { kubernetes: { name: 's', kind: 'StatefulSet' } },
  ]);
});

test('intents that cannot become targets are skipped, not thrown on', () => {
  const c = w('c', 'n');
  const docs = toClientIntents([
    { ...base, client: c, type: 'plain' } as Intent,
    { ...base, client: c, type: 'internet' } as Intent,
    { ...base, client: c, type: 'internet', internet: { ips: [], ports: [] } },
    { ...base, client: c, type: 'internet', internet: { ips: ['198.51.100.2', '198.51.100.1'], ports: [0, 70000, 22] } },
  ]);
  assert.equal(docs.map((d) => d.targets), [[{ internet: { ips: ['198.51.100.1', '198.51.100.2'], ports: [22] } }]]);
});

test('the workload kind is the first non-empty client kind', () => {
  const docs = toClientIntents([plain(w('c', 'n', ''), w('s', 'n')), plain(w('c', 'n', 'StatefulSet'), w('t', 'n'))]);
  assert.equal(docs[0].workload, { name: 'c', kind: 'StatefulSet' });
});

test.run();
