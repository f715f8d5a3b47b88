// Controller benchmark (`npm run bench:controller`): for 1k, 10k and 150k pods served by the list/watch
// test server (in a child process) through the real informer view, measures the initial sync, memory per
// pod in the view, records resolved per second (ingest alone, and whole reports through the HTTP app),
// per-record resolution latency p50/p99 (wall), and memory per stored intent. Throughput is per
// CPU-second of this process (user + sys), which a shared machine disturbs far less than wall time.
// Sizes: NETMAPPER_BENCH_PODS=1000,10000,150000 (default). Numbers are printed, never asserted.

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { KubeConfig } from '@kubernetes/client-node';
import { createApp } from '../src/app.ts';
import { createNoAuth } from '../src/auth/types.ts';
import { createInformerView } from '../src/cluster/informer.ts';
import type { ConnectionRecord, Report } from '../contract/schema.ts';
import { createIdentityResolver } from '../src/identity/index.ts';
import { createIngest } from '../src/ingest.ts';
import { createMetrics } from '../common/metrics.ts';
import { createIntentStore } from '../src/store/intent-store.ts';
import { deploymentOf, nodeIp, nsOf, podIp, PODS_PER_DEPLOYMENT, serviceIp } from './cluster-gen.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heap = (): number => { gc(); gc(); return process.memoryUsage().heapUsed; };
const rss = (): number => { gc(); return process.memoryUsage().rss; };
const MB = (b: number): string => `${(b / 1024 / 1024).toFixed(1)} MB`;

const sizes = (process.env.NETMAPPER_BENCH_PODS ?? '1000,10000,150000').split(',').map(Number).filter((n) => n > 0);
const CHILD = fileURLToPath(new URL('./apiserver-child.ts', import.meta.url));

async function startApiServer(pods: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, String(pods)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`API server child exited ${code}`)));
  });
  return { url: (JSON.parse(line) as { url: string }).url, stop: () => { child.stdin!.end(); child.kill('SIGTERM'); } };
}

function kubeConfig(url: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: [{ name: 'b', server: url, skipTLSVerify: true }], users: [{ name: 'u' }], contexts: [{ name: 'b', cluster: 'b', user: 'u' }], currentContext: 'b' });
  return kc;
}

/** Each workload calls this many others (its dependencies), so the map has a realistic number of edges. */
const DEPENDENCIES = 5;

/**
 * A deterministic mix like a busy node's interval: 40% DNS of Service names, 10% Internet DNS,
 * 30% TCP to ClusterIPs, 20% TCP to pod IPs; every client calls one of its DEPENDENCIES.
 */
function makeRecords(pods: number, n: number, seed = 1): ConnectionRecord[] {
  let x = seed;
  const rnd = (m: number) => { x = (x * 1103515245 + 12345) & 0x7fffffff; return x % m; };
  const deployments = Math.ceil(pods / PODS_PER_DEPLOYMENT);
  const lastSeen = new Date().toISOString();
  const out: ConnectionRecord[] = [];
  for (let k = 0; k < n; k++) {
    const src = rnd(pods), kind = rnd(10);
    const d = (deploymentOf(src) * 7 + (1 + rnd(DEPENDENCIES)) * 13) % deployments;
    const p = Math.min(pods - 1, d * PODS_PER_DEPLOYMENT + rnd(PODS_PER_DEPLOYMENT));
    const srcIp = podIp(src);
    if (kind < 4) out.push({ source: 'dns', srcIp, destination: `app-${d}.${nsOf(d)}.svc.cluster.local`, destinationIp: serviceIp(d), ttl: 30, lastSeen, count: 1 });
    else if (kind < 5) out.push({ source: 'dns', srcIp, destination: `api-${(deploymentOf(src) + rnd(3)) % 50}.example.com`, destinationIp: `198.51.100.${rnd(250)}`, ttl: 60, lastSeen, count: 1 });
    else if (kind < 8) out.push({ source: 'tcp', srcIp, destination: serviceIp(d), destinationIp: serviceIp(d), destinationPort: 80, lastSeen, count: 1 });
    else out.push({ source: 'tcp', srcIp, destination: podIp(p), destinationIp: podIp(p), destinationPort: 8080, lastSeen, count: 1 });
  }
  return out;
}

/**
 * NETMAPPER_BENCH_PROFILE=DIR: V8 CPU profiles of the ingest-alone passes and of the HTTP passes only (not the
 * cluster sync), written to DIR/ingest-<pods>.cpuprofile and DIR/http-<pods>.cpuprofile (open it in Chrome DevTools or speedscope).
 */
async function startProfile() {
  const dir = process.env.NETMAPPER_BENCH_PROFILE;
  if (!dir) return undefined;
  const { Session } = await import('node:inspector/promises');
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(name: string) {
      const { profile } = await session.post('Profiler.stop');
      mkdirSync(dir, { recursive: true });
      writeFileSync(`${dir}/${name}.cpuprofile`, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

const pct = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
/** CPU seconds (user + sys) this process has used: on a shared machine wall time swings several-fold, CPU time much less. */
const cpuS = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

async function benchSize(pods: number) {
  const api = await startApiServer(pods);
  try {
    const heap0 = heap(), rss0 = rss();
    const view = createInformerView(kubeConfig(api.url), {});
    const t0 = performance.now();
    await view.start();
    const syncMs = performance.now() - t0;
    const heapView = heap() - heap0, rssView = rss() - rss0;

    const store = createIntentStore({ maxIntents: 10_000_000 });
    const metrics = createMetrics();
    const ingest = createIngest({ cluster: view, identity: createIdentityResolver(view, { cacheSize: pods + 1000 }), store, metrics, config: { clusterDomain: 'cluster.local', minServerAgeMs: 300_000 } });
    const report = (records: ConnectionRecord[]): Report => ({ version: 1, node: 'bench', sentAt: new Date().toISOString(), records });

    // Warm the identity caches once (the first sight of every workload walks its owners).
    for (let i = 0; i < 5; i++) await ingest(report(makeRecords(pods, 20_000, 100 + i)));

    // Throughput: 200k records in reports of 1000, ingest alone; best of 3 passes, by CPU time.
    const batches = Array.from({ length: 200 }, (_, i) => report(makeRecords(pods, 1000, 1000 + i)));
    let resolved = 0, ingestS = Infinity, ingestWallS = Infinity;
    const profile = await startProfile();
    for (let pass = 0; pass < 3; pass++) {
      resolved = 0;
      const t1 = performance.now(), c1 = cpuS();
      for (const b of batches) resolved += (await ingest(b)).resolved;
      ingestS = Math.min(ingestS, cpuS() - c1);
      ingestWallS = Math.min(ingestWallS, (performance.now() - t1) / 1000);
    }
    await profile?.stop(`ingest-${pods}`);

    // Whole reports through the HTTP app (JSON parse, validation, ingest), no socket.
    const app = createApp({ ingest, store, cluster: view, auth: createNoAuth(), metrics });
    const bodies = batches.slice(0, 50).map((b) => JSON.stringify(b));
    let httpS = Infinity;
    const httpProfile = await startProfile();
    for (let pass = 0; pass < 3; pass++) {
      const c2 = cpuS();
      for (const body of bodies) {
        const res = await app.request('/api/v1/reports', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
        if (res.status !== 200) throw new Error(`report rejected: ${res.status} ${await res.text()}`);
      }
      httpS = Math.min(httpS, cpuS() - c2);
    }
    await httpProfile?.stop(`http-${pods}`);

    // Latency per record: 20k single-record reports, in CPU time of this process (a descheduled
    // process accumulates none, so a loaded machine does not inflate it), and wall time.
    const singles = makeRecords(pods, 20_000, 7);
    const lat: number[] = [];
    const latWall: number[] = [];
    for (const r of singles) {
      const s = performance.now(), c = process.cpuUsage();
      await ingest(report([r]));
      const d = process.cpuUsage(c);
      lat.push(d.user + d.system);
      latWall.push((performance.now() - s) * 1000);
    }
    lat.sort((a, b) => a - b);
    latWall.sort((a, b) => a - b);

    const intents = store.size();
    await view.stop();
    return {
      intents,
      pods, syncMs, heapView, rssView, resolvedShare: resolved / 200_000,
      recordsPerS: 200_000 / ingestS, recordsPerWallS: 200_000 / ingestWallS, reportsPerS: bodies.length / httpS, httpRecordsPerS: (bodies.length * 1000) / httpS,
      p50us: pct(lat, 0.5), p99us: pct(lat, 0.99), p50WallUs: pct(latWall, 0.5), p99WallUs: pct(latWall, 0.99), unresolved: (await metrics.render()).split('\n').filter((l) => l.startsWith('netmapper_records_unresolved_total{')),
    };
  } finally {
    api.stop();
  }
}

function benchIntentMemory(n: number) {
  const store = createIntentStore({ maxIntents: n + 1 });
  const h0 = heap();
  const now = Date.now();
  for (let i = 0; i < n; i++) {
    const d = deploymentOf(i * 7 % 1_000_000), s = (i * 13 + 1) % 10_000;
    store.add({
      client: { name: `app-${d}`, namespace: nsOf(d), kind: 'Deployment', group: 'apps', version: 'v1', labels: { app: `app-${d}`, 'app.kubernetes.io/name': `app-${d}`, 'pod-template-hash': '7d9f8b6c5' } },
      server: { name: `app-${s}-${i}`, namespace: nsOf(s), kind: 'Deployment', group: 'apps', version: 'v1', kubernetesService: `app-${s}`, labels: { app: `app-${s}` } },
      type: 'plain', lastSeen: now, count: 1, source: 'tcp',
    });
  }
  return { intents: store.size(), bytesPerIntent: (heap() - h0) / n };
}

const SELF = fileURLToPath(import.meta.url);

/** Each size runs in a fresh process, so resident memory is not carried over from the previous size. */
async function runChild(pods: number): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', SELF], { stdio: 'inherit', env: { ...process.env, NETMAPPER_BENCH_ONE: String(pods) } });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`bench for ${pods} pods exited ${code}`);
}

const one = Number(process.env.NETMAPPER_BENCH_ONE ?? 0);
if (!one) {
  console.log(`controller bench: node ${process.version}, ${process.platform}/${process.arch}, sizes ${sizes.join(', ')} pods; load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  for (const pods of sizes) await runChild(pods);
  const m = benchIntentMemory(100_000);
  console.log(`\nintent store: ${m.intents.toLocaleString('en')} intents, ${m.bytesPerIntent.toFixed(0)} B/intent (heap, labels included)`);
  // The mixed run (reports + exports + health + kill -9 on the built controller): mixed.ts, its own process.
  if (process.env.NETMAPPER_BENCH_MIXED !== '0') {
    const mixed = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./mixed.ts', import.meta.url))], { stdio: 'inherit' });
    await new Promise((resolve) => mixed.on('exit', resolve));
  }
  process.exit(0);
}
for (const pods of [one]) {
  const r = await benchSize(pods);
  console.log(`\n${pods} pods (${Math.ceil(pods / PODS_PER_DEPLOYMENT)} deployments/services, ${Math.ceil(pods / 100)} nodes; first node ${nodeIp(0)})`);
  console.log(`  informer view: initial sync ${(r.syncMs / 1000).toFixed(2)} s; heap +${MB(r.heapView)} (${(r.heapView / pods).toFixed(0)} B/pod), RSS +${MB(r.rssView)} (${(r.rssView / pods).toFixed(0)} B/pod)`);
  console.log(`  ingest: ${Math.round(r.recordsPerS).toLocaleString('en')} records per CPU-s resolved-or-counted (wall: ${Math.round(r.recordsPerWallS).toLocaleString('en')}/s; ${(r.resolvedShare * 100).toFixed(1)}% resolved; ${r.intents.toLocaleString('en')} intents stored)`);
  console.log(`  HTTP app (JSON + validation + ingest), 1000-record reports: ${r.reportsPerS.toFixed(1)} reports per CPU-s = ${Math.round(r.httpRecordsPerS).toLocaleString('en')} records per CPU-s`);
  console.log(`  per-record resolution (single-record reports): CPU p50 ${r.p50us.toFixed(1)} µs, p99 ${r.p99us.toFixed(1)} µs; wall p50 ${r.p50WallUs.toFixed(1)} µs, p99 ${r.p99WallUs.toFixed(1)} µs`);
  if (r.unresolved.length) console.log(`  unresolved: ${r.unresolved.join('; ')}`);
}
console.log(`  bench process RSS at the end (cluster view + store + the generated reports): ${MB(process.memoryUsage().rss)}`);
process.exit(0);
