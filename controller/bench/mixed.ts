// The mixed run of `npm run bench:controller`: the built controller (dist/controller.js, as the image
// runs it) against the list/watch test server at 10k and 150k pods, with N reporters posting
// 1000-record reports, export readers pulling the largest exports, and a /healthz poller — all at
// once. Prints report, export and /healthz p50/p99, the controller's peak RSS (VmHWM, worker threads
// included) against the chart's memory limit, restart time of the store, and the kill -9 loss count
// (a marker stream of unique intents, kill -9 at the end, restart, markers missing). Figures only.
// Env: NETMAPPER_BENCH_MIXED_PODS=10000,150000  NETMAPPER_BENCH_REPORTERS=50  NETMAPPER_BENCH_READERS=2
//      NETMAPPER_BENCH_SECONDS=20

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { deploymentOf, nsOf, podIp, PODS_PER_DEPLOYMENT, serviceIp } from './cluster-gen.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHILD = fileURLToPath(new URL('./apiserver-child.ts', import.meta.url));
const sizes = (process.env.NETMAPPER_BENCH_MIXED_PODS ?? '10000,150000').split(',').map(Number).filter((n) => n > 0);
const REPORTERS = Number(process.env.NETMAPPER_BENCH_REPORTERS ?? 50);
const READERS = Number(process.env.NETMAPPER_BENCH_READERS ?? 2);
const SECONDS = Number(process.env.NETMAPPER_BENCH_SECONDS ?? 20);
const EXPORTS = ['/api/v1/clientintents?format=yaml', '/api/v1/list', '/api/v1/graph.dot', '/api/v1/intents'];

const pct = (xs: number[], q: number): string => {
  if (!xs.length) return '-';
  const s = [...xs].sort((a, b) => a - b);
  return `${Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))]!)}`;
};
const freePort = (): Promise<number> => new Promise((resolve) => { const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address() as AddressInfo; s.close(() => resolve(port)); }); });

function chartLimit(): string {
  const v = readFileSync(join(ROOT, 'chart/values.yaml'), 'utf8');
  return /limits:\s*\n\s*cpu:[^\n]*\n\s*memory:\s*(\S+)/.exec(v)?.[1] ?? '?';
}

async function startApi(pods: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, String(pods)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`API server child exited ${code}`)));
  });
  return { url: (JSON.parse(line) as { url: string }).url, stop: () => { child.stdin!.end(); child.kill('SIGTERM'); } };
}

interface Ctl { proc: ChildProcess; base: string; readyMs: number }
async function startController(dir: string, kubeconfig: string): Promise<Ctl> {
  const port = await freePort();
  const t0 = performance.now();
  const proc = spawn(process.execPath, [join(ROOT, 'dist/controller.js'), '--port', String(port), '--metrics-port', '0', '--bind-address', '127.0.0.1',
    '--kubeconfig', kubeconfig, '--auth', 'none', '--store-file', join(dir, 'store.json'), '--log-level', 'warn'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    const r = await fetch(`${base}/readyz`).catch(() => undefined);
    if (r?.status === 200) break;
    if (proc.exitCode !== null) throw new Error('controller exited');
    await new Promise((res) => setTimeout(res, 100));
  }
  return { proc, base, readyMs: performance.now() - t0 };
}
const peakRss = (pid: number): number => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
const kill9 = (p: ChildProcess) => new Promise<void>((r) => { p.once('exit', () => r()); p.kill('SIGKILL'); });

function records(pods: number, n: number, seed: number) {
  let x = seed;
  const rnd = (m: number) => { x = (x * 1103515245 + 12345) & 0x7fffffff; return x % m; };
  const deployments = Math.ceil(pods / PODS_PER_DEPLOYMENT);
  const lastSeen = new Date().toISOString();
  return Array.from({ length: n }, () => {
    const src = rnd(pods);
    const d = (deploymentOf(src) * 7 + (1 + rnd(5)) * 13) % deployments;
    return rnd(2) === 0
      ? { source: 'dns', srcIp: podIp(src), destination: `app-${d}.${nsOf(d)}.svc.cluster.local`, destinationIp: serviceIp(d), ttl: 30, lastSeen, count: 1 }
      : { source: 'tcp', srcIp: podIp(src), destination: serviceIp(d), destinationIp: serviceIp(d), destinationPort: 80, lastSeen, count: 1 };
  });
}
const post = (base: string, recs: unknown[]) => fetch(`${base}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ version: 1, node: 'bench', sentAt: new Date().toISOString(), records: recs }) });

async function mixed(pods: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'nm-bench-mixed-'));
  const api = await startApi(pods);
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, JSON.stringify({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'b', cluster: { server: api.url, 'insecure-skip-tls-verify': true } }], users: [{ name: 'u', user: {} }], contexts: [{ name: 'b', context: { cluster: 'b', user: 'u' } }], 'current-context': 'b' }));
  let ctl = await startController(dir, kubeconfig);
  try {
    // Fill the map first: every workload with its dependencies.
    for (let i = 0; i < Math.ceil(pods / 1000) * 3; i++) await (await post(ctl.base, records(pods, 1000, 1 + i))).arrayBuffer();
    const intents = ((await (await fetch(`${ctl.base}/api/v1/intents`)).json()) as { intents: unknown[] }).intents.length;

    const rep: number[] = [], health: number[] = [], exp: number[] = [];
    const expStatus: Record<string, number> = {};
    let stop = false, stopReads = false, failed = 0, marker = 0;
    const acked: number[] = [];
    const reporter = async (k: number) => {
      for (let i = 0; !stop; i++) {
        const t = performance.now();
        const res = await post(ctl.base, records(pods, 1000, 1000 * k + i)).catch(() => undefined);
        await res?.arrayBuffer();
        if (res?.status === 200) rep.push(performance.now() - t); else failed++;
      }
    };
    const markers = async () => {
      while (!stop) {
        const n = marker++;
        const res = await post(ctl.base, [{ source: 'dns', srcIp: podIp(n % pods), destination: `m-${n}.bench.example`, destinationIp: '198.51.100.1', ttl: 30, lastSeen: new Date().toISOString(), count: 1 }]).catch(() => undefined);
        await res?.arrayBuffer();
        if (res?.status === 200) acked.push(n);
      }
    };
    const reader = async (k: number) => {
      for (let i = 0; !stopReads; i++) {
        const path = EXPORTS[(k + i) % EXPORTS.length]!;
        const t = performance.now();
        const res = await fetch(`${ctl.base}${path}`).catch(() => undefined);
        await res?.arrayBuffer();
        exp.push(performance.now() - t);
        const key = `${path.split('?')[0]} ${res?.status ?? 'error'}`;
        expStatus[key] = (expStatus[key] ?? 0) + 1;
      }
    };
    const healthz = async () => {
      while (!stopReads) {
        const t = performance.now();
        const res = await fetch(`${ctl.base}/healthz`).catch(() => undefined);
        await res?.arrayBuffer();
        health.push(res?.status === 200 ? performance.now() - t : 30_000);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const writers = [...Array.from({ length: REPORTERS }, (_, k) => reporter(k)), markers()];
    const readers = [...Array.from({ length: READERS }, (_, k) => reader(k)), healthz()];
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    // Readers finish first (their figures are not cut by the kill); then kill -9 mid-stream of the
    // writers: every acknowledged marker must be there after the restart.
    stopReads = true;
    await Promise.allSettled(readers);
    const hwm = peakRss(ctl.proc.pid!);
    await kill9(ctl.proc);
    stop = true;
    await Promise.allSettled(writers);
    ctl = await startController(dir, kubeconfig);
    const have = new Set(((await (await fetch(`${ctl.base}/api/v1/intents`)).json()) as { intents: Array<{ internet?: { domain?: string } }> }).intents.map((i) => i.internet?.domain));
    const lost = acked.filter((n) => !have.has(`m-${n}.bench.example`)).length;
    const stored = have.size;

    console.log(`\nmixed run, ${pods.toLocaleString('en')} pods, ${intents.toLocaleString('en')} intents before the run, ${SECONDS} s: ${REPORTERS} reporters (1000-record reports) + ${READERS} export readers + /healthz every 100 ms + a marker stream`);
    console.log(`  reports: ${rep.length} acknowledged (${Math.round(rep.length * 1000 / SECONDS).toLocaleString('en')} records/s), ${failed} cut by the kill or failed; latency p50 ${pct(rep, 0.5)} ms, p99 ${pct(rep, 0.99)} ms`);
    console.log(`  /healthz: p50 ${pct(health, 0.5)} ms, p99 ${pct(health, 0.99)} ms (${health.length} polls)`);
    console.log(`  exports: p50 ${pct(exp, 0.5)} ms, p99 ${pct(exp, 0.99)} ms; ${Object.entries(expStatus).map(([k, v]) => `${k} x${v}`).join(', ')}`);
    console.log(`  controller peak RSS (VmHWM, export worker included): ${(hwm / 1048576).toFixed(0)} MiB; chart limit ${chartLimit()}`);
    console.log(`  kill -9 under load: ${acked.length} acknowledged markers, ${lost} lost; restart to ready ${(ctl.readyMs / 1000).toFixed(1)} s with ${stored.toLocaleString('en')} distinct destinations`);
  } finally {
    await kill9(ctl.proc).catch(() => {});
    api.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const built = spawnSync(process.execPath, [join(ROOT, 'controller/scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
if (built.status !== 0) throw new Error('build failed');
for (const pods of sizes) await mixed(pods);
process.exit(0);
