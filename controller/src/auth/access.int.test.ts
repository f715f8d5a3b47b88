// Every route × {no token, invalid token, valid but unauthorized, authorized} from a NON-loopback
// address, and from loopback as documented, against the real controller (startController: real
// @hono/node-server, real socket addresses) whose TokenReview and SubjectAccessReview go through the
// real client-node to the list/watch test server's review endpoints (answers from the shared table).
// The controller and its API server run inside a network namespace ("ctl"); a second namespace ("pod")
// is a pod on the same bridge. The controllers listen on `::` (dual stack), so IPv4 peers arrive as
// `::ffff:a.b.c.d`: the IPv4-mapped loopback and the mapped pod address are both exercised. This one file plays three parts, chosen by NM_ACCESS_ROLE:
//   (none)   the test: makes the namespaces, starts the other two parts, compares the answers;
//   server   in ctl: the API server double and two controllers (loopback trusted / not), prints ports;
//   probe    in pod or ctl: asks every route with every token, prints the statuses as JSON.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { GRAPHQL_PATH, READ_PATHS, RESET_PATH } from './policy.ts';

const ROLE = process.env.NM_ACCESS_ROLE;
const SELF = fileURLToPath(import.meta.url);
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CLUSTER_FILE = fileURLToPath(new URL('../resolve/testdata/shop.cluster.yaml', import.meta.url));

/** Concrete request paths for the read paths (`/web/*` → an asset under it). */
const READS = READ_PATHS.filter((p) => p !== GRAPHQL_PATH).map((p) => (p === '/api/v1/graph*' ? '/api/v1/graph.svg' : p.replace(/\*$/, 'app.js')));
const CREDENTIALS = ['none', 'invalid', 'unauthorized', 'authorized'] as const;
type Credential = typeof CREDENTIALS[number];

/** Which token each credential is, per kind of route. */
function tokenFor(kind: 'read' | 'reset' | 'report', cred: Credential): string | undefined {
  if (cred === 'none') return undefined;
  if (cred === 'invalid') return 'not-a-token';
  if (kind === 'report') return cred === 'authorized' ? 'tok-sniffer' : 'tok-other-sa';
  if (cred === 'unauthorized') return kind === 'read' ? 'tok-pod-sa' : 'tok-alice-viewer';   // a viewer may read, not reset
  return kind === 'read' ? 'tok-alice-viewer' : 'tok-bob-admin';
}

interface Ask { kind: 'read' | 'reset' | 'report' | 'open'; method: string; path: string }
const ASKS: Ask[] = [
  ...READS.map((path) => ({ kind: 'read' as const, method: 'GET', path })),
  { kind: 'report', method: 'POST', path: '/api/v1/reports' },
  { kind: 'reset', method: 'POST', path: RESET_PATH },
  { kind: 'open', method: 'GET', path: '/healthz' },
  { kind: 'open', method: 'GET', path: '/readyz' },
];

async function probe(base: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const a of ASKS) {
    for (const cred of CREDENTIALS) {
      const token = a.kind === 'open' ? (cred === 'none' ? undefined : 'not-a-token') : tokenFor(a.kind, cred);
      const body = a.kind === 'report' ? JSON.stringify({ version: 1, node: 'n', sentAt: new Date().toISOString(), records: [] }) : undefined;
      const res = await fetch(`${base}${a.path}`, {
        method: a.method, signal: AbortSignal.timeout(10_000),
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}), 'x-forwarded-for': '127.0.0.1' },
        ...(body ? { body } : {}),
      });
      await res.body?.cancel();
      out[`${a.method} ${a.path} ${cred}`] = res.status;
    }
  }
  return out;
}

if (ROLE === 'probe') {
  const bases = JSON.parse(process.env.NM_TARGETS!) as Record<string, string>;
  const result: Record<string, Record<string, number>> = {};
  for (const [name, base] of Object.entries(bases)) result[name] = await probe(base);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else if (ROLE === 'server') {
  const { createFakeApiServer } = await import('../../../fixtures/test-support/fake-apiserver.ts');
  const { TOKENS, RULES, AUTH_NS } = await import('../../../fixtures/test-support/auth-table.ts');
  const { snapshotViewFromObjects } = await import('../cluster/snapshot.ts');
  const { parseConfig } = await import('../config.ts');
  const { startController } = await import('../main.ts');
  const api = createFakeApiServer({ tokens: TOKENS, rules: RULES, bookmarkIntervalMs: 0 });
  await api.start();
  const objects = parseAllDocuments(readFileSync(CLUSTER_FILE, 'utf8')).map((d) => d.toJS()).filter(Boolean);
  const view = snapshotViewFromObjects(objects, 'shop');
  const start = (extra: string[]) => startController(
    { ...parseConfig(['--bind-address', '::', '--log-level', 'error', ...extra], {}, true, { namespace: AUTH_NS }), port: 0, metricsPort: 0 },
    { kubeConfig: api.kubeConfig(), cluster: { view, stop: async () => {}, restarts: () => 0 }, log: () => {} },
  );
  const trusting = await start([]);
  const strict = await start(['--trust-loopback=false']);
  process.stdout.write(`${JSON.stringify({ trusting: trusting.port, strict: strict.port })}\n`);
  // The test closes our stdin when done: report what the API server was asked, then stop.
  process.stdin.resume();
  process.stdin.on('end', async () => {
    const sars = api.reviews.filter((r) => r.kind === 'SubjectAccessReview').map((r) => `${r.spec.user} ${r.spec.nonResourceAttributes?.verb} ${r.spec.nonResourceAttributes?.path}`);
    process.stdout.write(`${JSON.stringify({ sars: [...new Set(sars)] })}\n`);
    await Promise.all([trusting.close(), strict.close(), api.close()]);
    process.exit(0);
  });
} else {
  const { test } = await import('uvu');
  const assert: typeof import('uvu/assert') = await import('uvu/assert');
  const { suiteNeeds } = await import('../../../fixtures/test-support/needs.ts');
  const { createTopology } = await import('../../../fixtures/test-support/netns.ts');
  suiteNeeds('controller access from another network namespace', ['netns']);
  const { ensureBuilt } = await import('../../../fixtures/test-support/built.ts');
  ensureBuilt();   // the web page's assets (/web/*) are served from dist/web

  const node = (role: string, env: Record<string, string> = {}) => ['env', [`NM_ACCESS_ROLE=${role}`, ...Object.entries(env).map(([k, v]) => `${k}=${v}`), process.execPath, '--import', 'tsx', SELF]] as const;
  const lines = (child: import('node:child_process').ChildProcess) => {
    const got: string[] = [];
    let buf = '';
    child.stdout!.on('data', (d) => { buf += d; const parts = buf.split('\n'); buf = parts.pop()!; got.push(...parts.filter(Boolean)); });
    return got;
  };
  const waitLine = async (got: string[], n: number, what: string, ms = 90_000) => {
    const end = Date.now() + ms;
    while (got.length < n) { if (Date.now() > end) throw new Error(`timed out waiting for ${what}`); await new Promise((r) => setTimeout(r, 50)); }
    return JSON.parse(got[n - 1]!);
  };

  /** What each cell must answer, by where the caller is. */
  function expected(where: 'pod' | 'loopback-trusted' | 'loopback-strict'): Record<string, number> {
    const out: Record<string, number> = {};
    for (const a of ASKS) for (const cred of CREDENTIALS) {
      const ok = 200;
      let status: number;
      if (a.kind === 'open') status = 200;
      else if (a.kind !== 'report' && where === 'loopback-trusted') status = ok;   // kubectl port-forward: already authorized
      else status = cred === 'none' || cred === 'invalid' ? 401 : cred === 'unauthorized' ? 403 : ok;
      out[`${a.method} ${a.path} ${cred}`] = status;
    }
    return out;
  }

  test('route × credential from a pod\'s address and from loopback, with real TokenReview and SubjectAccessReview calls', async () => {
    const topo = await createTopology([{ name: 'ctl', host: 2 }, { name: 'pod', host: 3 }]);
    try {
      const { ctl, pod } = topo.pods as Record<'ctl' | 'pod', { ns: string; ip4: string }>;
      const [cmd, args] = node('server');
      const server = topo.spawn(ctl!.ns, cmd, [...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
      const serverOut = lines(server);
      const ports = await waitLine(serverOut, 1, 'the controllers in the ctl namespace') as { trusting: number; strict: number };

      const run = async (ns: string, targets: Record<string, string>) => {
        const [c, a] = node('probe', { NM_TARGETS: JSON.stringify(targets) });
        return JSON.parse(await topo.run(ns, c, [...a], 120_000)) as Record<string, Record<string, number>>;
      };
      const fromPod = await run(pod!.ns, { trusting: `http://${ctl!.ip4}:${ports.trusting}`, strict: `http://${ctl!.ip4}:${ports.strict}` });
      const fromLoopback = await run(ctl!.ns, { trusting: `http://127.0.0.1:${ports.trusting}`, strict: `http://[::1]:${ports.strict}` });

      assert.equal(fromPod.trusting, expected('pod'), 'a pod, even claiming X-Forwarded-For: 127.0.0.1');
      assert.equal(fromPod.strict, expected('pod'));
      assert.equal(fromLoopback.trusting, expected('loopback-trusted'), 'loopback (port-forward) trusted by default');
      assert.equal(fromLoopback.strict, expected('loopback-strict'), '--trust-loopback=false');

      server.stdin!.end();
      const { sars } = await waitLine(serverOut, 2, 'the review log') as { sars: string[] };
      assert.ok(sars.includes('alice get /api/v1/intents'), sars.join('\n'));
      assert.ok(sars.includes('bob post /api/v1/reset'), sars.join('\n'));
      assert.ok(sars.includes('alice post /api/v1/reset'), 'a viewer asked for reset is refused by RBAC, not by us');
      assert.ok(sars.includes('system:serviceaccount:default:default get /api/v1/list'));
    } finally {
      await topo.cleanup();
    }
  });

  test.run();
}
