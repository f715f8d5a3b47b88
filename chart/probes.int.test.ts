// The controller as the chart and the image run it: the rendered args, `node dist/controller.js`, the image's
// environment, uid 65532 and nothing writable but the store directory. Its probes and metrics answer on the
// ports and paths the chart points the kubelet at, and SIGTERM stops it cleanly.
// Only loopback is used: the listeners bind 127.0.0.1 and the cluster comes from a snapshot file.
import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ensureBuilt } from '../fixtures/test-support/built.ts';
import { execForm, last, parseDockerfile } from '../fixtures/test-support/dockerfile.ts';
import { REPO_DIR, one, render } from '../fixtures/test-support/helm.ts';
import { suiteNeeds } from '../fixtures/test-support/needs.ts';
import { freePort } from '../fixtures/test-support/ports.ts';
suiteNeeds('chart probes', ['helm']);

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

function traversableByOthers(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) return false;
    if (dirname(d) === d) return true;
  }
}

/** Polls until GET url answers `status`, or fails after the deadline. */
async function waitFor(url: string, status: number, child: ChildProcess, log: () => string): Promise<Response> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`controller exited ${child.exitCode} before ${url} answered:\n${log()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status === status) return res;
      last = `HTTP ${res.status}`;
      await res.arrayBuffer();
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url}: ${last} after ${START_TIMEOUT_MS} ms\n${log()}`);
}

test("the controller answers the chart's probes and metrics as the image runs it, and stops on SIGTERM", async () => {
  ensureBuilt();
  assert.ok(existsSync(join(REPO_DIR, 'dist/controller.js')), 'dist/controller.js is built');
  const [port, metricsPort] = [await freePort(), await freePort()];
  const deployment = one(render({ set: [`controller.port=${port}`, `controller.metricsPort=${metricsPort}`, 'controller.auth=none', 'controller.allowUnauthenticatedReports=true'] }), 'Deployment', '-controller');
  const c = deployment.spec.template.spec.containers[0];

  const work = mkdtempSync(join(tmpdir(), 'netmapper-probe-'));
  const storeDir = join(work, 'store');
  const snapshot = join(work, 'cluster.yaml');
  writeFileSync(snapshot, 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Namespace\n    metadata: {name: default}\n');
  let child: ChildProcess | undefined;
  let output = '';
  try {
    mkdirSync(storeDir);
    const root = process.getuid?.() === 0;
    const asUser = root && traversableByOthers(REPO_DIR) && traversableByOthers(work) ? { uid: 65532, gid: 65532 } : {};
    if ('uid' in asUser) chownSync(storeDir, 65532, 65532);

    // The chart's args, with three test-only changes: the store in a temp dir instead of the volume,
    // a cluster snapshot instead of the API server, and loopback-only listeners.
    const args: string[] = c.args.map((a: string) => (a.startsWith('--store-file=') ? `--store-file=${storeDir}/store.json` : a));
    args.push(`--cluster-snapshot=${snapshot}`, '--bind-address=127.0.0.1');

    const runtime = parseDockerfile(readFileSync(join(REPO_DIR, 'Dockerfile'), 'utf8')).at(-1)!;
    const argv = execForm(last(runtime, 'ENTRYPOINT')!);
    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/dev/null/home', TMPDIR: '/dev/null/tmp' };
    for (const m of (last(runtime, 'ENV') ?? '').matchAll(/(\w+)=(\S+)/g)) env[m[1]] = m[2];

    child = spawn(process.execPath, [...argv.slice(argv.indexOf('node') + 1), ...args], { cwd: REPO_DIR, env, ...asUser, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => { output += d; });
    child.stderr!.on('data', (d) => { output += d; });
    const log = () => output.slice(-4000);

    const http = c.ports.find((p: any) => p.name === 'http').containerPort;
    const metrics = c.ports.find((p: any) => p.name === 'metrics').containerPort;
    assert.is(http, port);
    assert.is(metrics, metricsPort);
    for (const probe of [c.startupProbe, c.livenessProbe, c.readinessProbe]) {
      assert.is(probe.httpGet.port, 'http');
      await waitFor(`http://127.0.0.1:${http}${probe.httpGet.path}`, 200, child, log);
    }
    const m = await waitFor(`http://127.0.0.1:${metrics}/metrics`, 200, child, log);
    assert.match(await m.text(), /^# (HELP|TYPE) netmapper_/m);

    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), STOP_TIMEOUT_MS))]);
    assert.is(code, 0, `exit after SIGTERM:\n${log()}`);
  } finally {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(work, { recursive: true, force: true });
  }
});

test.run();
