// The Istio watcher for real, in network namespaces this test makes: pods whose "sidecars" are small
// HTTP servers serving scrapes built from a real Istio scrape on :15020/stats/prometheus, the list/watch
// test server holding their Pod objects, and the built watcher (dist/istio-watcher.js) reading pods from it. Counters
// advance between scrapes, a sidecar restarts (same counter values, lower uptime, restartCount + 1), and
// only what moved is reported; nothing from before the watcher started is. Every report carries the bearer
// token from --token-file, re-read per report (the token is rotated mid-run).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HttpRecord, Report } from '../../controller/contract/schema.ts';
import { sidecarScrape, type Call } from '../../fixtures/test-support/istio-scrapes.ts';
import { createTopology, waitFor, type Topology } from '../../fixtures/test-support/netns.ts';
import { suiteNeeds } from '../../fixtures/test-support/needs.ts';
import { ensureBuilt } from '../../fixtures/test-support/built.ts';
suiteNeeds('istio watcher', ['netns', 'tool:curl']);

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RECEIVER_PORT = 18091;
const HEALTH_PORT = 57932;
const BRIDGE_IP = '10.231.7.1';

/** A "sidecar": serves the file's current content at /stats/prometheus on :15020, re-read per request. */
const SIDECAR_JS = `
const fs = require('fs');
require('http').createServer((q, s) => {
  if (q.url !== '/stats/prometheus') { s.writeHead(404).end(); return; }
  s.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(fs.readFileSync(process.argv[1]));
}).listen(15020, '0.0.0.0', () => process.stdout.write('listening\\n'));`;

function lines(child: ChildProcess): unknown[] {
  const got: unknown[] = [];
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split('\n');
    buf = parts.pop()!;
    for (const p of parts) if (p.startsWith('{')) got.push(JSON.parse(p));
  });
  return got;
}

function pod(name: string, ip: string, opts: { canonical: string; restarts?: number; proxy?: boolean; phase?: string }) {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'shop', uid: `uid-${name}`, creationTimestamp: '2026-01-01T00:00:00Z',
      labels: { app: opts.canonical, 'service.istio.io/canonical-name': opts.canonical, 'security.istio.io/tlsMode': 'istio' } },
    spec: { containers: [{ name: 'app', image: 'app' }, ...(opts.proxy === false ? [] : [{ name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.21.0' }])] },
    status: { phase: opts.phase ?? 'Running', podIP: ip, podIPs: [{ ip }],
      containerStatuses: [{ name: 'app', restartCount: 0, ready: true, image: 'app', imageID: '' },
        { name: 'istio-proxy', restartCount: opts.restarts ?? 0, ready: true, image: 'proxyv2', imageID: '' }] },
  };
}

const call = (path: string, method: string, count: number, reporter: Call['reporter']) =>
  ({ src: 'web', srcNs: 'shop', dst: 'cart', dstNs: 'shop', method, path, count, reporter });

test('sidecars in namespaces: baseline on first sight, deltas as counters advance, a restart seen, pods filtered', async () => {
  let topo: Topology | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'nm-istio-'));
  try {
    topo = await createTopology([{ name: 'web', host: 21 }, { name: 'cart', host: 22 }, { name: 'plain', host: 23 }]);
    const { web, cart, plain } = topo.pods as Record<string, { ns: string; ip4: string }>;
    // The watcher runs in the node namespace: give its bridge an address so it reaches the pods.
    execFileSync('ip', ['-n', topo.node, 'addr', 'add', `${BRIDGE_IP}/24`, 'dev', 'br0']);

    const webFile = join(dir, 'web.prom'), cartFile = join(dir, 'cart.prom');
    // History from before the watcher started: must never be reported.
    writeFileSync(webFile, sidecarScrape([call('/api/cart', 'GET', 5, 'source'), call('/history', 'DELETE', 100, 'source')], 5000));
    writeFileSync(cartFile, sidecarScrape([call('/api/cart', 'GET', 5, 'destination'), call('/history', 'DELETE', 100, 'destination')], 5000));
    const serve = (ns: string, file: string) => topo!.spawn(ns, process.execPath, ['-e', SIDECAR_JS, file]);
    serve(web.ns, webFile);
    let cartSidecar = serve(cart.ns, cartFile);
    // `plain` answers too, but it has no istio-proxy container: it must never be scraped.
    writeFileSync(join(dir, 'plain.prom'), sidecarScrape([call('/never', 'GET', 1, 'source')]));
    serve(plain.ns, join(dir, 'plain.prom'));
    const answers = (ip: string) => topo!.run(topo!.node, 'curl', ['-sf', '--max-time', '2', `http://${ip}:15020/stats/prometheus`]).then(() => true, () => false);
    await waitFor('sidecars listening', async () => (await Promise.all([web.ip4, cart.ip4, plain.ip4].map(answers))).every(Boolean), 10_000, 100);

    const podsFile = join(dir, 'pods.json');
    const pods = [pod('web-1', web.ip4, { canonical: 'web' }), pod('cart-1', cart.ip4, { canonical: 'cart' }),
      pod('plain-1', plain.ip4, { canonical: 'plain', proxy: false }), pod('pending-1', '10.231.7.99', { canonical: 'pending', phase: 'Pending' })];
    writeFileSync(podsFile, JSON.stringify(pods));
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, 'istio-token-1\n');
    ensureBuilt();   // the watcher that runs is the built one, as the image runs it
    const harness = topo.spawn(topo.node, process.execPath, ['--import', 'tsx', join(ROOT, 'fixtures/test-support/istio-harness.ts'), String(RECEIVER_PORT), podsFile, '--',
      process.execPath, join(ROOT, 'dist/istio-watcher.js'), '--controller-url', `http://127.0.0.1:${RECEIVER_PORT}`, '--interval', '300ms', '--health-port', String(HEALTH_PORT), '--name', 'istio-watcher-test', '--token-file', tokenFile],
    { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '';
    harness.stderr!.on('data', (d: Buffer) => { err += d; });
    const out = lines(harness);
    const send = (o: unknown) => harness.stdin!.write(JSON.stringify(o) + '\n');
    const metrics = async () => topo!.run(topo!.node, 'curl', ['-sS', '--max-time', '3', `http://127.0.0.1:${HEALTH_PORT}/metrics`]);
    const metric = async (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(await metrics())?.[1] ?? NaN);
    const reports = () => out.filter((o: any) => o.report) as { report: Report; authorization: string | null }[];
    const records = () => reports().flatMap((o) => o.report.records as HttpRecord[]);
    const show = (rs: HttpRecord[]) => [...new Set(rs.map((r) => `${r.srcWorkload}->${r.dstWorkload} ${r.path} [${r.methods.join(',')}]`))].sort();

    await waitFor('watcher running', async () => {
      if (harness.exitCode !== null) throw new Error(`harness exited ${harness.exitCode}: ${err}`);
      return err.includes('istio watcher running');
    }, 20_000, 100);
    // First rounds: both sidecars scraped, both taken as a baseline, nothing reported.
    await waitFor('two baselines', async () => (await metric('netmapper_istio_baselines_total')) === 2 && (await metric('netmapper_istio_sidecars_scraped_total')) >= 4, 10_000, 100);
    assert.is(await metric('netmapper_istio_sidecars'), 2, 'only Running pods with an istio-proxy container');
    assert.equal(records(), [], 'history is not reported');

    // Traffic: /api/cart moves on both sides, a new path appears; /history stays put.
    writeFileSync(webFile, sidecarScrape([call('/api/cart', 'GET', 9, 'source'), call('/history', 'DELETE', 100, 'source'), call('/api/cart/items.json', 'POST', 1, 'source')], 5010));
    writeFileSync(cartFile, sidecarScrape([call('/api/cart', 'GET', 9, 'destination'), call('/history', 'DELETE', 100, 'destination'), call('/api/cart/items.json', 'POST', 1, 'destination')], 5010));
    await waitFor('the moved series reported', () => show(records()).length >= 2, 10_000, 100);
    assert.equal(show(records()), ['web->cart /api/cart [GET]', 'web->cart /api/cart/items.json [POST]']);
    assert.equal([...new Set(reports().map((o) => o.authorization))], ['Bearer istio-token-1'], 'every report carries the token');
    const first = records()[0]!;
    assert.equal([first.srcWorkloadNamespace, first.dstWorkloadNamespace, first.dstServiceName], ['shop', 'shop', 'cart']);

    // The cart sidecar restarts: counters begin again and climb back to the same values; uptime drops.
    const before = records().length, reportsBefore = reports().length;
    writeFileSync(tokenFile, 'istio-token-2\n');   // rotated: the next report must carry the new one
    cartSidecar.kill('SIGKILL');
    await waitFor('cart sidecar down', () => cartSidecar.exitCode !== null || cartSidecar.signalCode !== null, 5000, 20);
    await waitFor('a failed scrape while it is down', async () => /netmapper_istio_scrape_failures_total\{reason="refused"\} [1-9]/.test(await metrics()), 5000, 100);
    writeFileSync(cartFile, sidecarScrape([call('/api/cart', 'GET', 9, 'destination')], 3));
    send({ apply: pod('cart-1', cart.ip4, { canonical: 'cart', restarts: 1 }) });
    cartSidecar = serve(cart.ns, cartFile);
    await waitFor('restart detected', async () => (await metric('netmapper_istio_proxy_restarts_total')) === 1, 10_000, 100);
    await waitFor('post-restart traffic reported', () => records().length > before, 10_000, 100);
    assert.equal(show(records().slice(before)), ['web->cart /api/cart [GET]'], 'the same value after a restart is new traffic');
    assert.equal([...new Set(reports().slice(reportsBefore).map((o) => o.authorization))], ['Bearer istio-token-2'], 'the rotated token is read for the next report');
    assert.ok(!records().some((r) => r.path === '/history' || r.path === '/never'), 'no history, no unmeshed pod');

    // The pod goes away: it is no longer scraped, and its counters are forgotten.
    send({ remove: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'cart-1', namespace: 'shop' } } });
    await waitFor('one sidecar left', async () => (await metric('netmapper_istio_sidecars')) === 1 && (await metric('netmapper_istio_tracked_pods')) === 1, 10_000, 100);
    assert.is(await metric('netmapper_istio_records_reported_total'), records().length);

    harness.kill('SIGTERM');
    await waitFor('harness exit', () => harness.exitCode !== null, 15_000, 50);
    assert.equal(out.at(-1), { exit: 0 }, err);
  } finally {
    await topo?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
