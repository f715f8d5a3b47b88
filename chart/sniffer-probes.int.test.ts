// The sniffer as the chart runs it: the rendered args, the image's entrypoint and environment, root with
// only the capability the chart grants (NET_RAW: bounding and inheritable sets as a runtime sets them for
// `drop: [ALL], add: [NET_RAW]`, checked in the running sniffer's /proc/<pid>/status; no_new_privs for
// allowPrivilegeEscalation: false), nothing writable. It starts capturing, its socket scan reads another
// user's connection in the pod namespace (no SYS_PTRACE), it answers the chart's probes on the health port,
// reports to a real controller, and stops on SIGTERM. Everything runs inside a network namespace this test creates
// (prefix `nmchart`) and a second one for a client pod, joined by a veth pair made inside them; the namespace and every child are removed at the end.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execForm, last, parseDockerfile } from '../fixtures/test-support/dockerfile.ts';
import { ensureBuilt } from '../fixtures/test-support/built.ts';
import { REPO_DIR, one, render } from '../fixtures/test-support/helm.ts';
import { suiteNeeds } from '../fixtures/test-support/needs.ts';
suiteNeeds('chart sniffer probes', ['helm', 'netns', 'tool:setpriv', 'tool:nc']);

const NETNS = `nmchart-${process.pid}`;
/** A "pod" plugged into the node namespace by a veth pair made inside it; nothing touches the root namespace. */
const POD_NS = `nmchart-${process.pid}-pod`;
const NODE_IP = '10.232.61.1';
const POD_IP = '10.232.61.2';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
const CONTROLLER_PORT = 18080;
const METRICS_PORT = 19090;
const HEALTH_PORT = 47921;

const children: ChildProcess[] = [];
function cleanup(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const ns of [POD_NS, NETNS]) spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore', timeout: 10_000 });
}
process.once('exit', cleanup);

function imageEnv(): { argv: string[]; env: Record<string, string> } {
  const runtime = parseDockerfile(readFileSync(join(REPO_DIR, 'Dockerfile'), 'utf8')).at(-1)!;
  const entrypoint = execForm(last(runtime, 'ENTRYPOINT')!);
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/dev/null/home', TMPDIR: '/dev/null/tmp' };
  for (const m of (last(runtime, 'ENV') ?? '').matchAll(/(\w+)=(\S+)/g)) env[m[1]] = m[2];
  return { argv: entrypoint.slice(entrypoint.indexOf('node') + 1), env };
}

/** Runs `cmd` inside the namespace as a tracked child, output collected. */
function start(cmd: string[], env: Record<string, string>): { child: ChildProcess; log: () => string } {
  let out = '';
  const child = spawn('ip', ['netns', 'exec', NETNS, ...cmd], { cwd: REPO_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  return { child, log: () => out.slice(-4000) };
}

/** GET inside a namespace with curl; returns [status, body]. */
function get(url: string, ns = NETNS): [number, string] {
  const r = spawnSync('ip', ['netns', 'exec', ns, 'curl', '-s', '-m', '2', '-w', '\n%{http_code}', url], { encoding: 'utf8', timeout: 10_000 });
  const text = r.stdout ?? '';
  const cut = text.lastIndexOf('\n');
  return [Number(text.slice(cut + 1)) || 0, text.slice(0, Math.max(cut, 0))];
}

async function waitFor(url: string, status: number, procs: { child: ChildProcess; log: () => string }[]): Promise<string> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let seen = 'no answer';
  while (Date.now() < deadline) {
    for (const p of procs) if (p.child.exitCode !== null) throw new Error(`exited ${p.child.exitCode} before ${url} answered:\n${p.log()}`);
    const [code, body] = get(url);
    if (code === status) return body;
    seen = code ? `HTTP ${code}: ${body.slice(0, 200)}` : 'no answer';
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url}: ${seen} after ${START_TIMEOUT_MS} ms\n${procs.map((p) => p.log()).join('\n---\n')}`);
}

async function stop(p: { child: ChildProcess; log: () => string }): Promise<number | null | 'timeout'> {
  if (p.child.exitCode !== null) return p.child.exitCode;
  const exited = new Promise<number | null>((resolve) => p.child.once('exit', (code) => resolve(code)));
  p.child.kill('SIGTERM');
  return Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), STOP_TIMEOUT_MS))]);
}

test('the sniffer runs as root with only NET_RAW: captures, scans sockets, answers its probes and reports to the controller', async () => {
  assert.is(process.getuid?.(), 0, 'needs root (network namespaces, capture)');
  ensureBuilt();
  for (const f of ['dist/sniffer.js', 'dist/controller.js']) assert.ok(existsSync(join(REPO_DIR, f)), `${f} is built`);
  const objects = render({ set: [`controller.port=${CONTROLLER_PORT}`, `controller.metricsPort=${METRICS_PORT}`, `sniffer.healthPort=${HEALTH_PORT}`, 'controller.auth=none', 'controller.allowUnauthenticatedReports=true'] });
  const ds = one(objects, 'DaemonSet');
  const sc = ds.spec.template.spec.containers[0];
  const caps: string[] = sc.securityContext.capabilities.add;
  assert.equal(caps, ['NET_RAW'], 'the chart adds NET_RAW only');
  assert.equal(sc.securityContext.capabilities.drop, ['ALL']);
  assert.is(sc.securityContext.allowPrivilegeEscalation, false);
  assert.is(sc.securityContext.readOnlyRootFilesystem, true);
  assert.is(ds.spec.template.spec.securityContext.runAsUser, 0);

  const work = mkdtempSync(join(tmpdir(), 'netmapper-sniffer-'));
  try {
    const ip = (...a: string[]) => execFileSync('ip', a, { stdio: 'pipe', timeout: 10_000 });
    ip('netns', 'add', NETNS);
    ip('netns', 'add', POD_NS);
    ip('-n', NETNS, 'link', 'set', 'lo', 'up');
    ip('-n', POD_NS, 'link', 'set', 'lo', 'up');
    ip('-n', NETNS, 'link', 'add', 'veth-pod', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', POD_NS);
    ip('-n', NETNS, 'addr', 'add', `${NODE_IP}/24`, 'dev', 'veth-pod');
    ip('-n', NETNS, 'link', 'set', 'veth-pod', 'up');
    ip('-n', POD_NS, 'addr', 'add', `${POD_IP}/24`, 'dev', 'eth0');
    ip('-n', POD_NS, 'link', 'set', 'eth0', 'up');
    const { argv, env } = imageEnv();

    // A real controller in the same namespace, from a cluster snapshot, so reports have somewhere to go.
    const snapshot = join(work, 'cluster.yaml');
    writeFileSync(snapshot, 'apiVersion: v1\nkind: List\nitems: []\n');
    const cArgs: string[] = one(objects, 'Deployment', '-controller').spec.template.spec.containers[0].args
      .map((a: string) => (a.startsWith('--store-file=') ? `--store-file=${work}/store.json` : a));
    // It listens on every address of the test's own node namespace (loopback and the veth to the pod).
    const controller = start(['node', ...argv, ...cArgs, `--cluster-snapshot=${snapshot}`, '--bind-address=0.0.0.0'], env);
    await waitFor(`http://127.0.0.1:${CONTROLLER_PORT}/readyz`, 200, [controller]);

    // The chart's sniffer args, with the test-only changes: the controller on this namespace's loopback
    // (no cluster DNS here), /proc for /hostproc, a token file in the temp dir for the projected token.
    const token = join(work, 'token');
    writeFileSync(token, 'test-token\n');
    const sArgs: string[] = sc.args.map((a: string) =>
      a.startsWith('--controller-url=') ? `--controller-url=http://127.0.0.1:${CONTROLLER_PORT}`
        : a === '--host-proc=/hostproc' ? '--host-proc=/proc'
          : a.startsWith('--token-file=') ? `--token-file=${token}`
            // What the kubelet does with $(VAR) references to the container's env.
            : a.replace('$(NODE_NAME)', 'node-under-test'));
    // The chart's plain env values; its block-mode LD_LIBRARY_PATH points at a decoy libpcap.so the image
    // builds (see the Dockerfile), made here the same way, so the sniffer runs as the default chart runs it.
    const chartEnv: Record<string, string> = Object.fromEntries(sc.env.filter((e: any) => typeof e.value === 'string').map((e: any) => [e.name, e.value]));
    assert.ok(chartEnv.LD_LIBRARY_PATH, 'the default chart runs libpcap in block mode');
    const decoy = join(work, 'libpcap-block');
    mkdirSync(decoy);
    const libm = readdirSync('/usr/lib').filter((d) => d.endsWith('-linux-gnu')).map((d) => `/usr/lib/${d}/libm.so.6`).find((f) => existsSync(f));
    symlinkSync(libm!, join(decoy, 'libpcap.so'));
    chartEnv.LD_LIBRARY_PATH = decoy;
    // A pod's long-lived client connection, held by another user (uid 1000, no capability) in the pod
    // namespace: root without SYS_PTRACE may not open that process's ns/net or root/, only its net/tcp.
    const podUser = ['setpriv', '--reuid=1000', '--regid=1000', '--clear-groups', '--inh-caps=-all', '--bounding-set=-all'];
    const held = spawn('ip', ['netns', 'exec', POD_NS, ...podUser, 'sh', '-c', `sleep 120 | nc ${NODE_IP} ${CONTROLLER_PORT}`], { stdio: 'ignore' });
    children.push(held);
    const capList = ['-all', ...caps.map((c) => `+${c.toLowerCase()}`)].join(',');
    const sniffer = start(['setpriv', `--inh-caps=${capList}`, `--bounding-set=${capList}`, '--no-new-privs', 'node', ...argv, ...sArgs], { ...env, ...chartEnv, NODE_NAME: 'node-under-test' });

    for (const probe of [sc.readinessProbe, sc.livenessProbe]) {
      assert.is(probe.httpGet.port, 'health');
      await waitFor(`http://127.0.0.1:${HEALTH_PORT}${probe.httpGet.path}`, 200, [sniffer, controller]);
    }
    // `ip netns exec` and setpriv exec, so the child is node itself: root, with NET_RAW (bit 13) and nothing else.
    const status = readFileSync(`/proc/${sniffer.child.pid}/status`, 'utf8');
    const field = (k: string) => BigInt(`0x${new RegExp(`^${k}:\\s*([0-9a-f]+)$`, 'm').exec(status)![1]}`);
    assert.match(status, /^Name:\s*node$/m);
    assert.match(status, /^Uid:\s*0\s/m);
    const NET_RAW = 1n << 13n;
    for (const k of ['CapEff', 'CapPrm', 'CapBnd']) assert.is(field(k), NET_RAW, `${k}: NET_RAW only`);
    assert.is(field('CapAmb'), 0n);
    assert.match(status, /^NoNewPrivs:\s*1$/m);
    // The pod connects to the node (a SYN on the veth, which the sniffer captures on `any`), until a
    // report reaches the controller. Loopback traffic would not do: the sniffer rightly ignores it.
    const deadline = Date.now() + START_TIMEOUT_MS;
    let received = 0;
    while (Date.now() < deadline && received === 0) {
      get(`http://${NODE_IP}:${CONTROLLER_PORT}/healthz`, POD_NS);
      const [, metrics] = get(`http://127.0.0.1:${METRICS_PORT}/metrics`);
      const m = /^netmapper_reports_received_total(?:\{[^}]*\})? (\d+)/m.exec(metrics);
      received = m ? Number(m[1]) : 0;
      if (received === 0) await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(received > 0, `the controller received a report from the sniffer:\n${sniffer.log()}\n${get(`http://127.0.0.1:${HEALTH_PORT}/metrics`)[1]}\n${get(`http://127.0.0.1:${METRICS_PORT}/metrics`)[1]}`);
    // Capture (block mode delivers frames up to 1 s late) and the socket scan both observed something: the
    // pod keeps connecting until the captured SYNs are counted too.
    let snifferMetrics = '';
    const metric = (re: RegExp) => Number(re.exec(snifferMetrics)?.[1] ?? 0);
    const TCP = /^netmapper_sniffer_observations_total\{source="tcp"\} (\d+)$/m;
    while (Date.now() < deadline) {
      snifferMetrics = get(`http://127.0.0.1:${HEALTH_PORT}/metrics`)[1];
      if (metric(TCP) > 0) break;
      get(`http://${NODE_IP}:${CONTROLLER_PORT}/healthz`, POD_NS);
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.match(snifferMetrics, /^# (HELP|TYPE) /m);
    assert.ok(metric(TCP) > 0, `captured SYNs observed:\n${sniffer.log()}\n${snifferMetrics}`);
    assert.ok(metric(/^netmapper_sniffer_frames_total (\d+)$/m) > 0, 'frames captured');
    // The socket scan ran without SYS_PTRACE, read every namespace without an error and found client
    // connections (the held one among them: sniffer/src/privileges.int.test.ts checks it by address).
    assert.ok(metric(/^netmapper_sniffer_socket_scans_total (\d+)$/m) > 0, 'socket scans ran');
    assert.is(metric(/^netmapper_sniffer_socket_scan_errors_total (\d+)$/m), 0, 'no socket scan error');
    assert.ok(metric(/^netmapper_sniffer_socket_scan_namespaces (\d+)$/m) >= 2, 'the node and the pod namespace read');
    assert.ok(metric(/^netmapper_sniffer_observations_total\{source="socket"\} (\d+)$/m) > 0, `socket observations:\n${snifferMetrics}`);
    // The built sniffer loads the packet-stats addon beside it, so capture drops are counted.
    assert.match(snifferMetrics, /^netmapper_sniffer_capture_drop_counting 1$/m);
    assert.match(snifferMetrics, /^netmapper_build_info\{[^}]*role="sniffer",node="node-under-test"\} 1$/m);

    // The chart's `helm test` pod, its script run as the chart runs it, against this controller.
    const testPod = one(objects, 'Pod', '-test').spec.containers[0];
    const testEnv: Record<string, string> = Object.fromEntries(testPod.env.map((e: any) => [e.name, e.value]));
    testEnv.READYZ_URL = `http://127.0.0.1:${CONTROLLER_PORT}/readyz`;
    testEnv.METRICS_URL = `http://127.0.0.1:${METRICS_PORT}/metrics`;
    const hook = spawnSync('ip', ['netns', 'exec', NETNS, 'node', ...testPod.args], { env: { ...env, ...testEnv }, encoding: 'utf8', timeout: 30_000 });
    assert.is(hook.status, 0, `helm test script: ${hook.stdout}${hook.stderr}`);
    assert.match(hook.stdout, 'ok: controller ready and sniffers reporting');

    assert.is(await stop(sniffer), 0, `sniffer exit after SIGTERM:\n${sniffer.log()}`);
    assert.is(await stop(controller), 0, `controller exit after SIGTERM:\n${controller.log()}`);
  } finally {
    cleanup();
    rmSync(work, { recursive: true, force: true });
  }
});

test.run();
