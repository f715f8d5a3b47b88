import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fixtureFiles, fixtureObjects } from '../../../fixtures/test-support/fixtures.ts';
import { SnapshotError } from './errors.ts';
import { createSnapshotBuilder, loadSnapshotView, readJsonWhole, snapshotViewFromObjects, WHOLE_JSON_MAX } from './snapshot.ts';
import { probeFromObjects, viewAnswers } from './view-conformance.ts';
import { streamJsonElements } from './snapshot-json-stream.ts';

const ALL = [...fixtureFiles('popeye'), ...fixtureFiles('k9s'), ...fixtureFiles('kubectl-neat')];
const tmp = mkdtempSync(join(tmpdir(), 'nm-snap-'));
const write = (name: string, text: string) => { const p = join(tmp, name); writeFileSync(p, text); return p; };

async function rejects(p: Promise<unknown>): Promise<SnapshotError> {
  try { await p; } catch (err) { assert.instance(err, SnapshotError); return err as SnapshotError; }
  throw new Error('expected a SnapshotError');
}

test('loads the real dumps (List, PodList, single JSON objects) and counts what it keeps and skips', async () => {
  const view = await loadSnapshotView(ALL);
  assert.is(view.stats.files, ALL.length);
  assert.is(view.stats.kept.Pod, 5 + 2 + 3 + 1 + 2);   // popeye pod_2 + pod_3, k9s p1/po/po_sidecar, neat pod1, neat list1
  assert.is(view.stats.kept.DaemonSet, 4);
  assert.equal(view.stats.skipped, { NetworkPolicy: 1 });
  assert.ok(view.stats.duplicates >= 1, 'popeye lists DaemonSet ds2 twice');
  assert.ok(view.isSynced());
});

test('podsByIp: two pods on one IP (popeye pod_3), single podIP (k9s), unknown IP', async () => {
  const view = await loadSnapshotView(ALL);
  assert.equal(view.podsByIp('172.1.0.3').map((p) => `${p.namespace}/${p.name}`), ['ns1/p1', 'ns2/p2']);
  const [nginx] = view.podsByIp('10.44.0.229');
  assert.is(nginx.name, 'nginx-7fb78fb6d8-2w75j');
  assert.is(nginx.uid, '91bb1cf2-2c03-11ea-883f-42010a800044');
  assert.is(nginx.createdAt, Date.parse('2019-12-31T19:27:22Z'));
  assert.equal(nginx.owner, { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'nginx-7fb78fb6d8', uid: '7ccd0600-2c03-11ea-883f-42010a800044' });
  assert.equal(view.podsByIp('10.9.9.9'), []);
  assert.is(view.pod('default', 'p2')?.uid, 'default/p2', 'a pod without uid gets namespace/name');
});

test('services: ClusterIP lookup, ambiguous ClusterIP, ExternalName, legacy Endpoints → pods', async () => {
  const view = await loadSnapshotView(ALL);
  assert.is(view.serviceByClusterIp('10.96.66.245')?.name, 'svc1');
  assert.is(view.serviceByClusterIp('10.96.12.148'), undefined, 'svc2, svc4, svc5 all claim it');
  assert.equal(view.service('default', 'svc3')?.clusterIps, []);
  assert.is(view.service('default', 'svc3')?.type, 'ExternalName');
  assert.equal(view.servicePods('default', 'svc1').map((p) => p.name), ['p1']);
  assert.equal(view.servicePods('default', 'svc-none').map((p) => p.name), ['p4', 'p5']);
  assert.equal(view.servicePods('default', 'nothing'), []);
  assert.is(view.serviceByClusterIp('10.47.248.116')?.name, 'dictionary1');
});

test('nodes: InternalIP is a node address, the Hostname entry is not', async () => {
  const view = await loadSnapshotView(ALL);
  assert.ok(view.isNodeIp('192.168.64.107'));
  assert.not.ok(view.isNodeIp('minikube'));
  assert.not.ok(view.isNodeIp('10.44.0.229'));
});

test('getOwner: ReplicaSet → Deployment, Job → CronJob across apiVersions, missing owner', async () => {
  const view = await loadSnapshotView(ALL);
  const rs = await view.getOwner('default', { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs1' });
  assert.equal(rs?.owner, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'dp1' });
  const job = await view.getOwner('default', { apiVersion: 'batch/v1', kind: 'Job', name: 'hello-1567179180' });
  assert.is(job?.owner?.kind, 'CronJob');
  const cj = await view.getOwner('default', job!.owner!);
  assert.is(cj?.name, 'hello');
  assert.is(await view.getOwner('default', { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs5' }), undefined);
});

test('multi-document YAML with an empty document, and a JSON array; IPv6 podIPs', async () => {
  const [pod] = fixtureObjects(fixtureFiles('k9s').filter((f) => f.endsWith('po_sidecar.json')));
  const dual = structuredClone(pod) as any;
  dual.status.podIPs = [{ ip: '10.244.0.8' }, { ip: 'fd00:10:244::8' }];
  const [svc] = fixtureObjects(fixtureFiles('k9s').filter((f) => f.endsWith('svc.json'))) as any[];
  svc.spec.clusterIPs = ['10.47.248.116', 'fd00:10:96::116'];
  const yamlFile = write('multi.yaml', `---\n${JSON.stringify(dual)}\n---\n${JSON.stringify(svc)}\n---\n`);
  const view = await loadSnapshotView([yamlFile]);
  assert.is(view.podsByIp('fd00:10:244::8')[0]?.name, 'sleep');
  assert.is(view.serviceByClusterIp('fd00:10:96::116')?.name, 'dictionary1');
  const jsonFile = write('arr.json', JSON.stringify([dual, svc]));
  assert.is((await loadSnapshotView([jsonFile])).podsByIp('10.244.0.8')[0]?.name, 'sleep');
});

test('errors name the file, the document and the field', async () => {
  let e = await rejects(loadSnapshotView([join(tmp, 'missing.yaml')]));
  assert.is(e.code, 'snapshot-read');
  e = await rejects(loadSnapshotView([write('bad.yaml', 'apiVersion: v1\nkind: Pod\n---\nkind: [\n')]));
  assert.is(e.code, 'snapshot-parse');
  assert.is(e.documentIndex, 1);
  e = await rejects(loadSnapshotView([write('nokind.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\napiVersion: v1\nmetadata: {name: b}\n')]));
  assert.is(e.code, 'snapshot-document');
  assert.is(e.documentIndex, 1);
  assert.is(e.field, 'kind');
  e = await rejects(loadSnapshotView([write('badip.yaml', 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: a, namespace: x}\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: b, namespace: x}\n  status: {podIPs: "10.0.0.1"}\n')]));
  assert.is(e.field, 'items[1].status.podIPs');
  assert.match(e.message, /badip\.yaml document 0 field items\[1\]\.status\.podIPs: Pod x\/b: status\.podIPs must be a list/);
  e = await rejects(loadSnapshotView([write('badtime.json', JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', creationTimestamp: 'yesterday' } }))]));
  assert.is(e.field, 'metadata.creationTimestamp');
  e = await rejects(loadSnapshotView([write('scalar.yaml', '42\n')]));
  assert.match(e.message, /not a Kubernetes object/);
  e = await rejects(loadSnapshotView([write('items.yaml', 'apiVersion: v1\nkind: List\nitems: 3\n')]));
  assert.is(e.field, 'items');
});

test('a JSON List of 200k objects loads (no spread into push: no stack limit)', async () => {
  const items: unknown[] = Array.from({ length: 200_000 }, (_, i) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${i}` } }));
  items.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns-1', creationTimestamp: '2026-01-01T00:00:00Z' }, status: { podIP: '10.0.0.9' } });
  const view = await loadSnapshotView([write('big.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items }))]);
  assert.is(view.stats.kept.Namespace, 200_000);
  assert.is(view.podsByIp('10.0.0.9').length, 1);
});

test('bad UTF-8 is refused naming the file and the line; YAML errors name the document and line', async () => {
  const p = join(tmp, 'latin1.yaml');
  writeFileSync(p, Buffer.concat([Buffer.from('apiVersion: v1\nkind: Pod\nmetadata:\n  name: caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
  let e = await rejects(loadSnapshotView([p]));
  assert.is(e.code, 'snapshot-parse');
  assert.match(e.message, /latin1\.yaml.*not valid UTF-8.*line 4/);
  e = await rejects(loadSnapshotView([write('badline.yaml', 'apiVersion: v1\nkind: Pod\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: [a\n')]));
  assert.is(e.documentIndex, 1);
  assert.match(e.message, /badline\.yaml document 1: not valid YAML.*line \d+/);
});

test('duplicates are counted (the later object wins), in YAML as in JSON', async () => {
  const pod = (ip: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x, creationTimestamp: "2026-01-01T00:00:00Z"}\nstatus: {podIP: ${ip}}\n`;
  const view = await loadSnapshotView([write('dup.yaml', `${pod('10.0.0.1')}---\n${pod('10.0.0.2')}`)]);
  assert.is(view.stats.duplicates, 1);
  assert.is(view.podsByIp('10.0.0.2').length, 1);
});

test('snapshotViewFromObjects: sync construction from parsed objects', () => {
  const view = snapshotViewFromObjects(fixtureObjects(fixtureFiles('kubectl-neat')), 'neat');
  assert.is(view.podsByIp('172.17.0.2')[0]?.name, 'myapp');
  assert.ok(view.service('default', 'myappservice'));
});

const podObj = (name: string, ip: string, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'x', creationTimestamp: '2026-01-01T00:00:00Z' }, status: { podIP: ip }, ...extra });

test('the JSON scanner cuts items exactly at any chunk size: escapes, brackets and commas in strings, nesting, UTF-8, kubectl key order', async () => {
  const items = [
    podObj('a', '10.0.0.1', { note: 'quote \" and backslash \\ and } ] , [ { inside' }),
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'é–ü€𝄞', items: [1, [2, { items: [] }]] }, data: { '\\': '\\\\"' } },
    podObj('b', '10.0.0.2'),
    [], 0, 'str', null, true,
  ];
  const text = JSON.stringify({ apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '', items: 'not these' } }, null, 4);
  const p = write('cut.json', text);
  for (const chunk of [1, 2, 3, 5, 7, 16, 64, 1 << 20]) {
    const got: unknown[] = [];
    const res = await streamJsonElements(p, (el, i) => { assert.is(i, got.length); assert.ok(el.ok); got.push(el.value); }, chunk);
    assert.equal(got, items, `chunk ${chunk}`);
    assert.equal(JSON.parse(res.envelope.toString('utf8')), { apiVersion: 'v1', items: [], kind: 'List', metadata: { resourceVersion: '', items: 'not these' } }, `chunk ${chunk}`);
  }
  // Pretty-printed with surprises for the fast path (closing line at another column, a bad item, a
  // closing line that would cut two elements into one candidate): each is cut right or counted.
  const odd = [
    '{', '    "apiVersion": "v1",', '    "items": [',
    '        {', '            "a": 1', '          },',           // closes at column 10: the candidate runs on to the next item, does not parse: byte scan
    '        {', '            "b": [', '        ]', '        },', // a ] at column 8 inside: the } candidate is the real one
    '        {', '            "c": 3,', '        },',             // bad JSON (trailing comma): counted
    '        {"d": 4},',                                          // compact inside pretty
    '        {', '            "e": "\\u00e9 \\" }"', '        }',
    '    ],', '    "kind": "List"', '}', ''].join('\n');
  const oddPath = write('odd.json', odd);
  for (const chunk of [1, 3, 8, 1 << 20]) {
    const seen: unknown[] = [];
    await streamJsonElements(oddPath, (el) => seen.push(el.ok ? el.value : 'bad'), chunk);
    assert.equal(seen, [{ a: 1 }, { b: [] }, 'bad', { d: 4 }, { e: 'é " }' }], `odd, chunk ${chunk}`);
  }
  const arr = write('arr2.json', JSON.stringify(items));
  const got: unknown[] = [];
  await streamJsonElements(arr, (el) => got.push(el.ok ? el.value : el.problem), 3);
  assert.equal(got, items);
});

test('a JSON List streams item by item: a bad item (bad JSON, bad UTF-8, a bad field, too deep) is skipped and counted naming file and item; the rest load', async () => {
  const good = (n: number) => JSON.stringify(podObj(`p${n}`, `10.0.1.${n}`));
  const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
  const parts = [
    Buffer.from(`{"apiVersion":"v1","items":[${good(0)},{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x",}},${good(1)},`),
    Buffer.from('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"caf'), Buffer.from([0xe9]), Buffer.from('","namespace":"x"}},'),
    Buffer.from(`${JSON.stringify(podObj('badip', '10.0.1.99', { status: { podIPs: '10.0.0.1' } }))},${deep},${good(2)}],"kind":"List","metadata":{}}`),
  ];
  const p = join(tmp, 'bad-items.json');
  writeFileSync(p, Buffer.concat(parts));
  const view = await loadSnapshotView([p]);
  assert.is(view.stats.kept.Pod, 3);
  for (const n of [0, 1, 2]) assert.is(view.podsByIp(`10.0.1.${n}`).length, 1);
  assert.is(view.stats.badItems, 4);
  const [json, utf8, field, tooDeep] = view.stats.badItemSamples;
  assert.match(json!, /bad-items\.json document 0 field items\[1\]: not valid JSON/);
  assert.match(utf8!, /bad-items\.json document 0 field items\[3\]: not valid UTF-8/);
  assert.match(field!, /bad-items\.json document 0 field items\[4\]\.status\.podIPs/);
  assert.match(tooDeep!, /items\[5\]/);
});

test('JSON structure errors name the file and the item; duplicates in a JSON List are counted; flow-style YAML starting with { still loads', async () => {
  const e = await rejects(loadSnapshotView([write('cut-off.json', `{"apiVersion":"v1","items":[${JSON.stringify(podObj('a', '10.0.0.1'))},${JSON.stringify(podObj('b', '10.0.0.2')).slice(0, 40)}`)]));
  assert.is(e.code, 'snapshot-parse');
  assert.is(e.field, 'items[1]');
  assert.match(e.message, /cut-off\.json document 0 field items\[1\]: not valid JSON: the file ends inside/);
  const dup = await loadSnapshotView([write('dup.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [podObj('a', '10.0.0.1'), podObj('a', '10.0.0.2')] }))]);
  assert.is(dup.stats.duplicates, 1);
  assert.is(dup.podsByIp('10.0.0.2').length, 1);
  const notList = await rejects(loadSnapshotView([write('notlist.json', JSON.stringify({ apiVersion: 'v1', items: [podObj('a', '10.0.0.1')], kind: 'Pod' }))]));
  assert.is(notList.field, 'kind');
  const flow = await loadSnapshotView([write('flow.yaml', '{apiVersion: v1, kind: Pod, metadata: {name: a, namespace: x, creationTimestamp: "2026-01-01T00:00:00Z"}, status: {podIP: 10.0.0.7}}\n')]);
  assert.is(flow.podsByIp('10.0.0.7').length, 1);
  const badEnv = join(tmp, 'badenv.json');
  writeFileSync(badEnv, Buffer.concat([Buffer.from(`{"apiVersion":"v1","items":[${JSON.stringify(podObj('a', '10.0.0.1'))}],"kind":"List","metadata":{"x":"`), Buffer.from([0xff]), Buffer.from('"}}')]));
  const be = await rejects(loadSnapshotView([badEnv]));
  assert.match(be.message, /badenv\.json document 0: not valid UTF-8 outside the items/);
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test('a small JSON file read whole takes exactly what the stream takes (the same file padded past WHOLE_JSON_MAX is streamed): Lists, arrays, single objects, bad items, duplicate and escaped items keys', async () => {
  const objects = fixtureObjects([fileURLToPath(new URL('../../../fixtures/online-boutique/cluster.yaml', import.meta.url))]);
  const dumps = fixtureObjects([...fixtureFiles('k9s'), ...fixtureFiles('popeye')]);   // pods with configMap volumes: items inside items
  const pods = objects.filter((o) => o.kind === 'Pod');
  const [a, b] = [JSON.stringify(podObj('dup-a', '10.0.7.1')), JSON.stringify(podObj('dup-b', '10.0.7.2'))];
  const volumePod = JSON.stringify(podObj('vol', '10.0.7.3', { spec: { volumes: [{ name: 'c', configMap: { name: 'c', items: [{ key: 'k', path: 'p' }] } }] } }));
  const cases: Record<string, string> = {
    'compact List': JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }),
    'pretty List': JSON.stringify({ apiVersion: 'v1', items: objects, kind: 'List', metadata: { resourceVersion: '' } }, null, 4),
    'top-level array of objects and Lists': JSON.stringify([...pods.slice(0, 3), { apiVersion: 'v1', kind: 'List', items: pods.slice(3) }, null]),
    'single object': JSON.stringify(pods[0]),
    'a List whose items are null': '{"apiVersion":"v1","kind":"List","items":null}',
    'items that are not a List\'s': `{"apiVersion":"v1","kind":"Pod","items":[${a}]}`,
    'a bad item among good ones': `{"apiVersion":"v1","kind":"List","items":[${a},${JSON.stringify(podObj('badip', '10.0.7.9', { status: { podIPs: '10.0.0.1' } }))},${b}]}`,
    'two items keys (the stream takes the first)': `{"apiVersion":"v1","items":[${a}],"kind":"List","items":[${b}]}`,
    'an escaped items key after a plain one': `{"apiVersion":"v1","items":[${a}],"kind":"List","it\\u0065ms":[${b}]}`,
    'an escaped items key alone': `{"apiVersion":"v1","it\\u0065ms":[${a}],"kind":"List"}`,
    'items inside an item': `{"apiVersion":"v1","kind":"List","items":[${volumePod},${a}]}`,
    'k9s and popeye dumps': JSON.stringify({ apiVersion: 'v1', kind: 'List', items: dumps }),
  };
  const probe = probeFromObjects([...objects, ...dumps, ...[a, b, volumePod].map((x) => JSON.parse(x))]);
  const outcome = async (path: string) => {
    try {
      const view = await loadSnapshotView([path]);
      return { stats: JSON.parse(JSON.stringify(view.stats).replaceAll(path, 'FILE')), answers: await viewAnswers(view, probe) };
    } catch (err) {
      return { error: (err as Error).message.replace(path, 'FILE') };
    }
  };
  const streamedOnly = new Set(['two items keys (the stream takes the first)', 'an escaped items key after a plain one', 'an escaped items key alone', 'items inside an item', 'k9s and popeye dumps']);
  for (const [name, text] of Object.entries(cases)) {
    const p = write('whole.json', text);
    assert.is(await readJsonWhole(createSnapshotBuilder(), p, text.startsWith('[')).catch(() => true), !streamedOnly.has(name), `${name}: read whole`);
    const whole = await outcome(p);
    const streamed = await outcome(write('streamed.json', text + ' '.repeat(WHOLE_JSON_MAX)));
    assert.equal(whole, streamed, name);
  }
  assert.equal((await outcome(write('dup.json', cases['two items keys (the stream takes the first)']!))).answers?.['podsByIp 10.0.7.2'], [], 'the second items array is not read');
});

test.run();
