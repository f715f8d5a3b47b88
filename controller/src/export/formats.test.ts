import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAllDocuments } from 'yaml';
import { toClientIntents } from './client-intents.ts';
import { renderList } from './list-text.ts';
import { renderYamlV2 } from './yaml-v2.ts';
import { renderYamlV1 } from './yaml-v1.ts';
import { renderJson } from './json.ts';
import { loadCrdValidator } from '../../../fixtures/test-support/crd-schema.ts';
import { loadIntents, readText } from '../../../fixtures/test-support/export-testdata.ts';

const v2 = loadCrdValidator('v2beta1');
const v1 = loadCrdValidator('v1alpha3');

test('reference §4.3 example: v2beta1 YAML line for line', () => {
  assert.fixture(renderYamlV2(toClientIntents(loadIntents('reference.intents.json'))), readText('reference.v2.yaml'));
});

test('reference §4.3 example: v1alpha3 YAML line for line', () => {
  assert.fixture(renderYamlV1(toClientIntents(loadIntents('reference.intents.json'))), readText('reference.v1.yaml'));
});

test('reference §4.3 example: JSON with Go field order', () => {
  assert.fixture(renderJson(toClientIntents(loadIntents('reference.intents.json'))), readText('reference.json'));
});

test('reference §4.2 example: list text', () => {
  assert.fixture(renderList(toClientIntents(loadIntents('list-example.intents.json'))), readText('list-example.txt'));
  assert.fixture(renderList(toClientIntents(loadIntents('reference.intents.json'))), readText('reference.list.txt'));
});

test('Internet destinations: list, v2beta1, v1alpha3', () => {
  const docs = toClientIntents(loadIntents('internet.intents.json'));
  assert.fixture(renderList(docs), readText('internet.list.txt'));
  assert.fixture(renderYamlV2(docs), readText('internet.v2.yaml'));
  assert.fixture(renderYamlV1(docs), readText('internet.v1.yaml'));
});

test('includeInternet false gives exactly the in-cluster map', () => {
  const docs = toClientIntents(loadIntents('internet.intents.json'), { includeInternet: false });
  assert.fixture(renderList(docs), readText('internet-excluded.list.txt'));
  assert.not.match(renderYamlV2(docs), 'internet');
  assert.not.match(renderJson(docs), 'internet');
});

test('empty map: list is empty, JSON is [], YAML is empty', () => {
  assert.is(renderList(toClientIntents([])), '');
  assert.is(renderJson(toClientIntents([])), '[]');
  assert.is(renderYamlV2(toClientIntents([])), '');
});

test('YAML parses back to the JSON objects (v2beta1)', () => {
  for (const f of ['reference.intents.json', 'internet.intents.json']) {
    const docs = toClientIntents(loadIntents(f));
    const fromYaml = parseAllDocuments(renderYamlV2(docs)).map((d) => d.toJS());
    const fromJson = (JSON.parse(renderJson(docs)) as Record<string, unknown>[]).map(({ kind, apiVersion, metadata, spec }) => {
      const { creationTimestamp, ...meta } = metadata as Record<string, unknown>;
      return { apiVersion, kind, metadata: meta, spec };
    });
    assert.equal(fromYaml, fromJson, f);
  }
});

test('YAML 1.1 readers (kubectl) read back the same strings too: yes, on, 1:20 are quoted, v1 and v2', () => {
  const docs = toClientIntents(loadIntents('reference.intents.json'));
  docs[0] = { ...docs[0], name: 'yes', namespace: 'on', workload: { name: '1:20', kind: 'Deployment' } };
  for (const text of [renderYamlV2(docs), renderYamlV1(docs)]) {
    assert.match(text, 'name: "yes"');
    assert.match(text, 'namespace: "on"');
    assert.match(text, 'name: "1:20"');
    const first = parseAllDocuments(text, { version: '1.1' })[0]!.toJS();
    assert.equal([first.metadata.name, first.metadata.namespace], ['yes', 'on']);
  }
});

test('awkward values are quoted so YAML reads back the same strings', () => {
  const intents = loadIntents('reference.intents.json');
  intents[0].httpResources = [{ path: '/a: b #c', methods: ['GET'] }, { path: '*', methods: ['PUT'] }];
  intents[2].server = { name: '123', namespace: 'demo', kind: 'true' };
  const docs = toClientIntents(intents);
  const back = parseAllDocuments(renderYamlV2(docs)).map((d) => d.toJS());
  const targets = back[0].spec.targets as any[];
  assert.equal(targets.find((t) => t.kubernetes?.name === 'web').kubernetes.http.map((h: any) => h.path), ['*', '/a: b #c']);
  assert.equal(targets.find((t) => t.kubernetes?.name === '123').kubernetes.kind, 'true');
  assert.equal(v2(back[0]), []);
});

test('every generated document validates against the CRD (v2beta1 and v1alpha3)', () => {
  let checked = 0;
  for (const f of ['reference.intents.json', 'internet.intents.json', 'list-example.intents.json']) {
    const docs = toClientIntents(loadIntents(f));
    for (const d of parseAllDocuments(renderYamlV2(docs))) { assert.equal(v2(d.toJS()), [], f); checked++; }
    for (const d of parseAllDocuments(renderYamlV1(docs))) { assert.equal(v1(d.toJS()), [], f); checked++; }
    for (const o of JSON.parse(renderJson(docs))) { assert.equal(v2(o), [], f); checked++; }
  }
  assert.is(checked, 12);
});

test('the CRD check can fail: bad operation, missing workload, unknown field', () => {
  const [doc] = JSON.parse(renderJson(toClientIntents(loadIntents('reference.intents.json'))));
  const badOp = structuredClone(doc); badOp.spec.targets[0].kafka.topics[0].operations = ['eat'];
  assert.ok(v2(badOp).some((e) => e.includes('operations/0')));
  const noWorkload = structuredClone(doc); delete noWorkload.spec.workload;
  assert.ok(v2(noWorkload).some((e) => e.includes('workload')));
  const extra = structuredClone(doc); extra.spec.targets[1].service.kind = 'Service';
  assert.ok(v2(extra).some((e) => e.includes('(kind)')));
  // A v2 document is not a valid v1alpha3 one (no spec.service, no calls).
  assert.ok(v1(doc).length > 0);
});

test.run();
