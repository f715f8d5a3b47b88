import { CoreV1Api, makeInformer, type V1Pod } from '@kubernetes/client-node';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createFakeApiServer } from './fake-apiserver.ts';
import { fixtureFiles, fixtureObjects } from './fixtures.ts';
import { waitFor, withTimeout } from './wait.ts';

const objects = [...fixtureObjects(fixtureFiles('popeye')), ...fixtureObjects(fixtureFiles('k9s'))];

async function withServer(fn: (s: ReturnType<typeof createFakeApiServer>) => Promise<void>, opts = {}) {
  const s = createFakeApiServer(opts);
  await s.start();
  try { await fn(s); } finally { await s.close(); }
}

/** Reads NDJSON lines of a raw watch until `until` says stop (bounded by a timeout). */
async function readWatch(url: string, until: (lines: any[]) => boolean, ms = 5000) {
  const ac = new AbortController();
  const lines: any[] = [];
  const res = await fetch(url, { signal: ac.signal });
  const reader = res.body!.getReader();
  let buf = '';
  try {
    await withTimeout((async () => {
      while (!until(lines)) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += new TextDecoder().decode(value);
        let i;
        while ((i = buf.indexOf('\n')) >= 0) { lines.push(JSON.parse(buf.slice(0, i))); buf = buf.slice(i + 1); }
      }
    })(), ms, 'watch lines');
  } finally { ac.abort(); }
  return lines;
}

test('load: real dumps stored with uid, creationTimestamp and resourceVersion; unknown kinds skipped and counted', () => withServer(async (s) => {
  const { loaded, skipped } = s.load(objects);
  assert.ok(loaded > 20);
  assert.equal(skipped, { 'networking.k8s.io/v1 NetworkPolicy': 1, 'networking.k8s.io/v1 ReplicaSet': 1 });
  const pod = s.objects().find((o) => o.kind === 'Pod' && o.metadata.name === 'p2')!;
  assert.match(pod.metadata.uid, /^[0-9a-f-]{36}$/);
  assert.ok(Number(pod.metadata.resourceVersion) > 1000);
}));

test('list with limit/continue through the real client, consistent across pages', () => withServer(async (s) => {
  s.load(objects);
  const core = s.kubeConfig().makeApiClient(CoreV1Api);
  const all = await core.listPodForAllNamespaces();
  const names: string[] = [];
  let cont: string | undefined;
  let pages = 0;
  do {
    const page = await core.listPodForAllNamespaces({ limit: 3, _continue: cont });
    assert.is(page.metadata?.resourceVersion, all.metadata?.resourceVersion);
    names.push(...page.items.map((p) => p.metadata!.name!));
    cont = page.metadata?._continue;
    if (pages++ === 0) s.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'late', namespace: 'default' } });
  } while (cont);
  assert.equal(names, all.items.map((p) => p.metadata!.name!), 'pages are a snapshot: the late pod is not in them');
  assert.ok(pages >= 4);
  const bad = await fetch(`${s.url}/api/v1/pods?limit=1&continue=bogus`);
  assert.is(bad.status, 410);
}));

test('single GET, namespaced list, discovery, 404 as a Status', () => withServer(async (s) => {
  s.load(objects);
  const rs = await (await fetch(`${s.url}/apis/apps/v1/namespaces/default/replicasets/rs1`)).json();
  assert.is(rs.metadata.ownerReferences[0].name, 'dp1');
  const node = await (await fetch(`${s.url}/api/v1/nodes/minikube`)).json();
  assert.is(node.kind, 'Node');
  const nsList = await (await fetch(`${s.url}/api/v1/namespaces/ns1/pods`)).json();
  assert.equal(nsList.items.map((p: any) => p.metadata.name), ['p1']);
  const disc = await (await fetch(`${s.url}/apis/batch/v1`)).json();
  assert.equal(disc.resources.map((r: any) => r.name).sort(), ['cronjobs', 'jobs']);
  const missing = await fetch(`${s.url}/apis/apps/v1/namespaces/default/replicasets/nope`);
  assert.is(missing.status, 404);
  assert.is((await missing.json()).reason, 'NotFound');
  assert.ok(s.requests.some((r) => r.verb === 'get' && r.status === 404));
}));

test('watch: headers at once, replay after a resourceVersion, live events, bookmarks, 410 for a compacted version', () => withServer(async (s) => {
  s.load(objects);
  const rv = s.currentRv();
  s.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'w1', namespace: 'default' } });
  setTimeout(() => s.remove({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'w1', namespace: 'default' } }), 50);
  const lines = await readWatch(`${s.url}/api/v1/pods?watch=true&resourceVersion=${rv}`, (l) => l.some((x) => x.type === 'BOOKMARK'));
  assert.equal(lines.slice(0, 3).map((l) => `${l.type} ${l.object.metadata.name ?? ''}`), ['ADDED w1', 'DELETED w1', 'BOOKMARK ']);
  assert.ok(Number(lines[1].object.metadata.resourceVersion) > Number(lines[0].object.metadata.resourceVersion));
  s.compact();
  const gone = await readWatch(`${s.url}/api/v1/pods?watch=true&resourceVersion=${rv}`, (l) => l.length > 0);
  assert.is(gone[0].type, 'ERROR');
  assert.is(gone[0].object.code, 410);
}, { bookmarkIntervalMs: 200 }));

test('namespaced watch with resourceVersion 0 starts with the namespace\'s objects, then only its events', () => withServer(async (s) => {
  s.load(objects);
  setTimeout(() => {
    s.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'other-ns', namespace: 'ns2' } });
    s.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'mine', namespace: 'ns1' } });
  }, 50);
  const lines = await readWatch(`${s.url}/api/v1/namespaces/ns1/pods?watch=true&resourceVersion=0`, (l) => l.length >= 2);
  assert.equal(lines.map((l) => `${l.type} ${l.object.metadata.namespace}/${l.object.metadata.name}`), ['ADDED ns1/p1', 'ADDED ns1/mine']);
}));

test('a bulk load makes older resourceVersions too old (410), as a compaction would', () => withServer(async (s) => {
  const rv = s.currentRv();
  s.load(objects);
  const lines = await readWatch(`${s.url}/apis/apps/v1/replicasets?watch=true&resourceVersion=${rv}`, (l) => l.length > 0);
  assert.is(lines[0].type, 'ERROR');
  assert.is(lines[0].object.reason, 'Expired');
  const err = await fetch(`${s.url}/api/v1/pods`, { method: 'POST' });
  assert.is(err.status, 405);
}));

test('the real informer: list, watch, ADDED/MODIFIED/DELETED, 410 relist, 500 stops it', () => withServer(async (s) => {
  s.load(objects);
  const kc = s.kubeConfig();
  const core = kc.makeApiClient(CoreV1Api);
  const inf = makeInformer<V1Pod>(kc, '/api/v1/pods', () => core.listPodForAllNamespaces());
  const seen: string[] = [];
  const errors: unknown[] = [];
  inf.on('add', (p) => seen.push(`add ${p.metadata?.name}`));
  inf.on('update', (p) => seen.push(`update ${p.metadata?.name}`));
  inf.on('delete', (p) => seen.push(`delete ${p.metadata?.name}`));
  inf.on('error', (e) => errors.push(e));
  await withTimeout(inf.start(), 5000, 'informer start');
  try {
    assert.ok(inf.list().length >= 10);
    await waitFor(() => s.openWatches('pods') === 1, 'watch open');
    s.apply({ ...objects.find((o: any) => o.kind === 'Pod' && o.metadata.name === 'p2')!, metadata: { name: 'p2', namespace: 'default', labels: { v: '2' } } });
    s.remove({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p5', namespace: 'default' } });
    await waitFor(() => seen.includes('delete p5'), 'delete seen');
    assert.ok(seen.includes('update p2'));
    assert.is(inf.get('p2', 'default')?.metadata?.labels?.v, '2');
    const listsBefore = s.requests.filter((r) => r.verb === 'list' && r.resource === 'pods').length;
    s.sendWatchError('pods', 410);
    await waitFor(() => s.requests.filter((r) => r.verb === 'list' && r.resource === 'pods').length === listsBefore + 1, 'relist after 410');
    await waitFor(() => s.openWatches('pods') === 1, 'rewatch');
    const watchesBefore = s.requests.filter((r) => r.verb === 'watch').length;
    s.endWatches('pods');
    await waitFor(() => s.requests.filter((r) => r.verb === 'watch').length === watchesBefore + 1 && s.openWatches('pods') === 1, 'rewatch after a clean end');
    assert.is(errors.length, 0);
    s.failNext({ resource: 'pods', verb: 'watch', status: 500 });
    s.endWatches('pods');
    await waitFor(() => errors.length === 1, 'error after 500', 8000);
    assert.match(String((errors[0] as Error).message), /Internal Server Error/);
    assert.is((errors[0] as { statusCode?: number }).statusCode, 500);
    await new Promise((r) => setTimeout(r, 100));
    assert.is(s.openWatches('pods'), 0, 'the informer stopped');
    await withTimeout(inf.start(), 5000, 'informer restart');
    await waitFor(() => s.openWatches('pods') === 1, 'watch open again');
    s.dropWatches('pods');
    await waitFor(() => errors.length === 2, 'error after a dropped connection');
    assert.match(String((errors[1] as Error).message), /terminated/);
  } finally { await inf.stop(); }
}));

test.run();
