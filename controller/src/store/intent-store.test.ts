import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { WorkloadIdentity } from '../model.ts';
import { createIntentStore } from './intent-store.ts';
import type { IntentObservation } from './entry.ts';

const id = (namespace: string, name: string, labels: Record<string, string> = {}): WorkloadIdentity => ({ name, namespace, kind: 'Deployment', labels });
const T0 = Date.parse('2026-11-21T10:00:00.000Z');
const obs = (client: WorkloadIdentity, server: WorkloadIdentity, extra: Partial<IntentObservation> = {}): IntentObservation =>
  ({ client, server, type: 'plain', lastSeen: T0, count: 1, source: 'dns', ...extra });

test('key (client, server, type): merging keeps first/last seen, sums counts, unions sources', () => {
  const s = createIntentStore();
  assert.is(s.add(obs(id('shop', 'web'), id('shop', 'cart'), { lastSeen: T0 + 5000, count: 2 })), 'added');
  assert.is(s.add(obs(id('shop', 'web'), id('shop', 'cart'), { lastSeen: T0, source: 'tcp', count: 3 })), 'merged');
  assert.is(s.add(obs(id('shop', 'web'), id('shop', 'cart'), { type: 'kafka', kafkaTopics: [{ name: 't', operations: ['consume'] }] })), 'added');
  const [plain] = s.query().filter((i) => i.type === 'plain');
  assert.is(plain.firstSeen, new Date(T0).toISOString());
  assert.is(plain.lastSeen, new Date(T0 + 5000).toISOString());
  assert.is(plain.count, 5);
  assert.equal(plain.sources, ['dns', 'tcp']);
  assert.is(s.size(), 2);
});

test('Kafka topics union by name with operations uniqued; HTTP paths union with methods uniqued', () => {
  const s = createIntentStore();
  const c = id('shop', 'web'), k = id('data', 'kafka');
  s.add(obs(c, k, { type: 'kafka', source: 'kafka', kafkaTopics: [{ name: 'orders', operations: ['consume'] }] }));
  s.add(obs(c, k, { type: 'kafka', source: 'kafka', kafkaTopics: [{ name: 'orders', operations: ['produce', 'consume'] }, { name: 'audit', operations: ['describe'] }] }));
  s.add(obs(c, k, { type: 'http', source: 'istio', httpResources: [{ path: '/a', methods: ['GET'] }] }));
  s.add(obs(c, k, { type: 'http', source: 'istio', httpResources: [{ path: '/a', methods: ['POST', 'GET'] }, { path: '/b', methods: ['PUT'] }] }));
  const [kafka, http] = ['kafka', 'http'].map((t) => s.query().find((i) => i.type === t)!);
  assert.equal(kafka.kafkaTopics, [{ name: 'audit', operations: ['describe'] }, { name: 'orders', operations: ['consume', 'produce'] }]);
  assert.equal(http.httpResources, [{ path: '/a', methods: ['GET', 'POST'] }, { path: '/b', methods: ['PUT'] }]);
});

test('Internet destinations: keyed by domain (or bare IP), IPs and ports unioned', () => {
  const s = createIntentStore();
  const c = id('shop', 'web');
  s.add({ client: c, type: 'internet', internet: { domain: 'api.stripe.com', ips: ['1.1.1.1'], ports: [] }, lastSeen: T0, count: 1, source: 'dns' });
  s.add({ client: c, type: 'internet', internet: { domain: 'api.stripe.com', ips: ['1.1.1.2'], ports: [443] }, lastSeen: T0, count: 1, source: 'tcp' });
  s.add({ client: c, type: 'internet', internet: { ips: ['9.9.9.9'], ports: [53] }, lastSeen: T0, count: 1, source: 'tcp' });
  const out = s.query();
  assert.is(out.length, 2);
  assert.equal(out.map((i) => i.internet), [{ ips: ['9.9.9.9'], ports: [53] }, { domain: 'api.stripe.com', ips: ['1.1.1.1', '1.1.1.2'], ports: [443] }]);
  assert.is(out[0].server, undefined);
  assert.equal(s.query({ excludeInternet: true }), []);
});

test('excluded namespaces (default istio-system, linkerd) on either side; configurable', () => {
  const s = createIntentStore();
  assert.is(s.add(obs(id('istio-system', 'istiod'), id('shop', 'web'))), 'excluded');
  assert.is(s.add(obs(id('shop', 'web'), id('linkerd', 'proxy'))), 'excluded');
  assert.is(s.add(obs(id('shop', 'web'), id('shop', 'cart'))), 'added');
  assert.equal(s.stats(), { refused: 0, excluded: 2 });
  const t = createIntentStore({ excludeNamespaces: ['kube-system'] });
  assert.is(t.add(obs(id('istio-system', 'istiod'), id('shop', 'web'))), 'added');
  assert.is(t.add(obs(id('shop', 'web'), id('kube-system', 'dns'))), 'excluded');
});

test('bounded: new intents past maxIntents are refused and counted, existing ones still merge', () => {
  const s = createIntentStore({ maxIntents: 2 });
  s.add(obs(id('a', 'c1'), id('a', 's')));
  s.add(obs(id('a', 'c2'), id('a', 's')));
  assert.is(s.add(obs(id('a', 'c3'), id('a', 's'))), 'refused');
  assert.is(s.add(obs(id('a', 'c1'), id('a', 's'))), 'merged');
  assert.is(s.size(), 2);
  assert.is(s.stats().refused, 1);
});

test('add(o, admitNew): asked only for a new intent, before the namespace and size checks; a refusal adds nothing', () => {
  const s = createIntentStore({ maxIntents: 2 });
  const a = id('shop', 'a'), b = id('shop', 'b'), mesh = id('istio-system', 'gw');
  let asked = 0;
  const admit = (ok: boolean) => () => { asked++; return ok; };
  assert.is(s.add(obs(a, b), admit(false)), 'not-admitted');
  assert.is(s.size(), 0);
  assert.is(s.add(obs(a, b), admit(true)), 'added');
  assert.is(s.add(obs(a, b), admit(false)), 'merged', 'a known intent is not asked about');
  assert.is(asked, 2);
  assert.is(s.add(obs(a, mesh), admit(false)), 'not-admitted', 'asked before the excluded namespace');
  assert.is(s.add(obs(a, mesh), admit(true)), 'excluded');
  assert.is(s.add(obs(b, a), admit(true)), 'added');
  assert.is(s.add(obs(b, b), admit(true)), 'refused', 'admitted, then over the size bound');
  assert.is(asked, 6);
});

test('query: namespaces filter the client; server keeps every intent of its callers; since; sorted', () => {
  const s = createIntentStore();
  s.add(obs(id('b', 'zed'), id('a', 'db')));
  s.add(obs(id('a', 'web'), id('a', 'cart')));
  s.add(obs(id('a', 'web'), id('b', 'auth'), { lastSeen: T0 + 60_000 }));
  s.add(obs(id('a', 'api'), id('a', 'db')));
  s.add(obs(id('c', 'lone'), id('a', 'web')));
  const pairs = (q = {}) => s.query(q).map((i) => `${i.client.namespace}/${i.client.name}>${i.server!.namespace}/${i.server!.name}`);
  assert.equal(pairs(), ['a/api>a/db', 'a/web>a/cart', 'a/web>b/auth', 'b/zed>a/db', 'c/lone>a/web']);
  assert.equal(pairs({ namespaces: ['b', 'c'] }), ['b/zed>a/db', 'c/lone>a/web']);
  assert.equal(pairs({ server: { name: 'auth', namespace: 'b' } }), ['a/web>a/cart', 'a/web>b/auth'], 'the reference returns all intents of each caller');
  assert.equal(pairs({ since: new Date(T0 + 1).toISOString() }), ['a/web>b/auth']);
});

test('labels: stripped by default, includeLabels picks keys, includeAllLabels keeps all; excludeLabels key=value', () => {
  const s = createIntentStore();
  s.add(obs(id('a', 'web', { app: 'web', tier: 'front' }), id('a', 'db', { app: 'db', 'skip-me': '' })));
  s.add(obs(id('a', 'job', { app: 'job', team: 'x' }), id('a', 'web', { app: 'web' })));
  assert.is(s.query()[0].client.labels, undefined);
  assert.equal(s.query({ includeLabels: ['tier', 'nope'] }).find((i) => i.client.name === 'web')!.client.labels, { tier: 'front' });
  assert.equal(s.query({ includeAllLabels: true }).find((i) => i.client.name === 'web')!.server!.labels, { app: 'db', 'skip-me': '' });
  assert.equal(s.query({ excludeLabels: ['team=x'] }).map((i) => i.client.name), ['web'], 'client carries it');
  assert.equal(s.query({ excludeLabels: ['app=db'] }).map((i) => i.client.name), ['job'], 'server carries it');
  assert.equal(s.query({ excludeLabels: ['skip-me'] }).map((i) => i.client.name), ['job'], 'key alone matches an empty value (reference quirk)');
  assert.equal(s.query({ excludeLabels: ['tier'] }).length, 2, 'key alone does not match a non-empty value');
});

test('labels of an identity are replaced by the latest observation', () => {
  const s = createIntentStore();
  s.add(obs(id('a', 'web', { v: '1' }), id('a', 'db'), { lastSeen: T0 }));
  s.add(obs(id('a', 'web', { v: '2' }), id('a', 'db'), { lastSeen: T0 + 1 }));
  s.add(obs(id('a', 'web', { v: '0' }), id('a', 'db'), { lastSeen: T0 - 1 }));
  assert.equal(s.query({ includeAllLabels: true })[0].client.labels, { v: '2' });
});

test('reset empties; expire drops entries unseen for the configured age', () => {
  let now = T0 + 10 * 60_000;
  const s = createIntentStore({ now: () => new Date(now) });
  s.add(obs(id('a', 'old'), id('a', 'db'), { lastSeen: T0 }));
  s.add(obs(id('a', 'new'), id('a', 'db'), { lastSeen: T0 + 9 * 60_000 }));
  assert.equal(s.expire(5 * 60_000), { removed: 1, oldestLastSeen: T0 });
  assert.equal(s.expire(5 * 60_000), { removed: 0 });
  assert.equal(s.query().map((i) => i.client.name), ['new']);
  now += 60 * 60_000;
  s.reset();
  assert.is(s.size(), 0);
});

test('snapshot round-trips through JSON; load rejects a foreign document naming the field', () => {
  const s = createIntentStore();
  s.add(obs(id('a', 'web', { x: 'y' }), id('a', 'db'), { count: 4, source: 'tcp' }));
  s.add(obs(id('a', 'web'), id('a', 'db'), { lastSeen: T0 - 1000, source: 'socket' }));
  s.add({ client: id('a', 'web'), type: 'internet', internet: { domain: 'x.com', ips: ['1.2.3.4'], ports: [443] }, lastSeen: T0, count: 1, source: 'dns' });
  const before = s.query({ includeAllLabels: true });
  const t = createIntentStore();
  assert.is(t.load(JSON.parse(JSON.stringify(s.snapshot()))), 2);
  assert.equal(t.query({ includeAllLabels: true }), before);
  assert.throws(() => t.load({ version: 1, intents: [{ client: { name: 'a' } }] }), /intents\[0\]\.client\.namespace/);
  assert.throws(() => t.load({ version: 7, intents: [] }), /version/);
  assert.is(t.size(), 2, 'a failed load leaves the store as it was');
});

test('frozen(): a snapshot stays as it was while the store keeps changing (copy on write)', () => {
  const s = createIntentStore();
  s.add(obs(id('a', 'web'), id('a', 'db'), { count: 1, source: 'tcp' }));
  s.add({ client: id('a', 'web'), type: 'internet', internet: { domain: 'x.com', ips: ['1.2.3.4'], ports: [443] }, lastSeen: T0, count: 1, source: 'dns' });
  const snap = s.frozen();
  const before = [snap.intent(0), snap.intent(1)];
  s.add(obs(id('a', 'web'), id('a', 'db'), { count: 5, lastSeen: T0 + 1000, source: 'socket' }));
  s.add({ client: id('a', 'web'), type: 'internet', internet: { domain: 'x.com', ips: ['5.6.7.8'], ports: [80] }, lastSeen: T0, count: 1, source: 'dns' });
  s.add(obs(id('a', 'api'), id('a', 'db')));
  assert.is(snap.size, 2);
  assert.equal([snap.intent(0), snap.intent(1)], before);
  assert.is(s.query().find((i) => i.server?.name === 'db' && i.client.name === 'web')!.count, 6);
  assert.equal(s.query().find((i) => i.internet)!.internet!.ips, ['1.2.3.4', '5.6.7.8']);
});


test('drainChanges keeps a copy in step: deltas after adds, merges and expiry equal the store; a reset or load asks for a full copy', () => {
  const s = createIntentStore({ maxIntents: 50, now: () => new Date(T0 + 60_000) });
  const copy = createIntentStore({ maxIntents: Number.MAX_SAFE_INTEGER, excludeNamespaces: [] });
  const sync = () => {
    const d = s.drainChanges();
    if (d.full) copy.load(s.snapshot());
    else copy.applyDelta(d.changed, d.removed);
    return d;
  };
  assert.is(sync().full, true, 'the first call: a full copy');
  let seed = 7;
  const rnd = (n: number) => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) % n; };   // xorshift32
  let expired = 0;
  for (let round = 0; round < 40; round++) {
    for (let k = 0; k < 8; k++) {
      s.add(obs(id(`ns-${rnd(3)}`, `c-${rnd(6)}`), id('shop', `s-${rnd(8)}`), { lastSeen: T0 + rnd(60_000), count: 1 + rnd(3), source: rnd(2) ? 'dns' : 'tcp' }));
    }
    if (round % 7 === 3) expired += s.expire(20_000).removed;
    const d = sync();
    assert.is(d.full, false, `round ${round}: a delta`);
    assert.equal(copy.query(), s.query(), `round ${round}: the copy equals the store`);
  }
  assert.ok(expired > 0 && s.size() > 20, `the rounds expired some (${expired}) and kept many (${s.size()})`);
  const d = s.drainChanges();
  assert.equal(d, { full: false, changed: [], removed: [] }, 'nothing changed: an empty delta');
  s.reset();
  assert.is(s.drainChanges().full, true, 'after a reset: a full copy');
  s.load({ version: 1, savedAt: new Date(T0).toISOString(), intents: [] });
  assert.is(s.drainChanges().full, true, 'after a load: a full copy');
});

test('an identity pair remembers its entry only while it is the stored one: after a copy on write by another pair of the same key, a reset, a load and expiry', () => {
  const s = createIntentStore({ now: () => new Date(T0 + 10_000) });
  const [webA, cartA, webB, cartB] = [id('shop', 'web'), id('shop', 'cart'), id('shop', 'web'), id('shop', 'cart')];   // two versions of each identity
  s.add(obs(webA, cartA));
  const frozen = s.frozen();
  s.add(obs(webB, cartB));                    // the same key: copies the entry the snapshot holds
  s.add(obs(webA, cartA, { count: 5 }));      // must merge into the copy, not into the snapshot's entry
  assert.is(frozen.intent(0).count, 1);
  assert.is(s.query()[0]!.count, 7);
  s.reset();
  assert.is(s.add(obs(webA, cartA)), 'added');
  assert.is(s.query()[0]!.count, 1);
  s.load(s.snapshot());
  s.add(obs(webA, cartA, { count: 2 }));
  assert.is(s.query()[0]!.count, 3);
  assert.equal(s.expire(1000), { removed: 1, oldestLastSeen: T0 });
  assert.is(s.add(obs(webA, cartA, { count: 4 })), 'added');
  assert.is(s.query()[0]!.count, 4);
  const excluded = createIntentStore();
  const mesh = id('istio-system', 'gateway');
  assert.is(excluded.add(obs(mesh, cartA)), 'excluded');
  assert.is(excluded.add(obs(mesh, cartA)), 'excluded');
  assert.is(excluded.add(obs(cartA, mesh)), 'excluded');
  assert.equal(excluded.stats(), { refused: 0, excluded: 3 });
});

test('pair memos kept on a client identity belong to one store each; a frozen client identity merges as any other', () => {
  const a = createIntentStore(), b = createIntentStore();
  const client = id('shop', 'web'), server = id('shop', 'db');
  assert.is(a.add(obs(client, server)), 'added');
  assert.is(b.add(obs(client, server)), 'added');   // b does not take a's memo (and its entry) for its own
  assert.is(b.add(obs(client, server, { count: 2 })), 'merged');
  assert.is(a.add(obs(client, server, { count: 5 })), 'merged');
  assert.equal([a.query()[0]!.count, b.query()[0]!.count], [6, 3]);
  const frozen = Object.freeze(id('default', 'kubernetes'));
  assert.is(a.add(obs(frozen, server)), 'added');
  assert.is(a.add(obs(frozen, server, { count: 4 })), 'merged');
  assert.is(a.query().find((i) => i.client.name === 'kubernetes')!.count, 5);
  assert.equal(Object.keys(client), ['name', 'namespace', 'kind', 'labels']);   // the slot is not enumerable
});

test.run();
