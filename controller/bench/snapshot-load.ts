// Cluster snapshot load at scale: writes a `kubectl get pods,deploy,rs,svc,endpointslices,nodes -A -o json`
// style List (kubectl's key order and 4-space indent) of PODS pods in Deployments of 2 — each with its
// current and one old ReplicaSet, a Service and an EndpointSlice: about 3.5 objects per pod, 526k objects
// at 150k pods — then times loadSnapshotView on it and prints wall time, CPU, peak RSS and the load average.
//   node --import tsx controller/bench/snapshot-load.ts [pods=150000] [file]
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { loadSnapshotView } from '../src/cluster/snapshot.ts';

const PODS = Number(process.argv[2] ?? 150_000);
const FILE = process.argv[3] ?? join(tmpdir(), `nm-snapshot-${PODS}.json`);
const PER = 2;
const CREATED = '2026-01-01T00:00:00Z';
const podIp = (i: number) => `10.${(i >> 16) + 1}.${(i >> 8) & 255}.${i & 255}`;
const svcIp = (d: number) => `172.20.${(d >> 8) & 255}.${d & 255}`;

function* objects(): Generator<object> {
  const deployments = Math.ceil(PODS / PER), nodes = Math.max(1, Math.ceil(PODS / 100));
  for (let n = 0; n < nodes; n++) yield { apiVersion: 'v1', kind: 'Node', metadata: { name: `node-${n}`, labels: { 'kubernetes.io/hostname': `node-${n}` } }, status: { addresses: [{ type: 'InternalIP', address: `192.168.${(n + 1) >> 8}.${(n + 1) & 255}` }, { type: 'Hostname', address: `node-${n}` }] } };
  for (let d = 0; d < deployments; d++) {
    const ns = `ns-${d % 100}`, app = `app-${d}`, rs = `${app}-7d9f8b6c5`, old = `${app}-5c4b3a291`;
    const labels = { app, 'app.kubernetes.io/name': app, 'pod-template-hash': '7d9f8b6c5' };
    const owner = (kind: string, name: string, uid: string) => [{ apiVersion: 'apps/v1', kind, name, uid, controller: true, blockOwnerDeletion: true }];
    yield { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: app, namespace: ns, uid: `dep-${d}`, creationTimestamp: CREATED, labels: { app } }, spec: { replicas: PER, selector: { matchLabels: { app } } }, status: { replicas: PER, readyReplicas: PER } };
    yield { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: rs, namespace: ns, uid: `rs-${d}`, creationTimestamp: CREATED, labels, ownerReferences: owner('Deployment', app, `dep-${d}`) }, spec: { replicas: PER }, status: { replicas: PER } };
    yield { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: old, namespace: ns, uid: `rs-old-${d}`, creationTimestamp: CREATED, labels: { ...labels, 'pod-template-hash': '5c4b3a291' }, ownerReferences: owner('Deployment', app, `dep-${d}`) }, spec: { replicas: 0 }, status: { replicas: 0 } };
    yield { apiVersion: 'v1', kind: 'Service', metadata: { name: app, namespace: ns, uid: `svc-${d}`, creationTimestamp: CREATED }, spec: { type: 'ClusterIP', clusterIP: svcIp(d), clusterIPs: [svcIp(d)], selector: { app }, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }] } };
    const endpoints = [];
    for (let i = d * PER; i < Math.min(PODS, (d + 1) * PER); i++) {
      const name = `${rs}-${i.toString(36).padStart(5, 'x')}`;
      endpoints.push({ addresses: [podIp(i)], conditions: { ready: true }, nodeName: `node-${i % nodes}`, targetRef: { kind: 'Pod', name, namespace: ns, uid: `pod-${i}` } });
      yield {
        apiVersion: 'v1', kind: 'Pod',
        metadata: { name, namespace: ns, uid: `pod-${i}`, creationTimestamp: CREATED, labels, generateName: `${rs}-`, annotations: { 'prometheus.io/scrape': 'true' }, ownerReferences: owner('ReplicaSet', rs, `rs-${d}`) },
        spec: { nodeName: `node-${i % nodes}`, serviceAccountName: 'default', containers: [{ name: 'app', image: `registry.example.com/team/${app}:1.2.3`, ports: [{ containerPort: 8080, protocol: 'TCP' }], resources: { requests: { cpu: '100m', memory: '128Mi' } } }] },
        status: {
          phase: 'Running', hostIP: `192.168.0.${i % 250}`, podIP: podIp(i), podIPs: [{ ip: podIp(i) }], startTime: CREATED,
          conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastTransitionTime: CREATED })),
          containerStatuses: [{ name: 'app', ready: true, restartCount: 0, image: `registry.example.com/team/${app}:1.2.3`, imageID: `registry.example.com/team/${app}@sha256:${'ab'.repeat(32)}`, containerID: `containerd://${'cd'.repeat(32)}`, started: true, state: { running: { startedAt: CREATED } } }],
        },
      };
    }
    yield { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: `${app}-abcde`, namespace: ns, labels: { 'kubernetes.io/service-name': app } }, addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], endpoints };
  }
}

async function writeDump(): Promise<number> {
  const out = createWriteStream(FILE);
  const put = async (s: string) => { if (!out.write(s)) await once(out, 'drain'); };
  await put('{\n    "apiVersion": "v1",\n    "items": [\n');
  let n = 0;
  for (const o of objects()) {
    await put(`${n ? ',\n' : ''}        ${JSON.stringify(o, null, 4).replace(/\n/g, '\n        ')}`);
    n++;
  }
  await put('\n    ],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n');
  out.end();
  await once(out, 'finish');
  return n;
}

if (!existsSync(FILE)) {
  const t0 = performance.now();
  const n = await writeDump();
  process.stdout.write(`wrote ${n} objects, ${(statSync(FILE).size / 1048576).toFixed(0)} MiB to ${FILE} in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}
let peak = 0;
const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 100);
const before = process.memoryUsage.rss();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const view = await loadSnapshotView([FILE]);
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage.rss());
const kept = Object.values(view.stats.kept).reduce((a, b) => a + b, 0);
process.stdout.write(`loaded ${kept} objects (${JSON.stringify(view.stats.kept)}; ${view.stats.badItems} bad, ${view.stats.duplicates} duplicates) from ${(statSync(FILE).size / 1048576).toFixed(0)} MiB of JSON in ${(ms / 1000).toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU; RSS ${(before / 1048576).toFixed(0)} -> peak ${(peak / 1048576).toFixed(0)} MiB; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);
