// Peak memory of the built controller at its default --max-intents with reports and the largest exports
// running together — the figure the chart's requests and limits come from. The store file is filled to
// the bound first (intents shaped like a resolved cluster's: labelled workloads, Internet destinations);
// then REPORTERS post reports (merges into stored intents and refused new ones) while readers fetch every
// large export in turn, all for SECONDS; the kernel's VmHWM is the peak RSS.
//   npm run build && node --import tsx controller/bench/export-memory.ts [intents=100000] [seconds=60] [reporters=20] [cluster.json]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../fixtures/test-support/ports.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const N = Number(process.argv[2] ?? 100_000);
const SECONDS = Number(process.argv[3] ?? 60);
const REPORTERS = Number(process.argv[4] ?? 20);
// A cluster snapshot (5th argument: e.g. bench/snapshot-load.ts's 150k-pod dump, whose pods are 10.1.x.x) or the bundled Online Boutique one.
const CLUSTER = process.argv[5];
const CLIENT_IPS = CLUSTER ? ['10.1.0.1', '10.1.0.2'] : ['10.244.1.4', '10.244.1.6'];   // adservice, cartservice in Online Boutique
const T = new Date().toISOString();
const dir = mkdtempSync(join(tmpdir(), 'nm-export-mem-'));
const storeFile = join(dir, 'store.json');

const labels = (app: string) => ({ app, 'app.kubernetes.io/name': app, 'app.kubernetes.io/part-of': 'shop', 'pod-template-hash': '7d9f8b6c5' });
const intents = Array.from({ length: N }, (_, i) => {
  const client = { name: `client-${i % 2000}`, namespace: `ns-${i % 100}`, kind: 'Deployment', labels: labels(`client-${i % 2000}`) };
  return i % 5 === 4
    ? { client, type: 'internet', internet: { domain: `api-${i}.example.com`, ips: [`198.51.${(i >> 8) & 255}.${i & 255}`], ports: [443] }, firstSeen: T, lastSeen: T, count: 3, sources: ['dns'] }
    : { client, server: { name: `server-${i}`, namespace: `ns-${(i * 7) % 100}`, kind: 'Deployment', labels: labels(`server-${i}`) }, type: 'plain', firstSeen: T, lastSeen: T, count: 3, sources: ['tcp'] };
});
writeFileSync(storeFile, JSON.stringify({ version: 1, savedAt: T, intents }));

const port = await freePort();
const proc = spawn(process.execPath, [join(REPO, 'dist', 'netmapper.js'), 'serve', '--port', String(port), '--bind-address', '127.0.0.1',
  '--cluster-snapshot', CLUSTER ?? join(REPO, 'dist', 'fixtures', 'online-boutique', 'cluster.json'), '--store-file', storeFile, '--auth', 'none', '--log-level', 'warn'],
{ stdio: ['ignore', 'ignore', 'inherit'] });
const base = `http://127.0.0.1:${port}`;
const status = () => readFileSync(`/proc/${proc.pid}/status`, 'utf8');
const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status())?.[1] ?? 0);
for (const end = Date.now() + 300_000; (await fetch(`${base}/readyz`).catch(() => undefined))?.status !== 200;) {
  if (Date.now() > end || proc.exitCode !== null) throw new Error('controller not ready');
  await new Promise((r) => setTimeout(r, 100));
}
const idle = kib('VmRSS');

const stopAt = Date.now() + SECONDS * 1000;
let reports = 0, reportFail = 0, seq = 0;
const reportMs: number[] = [];
const reporter = async () => {
  while (Date.now() < stopAt) {
    const records = Array.from({ length: 50 }, (_, k) => ({ source: 'dns', srcIp: CLIENT_IPS[k % 2], destination: `r-${seq++ % 5000}.example.com`, destinationIp: '198.51.100.9', ttl: 30, lastSeen: new Date().toISOString(), count: 1 }));
    const t0 = performance.now();
    const res = await fetch(`${base}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ version: 1, node: 'bench', sentAt: new Date().toISOString(), records }) }).catch(() => undefined);
    await res?.arrayBuffer();
    reportMs.push(performance.now() - t0);
    if (res?.status === 200) reports++; else reportFail++;
    await new Promise((r) => setTimeout(r, 200));
  }
};
const EXPORTS = ['/api/v1/intents?includeAllLabels=true', '/api/v1/clientintents', '/api/v1/clientintents?format=json', '/api/v1/list', '/api/v1/graph.dot'];
const exported: Record<string, { ok: number; other: string[]; bytes: number; ms: number }> = {};
const reader = async (offset: number) => {
  for (let k = offset; Date.now() < stopAt; k++) {
    const path = EXPORTS[k % EXPORTS.length]!;
    const e = (exported[path] ??= { ok: 0, other: [], bytes: 0, ms: 0 });
    const t0 = performance.now();
    const res = await fetch(`${base}${path}`).catch(() => undefined);
    const body = res ? await res.arrayBuffer().catch(() => undefined) : undefined;
    if (res?.status === 200 && body) { e.ok++; e.bytes = body.byteLength; e.ms = Math.max(e.ms, performance.now() - t0); }
    else e.other.push(`${res?.status ?? 'no answer'}${body ? ` ${(JSON.parse(Buffer.from(body).toString('utf8') || '{}') as { error?: { code?: string } }).error?.code ?? ''}` : ''} after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
};
let peakSample = 0;
const sampler = setInterval(() => { peakSample = Math.max(peakSample, kib('VmRSS')); }, 250);
await Promise.all([...Array.from({ length: REPORTERS }, reporter), reader(0), reader(2)]);
clearInterval(sampler);
const hwm = kib('VmHWM');
proc.kill('SIGTERM');
await new Promise((r) => proc.once('exit', r));
rmSync(dir, { recursive: true, force: true });
reportMs.sort((a, b) => a - b);
const mib = (k: number) => `${(k / 1024).toFixed(0)} MiB`;
process.stdout.write(`${N} stored intents, cluster ${CLUSTER ?? 'Online Boutique'}; ${REPORTERS} reporters x 50 records every 200 ms and 2 export readers for ${SECONDS} s\n`
  + `  RSS idle ${mib(idle)}, peak (VmHWM) ${mib(hwm)} (sampled max ${mib(peakSample)})\n`
  + `  reports: ${reports} acknowledged, ${reportFail} not; p50 ${reportMs[Math.floor(reportMs.length / 2)]?.toFixed(0)} ms, p99 ${reportMs[Math.floor(reportMs.length * 0.99)]?.toFixed(0)} ms\n`
  + Object.entries(exported).map(([p, e]) => `  ${p}: ${e.ok} x ${(e.bytes / 1048576).toFixed(1)} MiB, slowest ${(e.ms / 1000).toFixed(1)} s${e.other.length ? `; not 200: ${e.other.join(',')}` : ''}\n`).join('')
  + `  load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);
