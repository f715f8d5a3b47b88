// Scale run (not a test): N synthetic pods served by the list/watch test server, synced by the informer view.
// Prints sync time and the view's heap per pod. Run: node --expose-gc --import tsx controller/test-support/informer-scale.ts 150000

import { createInformerView } from '../src/cluster/informer.ts';
import { createFakeApiServer } from './fake-apiserver.ts';
import { syntheticCluster, syntheticPodIps } from './synthetic-cluster.ts';

const pods = Number(process.argv[2] ?? 10_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const heap = async () => { for (let i = 0; i < 4; i++) { gc(); await new Promise((r) => setTimeout(r, 20)); } return process.memoryUsage().heapUsed; };

const server = createFakeApiServer({ bookmarkIntervalMs: 10_000 });
await server.start();
let objects: Record<string, unknown>[] | undefined = syntheticCluster({ pods });
const t0 = performance.now();
server.load(objects);
const loadMs = performance.now() - t0;
objects = undefined;
const before = await heap();
const view = createInformerView(server.kubeConfig());
const t1 = performance.now();
await view.start();
const syncMs = performance.now() - t1;
const after = await heap();
const probe = syntheticPodIps(Math.floor(pods / 2))[1];
const t2 = performance.now();
let found = 0;
for (let i = 0; i < 100_000; i++) found += view.podsByIp(syntheticPodIps(i % pods)[0]).length;
const lookupNs = ((performance.now() - t2) * 1e6) / 100_000;
console.log(JSON.stringify({
  pods, serverLoadMs: Math.round(loadMs), syncMs: Math.round(syncMs), viewHeapBytesPerPod: Math.round((after - before) / pods),
  podsByIpNs: Math.round(lookupNs), found, ipv6Probe: view.podsByIp(probe)[0]?.name, metrics: { ...view.metrics(), nextBackoffMs: undefined },
}));
await view.stop();
await server.close();
