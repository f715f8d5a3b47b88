// Test helper: a local HTTP server speaking the three Kubernetes API calls the CLI makes through
// the kubeconfig: list Services and list pods in a namespace (by label selector), and the pod
// `portforward` WebSocket (channel protocol v4.channel.k8s.io, as the API server speaks it:
// each frame starts with its channel byte; the first frame on the data and error channels
// carries the port, little-endian), relayed to a real TCP port on loopback.
import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeApiServer {
  url: string;
  /** `GET path?query`, `WS path?query`, with the Authorization header after a space when present. */
  log: string[];
  services: Record<string, unknown[]>;
  pods: Record<string, unknown[]>;
  /** Where a port-forward to pod/port really goes: `${namespace}/${pod}:${port}` → loopback port. */
  forwards: Record<string, number>;
  kubeconfig(extraContexts?: Record<string, string>): string;
  close(): Promise<void>;
}

export async function startFakeApiServer(): Promise<FakeApiServer> {
  // `ws` comes with @kubernetes/client-node (which uses it for exactly this); it has no types here.
  const { WebSocketServer } = (await import('ws' as string)) as any;
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (protocols: Set<string>) => (protocols.has('v4.channel.k8s.io') ? 'v4.channel.k8s.io' : false) });
  const fake = { log: [] as string[], services: {}, pods: {}, forwards: {} } as FakeApiServer;
  const note = (kind: string, req: IncomingMessage) => fake.log.push(`${kind} ${decodeURIComponent(req.url ?? '')}${req.headers.authorization ? ` ${req.headers.authorization}` : ''}`);

  const server = createServer((req, res) => {
    note(req.method ?? 'GET', req);
    const u = new URL(req.url ?? '/', 'http://x');
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/(services|pods)$/.exec(u.pathname);
    if (req.method !== 'GET' || !m) { res.writeHead(404, { 'content-type': 'application/json' }).end('{"kind":"Status","code":404}'); return; }
    const selector = (u.searchParams.get('labelSelector') ?? '').split(',').filter(Boolean).map((p) => p.split('='));
    const all = ((m[2] === 'services' ? fake.services : fake.pods)[m[1]] ?? []) as any[];
    const items = all.filter((o) => selector.every(([k, v]) => o.metadata?.labels?.[k] === v));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: m[2] === 'services' ? 'ServiceList' : 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items }));
  });

  server.on('upgrade', (req, socket, head) => {
    note('WS', req);
    const u = new URL(req.url ?? '/', 'http://x');
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/portforward$/.exec(u.pathname);
    const port = Number(u.searchParams.get('ports'));
    const target = m ? fake.forwards[`${m[1]}/${m[2]}:${port}`] : undefined;
    if (!target) { socket.end('HTTP/1.1 404 Not Found\r\n\r\n'); return; }
    wss.handleUpgrade(req, socket, head, (ws: any) => {
      const portBytes = Buffer.from([port & 0xff, port >> 8]);
      ws.send(Buffer.concat([Buffer.from([0]), portBytes]));
      ws.send(Buffer.concat([Buffer.from([1]), portBytes]));
      const backend = connect(target, '127.0.0.1');
      backend.on('data', (d) => ws.send(Buffer.concat([Buffer.from([0]), d])));
      backend.on('end', () => ws.close());
      backend.on('error', () => ws.close());
      ws.on('message', (data: Buffer) => { if (data[0] === 0 && data.length > 1) backend.write(data.subarray(1)); });
      ws.on('close', () => backend.destroy());
    });
  });

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = mkdtempSync(join(tmpdir(), 'netmapper-kube-'));
  fake.kubeconfig = (extra = {}) => {
    const file = join(dir, 'config');
    const contexts = { fake: fake.url, ...extra };
    writeFileSync(file, [
      'apiVersion: v1', 'kind: Config',
      'clusters:', ...Object.entries(contexts).map(([n, s]) => `- name: ${n}\n  cluster:\n    server: ${s}\n    insecure-skip-tls-verify: true`),
      'users:', '- name: tester', '  user:', '    token: test-token',
      'contexts:', ...Object.keys(contexts).map((n) => `- name: ${n}\n  context:\n    cluster: ${n}\n    user: tester`),
      'current-context: fake', ''].join('\n'));
    return file;
  };
  fake.close = () => new Promise<void>((resolve) => {
    for (const c of wss.clients) c.terminate();
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return fake;
}
