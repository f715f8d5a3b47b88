// The mixed run of `npm run bench:controller`: the built controller (dist/controller.js, as the image
// runs it) against the list/watch test server at 10k and 150k pods, with N reporters posting
// 1000-record reports, export readers pulling the largest exports, and a /healthz poller — all at
// once. Prints report, export and /healthz p50/p99, the controller's peak RSS (VmHWM, worker threads
// included) against the chart's memory limit, restart time of the store, and the kill -9 loss count
// (a marker stream of unique intents, kill -9 at the end, restart, markers missing). Figures only.
// Reporters behave as the sniffer's reporter: a 429 (the controller's bound on reports in progress) is
// sent again after its Retry-After, so "report" latency is printed twice: the answer to each accepted
// POST, and delivery (first attempt to acknowledgement, waits included). Bodies are built before the
// run and /healthz is polled from a worker thread, so the bench's own event loop does not inflate them;
// the controller's own event-loop delay and GC pauses come from its /metrics (prom-client defaults).
// Env: NETMAPPER_BENCH_MIXED_PODS=10000,150000  NETMAPPER_BENCH_REPORTERS=50  NETMAPPER_BENCH_READERS=2
//      NETMAPPER_BENCH_SECONDS=20  NETMAPPER_BENCH_CONTROLLER_ARGS='--max-concurrent-reports 2'  NETMAPPER_BENCH_CPU_PROF=DIR

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { deploymentOf, nsOf, podIp, PODS_PER_DEPLOYMENT, serviceIp } from './cluster-gen.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHILD = fileURLToPath(new URL('./apiserver-child.ts', import.meta.url));
const sizes = (process.env.NETMAPPER_BENCH_MIXED_PODS ?? '10000,150000').split(',').map(Number).filter((n) => n > 0);
const REPORTERS = Number(process.env.NETMAPPER_BENCH_REPORTERS ?? 50);
const READERS = Number(process.env.NETMAPPER_BENCH_READERS ?? 2);
const SECONDS = Number(process.env.NETMAPPER_BENCH_SECONDS ?? 20);
const PROF = process.env.NETMAPPER_BENCH_CPU_PROF;
/** NETMAPPER_BENCH_CONTROLLER_ARGS: more controller flags, space-separated (e.g. `--max-concurrent-reports 2`). */
const EXTRA = (process.env.NETMAPPER_BENCH_CONTROLLER_ARGS ?? '').split(' ').filter(Boolean);
let profiled = false;
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

interface Ctl { proc: ChildProcess; base: string; metrics: string; readyMs: number }
async function startController(dir: string, kubeconfig: string): Promise<Ctl> {
  const port = await freePort();
  const t0 = performance.now();
  const metricsPort = await freePort();
  // NETMAPPER_BENCH_CPU_PROF=DIR: the first controller runs with --cpu-prof and is stopped with SIGTERM (so the
  // profile is written) instead of kill -9: no loss count then.
  const prof = PROF && !profiled ? ['--cpu-prof', `--cpu-prof-dir=${PROF}`] : [];
  profiled = true;
  const proc = spawn(process.execPath, [...prof, join(ROOT, 'dist/controller.js'), '--port', String(port), '--metrics-port', String(metricsPort), '--bind-address', '127.0.0.1',
    '--kubeconfig', kubeconfig, '--auth', 'none', '--store-file', join(dir, 'store.json'), '--log-level', 'warn', ...EXTRA], { stdio: ['ignore', 'ignore', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    const r = await fetch(`${base}/readyz`).catch(() => undefined);
    if (r?.status === 200) break;
    if (proc.exitCode !== null) throw new Error('controller exited');
    await new Promise((res) => setTimeout(res, 100));
  }
  return { proc, base, metrics: `http://127.0.0.1:${metricsPort}/metrics`, readyMs: performance.now() - t0 };
}

/** The controller's event-loop delay (p99, max) and GC pause totals by kind since the last scrape (prom-client resets the delay histogram at each). */
async function loopStats(url: string) {
  const text = await (await fetch(url)).text();
  const num = (re: RegExp) => Number(re.exec(text)?.[1] ?? NaN);
  const gc: Record<string, { n: number; s: number }> = {};
  for (const m of text.matchAll(/^nodejs_gc_duration_seconds_(sum|count)\{kind="(\w+)"\} (\S+)$/gm)) {
    const g = (gc[m[2]!] ??= { n: 0, s: 0 });
    if (m[1] === 'sum') g.s = Number(m[3]); else g.n = Number(m[3]);
  }
  return { p99: num(/^nodejs_eventloop_lag_p99_seconds (\S+)$/m), max: num(/^nodejs_eventloop_lag_max_seconds (\S+)$/m), gc,
    deferred: num(/^netmapper_reports_deferred_total (\S+)$/m) || 0 };
}

/** Polls `url` every `everyMs` from a worker thread (its own event loop) until told to stop; answers the latencies (ms, 30 000 for a failure). */
function healthPoller(url: string, everyMs: number) {
  const worker = new Worker(`
    const { parentPort, workerData } = require('node:worker_threads');
    const lat = []; let stop = false;
    parentPort.on('message', () => { stop = true; });
    (async () => {
      while (!stop) {
        const t = performance.now();
        const res = await fetch(workerData.url, { signal: AbortSignal.timeout(30000) }).catch(() => undefined);
        await res?.arrayBuffer();
        lat.push(res?.status === 200 ? performance.now() - t : 30000);
        await new Promise((r) => setTimeout(r, workerData.everyMs));
      }
      parentPort.postMessage(lat);
    })();`, { eval: true, workerData: { url, everyMs } });
  return { stop: () => new Promise<number[]>((resolve) => { worker.once('message', (lat: number[]) => { void worker.terminate(); resolve(lat); }); worker.postMessage('stop'); }) };
}
/** CPU seconds (user + system, every thread) the process has used, from /proc (clock ticks of 1/100 s). */
const cpuSeconds = (pid: number): number => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};
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
const body = (recs: unknown[]) => JSON.stringify({ version: 1, node: 'bench', sentAt: new Date().toISOString(), records: recs });
const postBody = (base: string, b: string) => fetch(`${base}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: b });
const post = (base: string, recs: unknown[]) => postBody(base, body(recs));
const failures: Record<string, number> = {};
/** Set just before the kill: what fails after it is the kill's doing, not counted as a failure. */
let killing = false;
/** The wait a 429 asks for, as the sniffer's reporter takes it (Retry-After seconds plus up to 20%). */
const retryAfter = (res: Response) => Number(res.headers.get('retry-after') ?? 1) * 1000 * (1 + 0.2 * Math.random());
/** POSTs `b` until acknowledged (a 429 waits its Retry-After), or `stopped()`; answers the accepted POST's latency, the delivery's, and the 429 count. */
async function deliver(base: string, b: string, stopped: () => boolean) {
  const first = performance.now();
  let busy = 0;
  while (!stopped()) {
    const t = performance.now();
    const res = await postBody(base, b).catch(() => undefined);
    const text = await res?.text().catch(() => undefined);
    if (res?.status === 429) { busy++; await new Promise((r) => setTimeout(r, retryAfter(res))); continue; }
    if (res?.status !== 200 || text === undefined) {
      if (!stopped() && !killing) failures[String(res?.status ?? 'network')] = (failures[String(res?.status ?? 'network')] ?? 0) + 1;
      return { ok: false as const, busy };
    }
    const now = performance.now();
    return { ok: true as const, answerMs: now - t, deliveryMs: now - first, busy, result: JSON.parse(text) as { resolved: number } };
  }
  return { ok: false as const, busy };
}

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

    const rep: number[] = [], delivery: number[] = [], exp: number[] = [];
    const expStatus: Record<string, number> = {};
    let stop = false, stopReads = false, failed = 0, marker = 0, busy = 0;
    killing = false;
    const acked: number[] = [];
    // Bodies built before the run (a pool per reporter), so the bench's own CPU goes to sending, not building.
    const POOL = 4;
    const bodies = Array.from({ length: REPORTERS * POOL }, (_, k) => body(records(pods, 1000, 1_000_000 + k)));
    const reporter = async (k: number) => {
      for (let i = 0; !stop; i++) {
        const d = await deliver(ctl.base, bodies[k * POOL + (i % POOL)]!, () => stop);
        busy += d.busy;
        if (d.ok) { rep.push(d.answerMs); delivery.push(d.deliveryMs); } else if (!stop && !killing) failed++;
      }
    };
    const markers = async () => {
      while (!stop) {
        const n = marker++;
        const d = await deliver(ctl.base, body([{ source: 'dns', srcIp: podIp(n % pods), destination: `m-${n}.bench.example`, destinationIp: '198.51.100.1', ttl: 30, lastSeen: new Date().toISOString(), count: 1 }]), () => stop);
        busy += d.busy;
        if (d.ok && d.result.resolved === 1) acked.push(n);   // acknowledged and stored (a 200 may count a record unresolved)
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
    await loopStats(ctl.metrics);   // resets the controller's event-loop histogram: what follows is the run's
    const gc0 = (await loopStats(ctl.metrics)).gc;
    const load0 = loadavg()[0]!;
    const cpu0 = cpuSeconds(ctl.proc.pid!);
    const poller = healthPoller(`${ctl.base}/healthz`, 100);
    const writers = [...Array.from({ length: REPORTERS }, (_, k) => reporter(k)), markers()];
    const readers = Array.from({ length: READERS }, (_, k) => reader(k));
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    // Readers finish first (their figures are not cut by the kill); then kill -9 mid-stream of the
    // writers: every acknowledged marker must be there after the restart.
    stopReads = true;
    const health = await poller.stop();
    await Promise.allSettled(readers);
    const loop = await loopStats(ctl.metrics);
    const load1 = loadavg()[0]!;
    const cpuRun = cpuSeconds(ctl.proc.pid!) - cpu0;
    const hwm = peakRss(ctl.proc.pid!);
    killing = true;
    if (PROF) await new Promise<void>((r) => { ctl.proc.once('exit', () => r()); ctl.proc.kill('SIGTERM'); });
    else await kill9(ctl.proc);
    stop = true;
    await Promise.allSettled(writers);
    ctl = await startController(dir, kubeconfig);
    const have = new Set(((await (await fetch(`${ctl.base}/api/v1/intents`)).json()) as { intents: Array<{ internet?: { domain?: string } }> }).intents.map((i) => i.internet?.domain));
    const lost = acked.filter((n) => !have.has(`m-${n}.bench.example`)).length;
    const stored = have.size;

    const gcLine = Object.entries(loop.gc).map(([k, g]) => `${k} ${g.n - (gc0[k]?.n ?? 0)} × ${(((g.s - (gc0[k]?.s ?? 0)) * 1000) / Math.max(1, g.n - (gc0[k]?.n ?? 0))).toFixed(1)} ms`).join(', ');
    console.log(`\nmixed run${EXTRA.length ? ` (${EXTRA.join(' ')})` : ''}, ${pods.toLocaleString('en')} pods, ${intents.toLocaleString('en')} intents before the run, ${SECONDS} s: ${REPORTERS} reporters (1000-record reports, 429 → Retry-After) + ${READERS} export readers + /healthz every 100 ms (worker thread) + a marker stream; load average ${load0.toFixed(1)} → ${load1.toFixed(1)} (${cpus().length} cores)`);
    console.log(`  controller CPU during the run: ${cpuRun.toFixed(1)} s of ${SECONDS} s wall (${Math.round((rep.length * 1000) / Math.max(0.01, cpuRun)).toLocaleString('en')} acknowledged records per controller CPU-s, exports included)`);
    console.log(`  reports: ${rep.length} acknowledged (${Math.round(rep.length * 1000 / SECONDS).toLocaleString('en')} records/s), ${busy} answered 429 and sent again, ${failed} failed ${JSON.stringify(failures)}; accepted POST answered p50 ${pct(rep, 0.5)} ms, p99 ${pct(rep, 0.99)} ms; delivery incl. 429 waits p50 ${pct(delivery, 0.5)} ms, p99 ${pct(delivery, 0.99)} ms`);
    console.log(`  /healthz: p50 ${pct(health, 0.5)} ms, p99 ${pct(health, 0.99)} ms (${health.length} polls); controller event-loop delay p99 ${(loop.p99 * 1000).toFixed(0)} ms, max ${(loop.max * 1000).toFixed(0)} ms; GC ${gcLine}`);
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
