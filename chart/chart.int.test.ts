// The chart, rendered by the real Helm binary: lint, defaults, every value switched, Kubernetes schemas.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { CHART_DIR, NAMESPACE, RELEASE, helm, lint, one, render, template, validateK8s, type K8sObject } from '../fixtures/test-support/helm.ts';
import { getPath, schemaLeaves } from './scripts/schema-walk.ts';
import { suiteNeeds } from '../fixtures/test-support/needs.ts';
suiteNeeds('chart', ['helm']);

const defaults = render();
const switched = render({ values: ['test-values/all-switched.yaml'] });
/** Every test-values file; together they switch every documented value (last test). */
const VALUE_FILES = ['all-switched.yaml', 'existing-claim.yaml', 'digest.yaml', 'name-override.yaml', 'otterize.yaml'];

function podSpec(o: K8sObject): any {
  return o.spec.template.spec;
}
function container(o: K8sObject): any {
  const cs = podSpec(o).containers;
  assert.is(cs.length, 1, `${o.kind} has one container`);
  return cs[0];
}
function kinds(objects: K8sObject[]): string[] {
  return objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
}

test('helm lint --strict passes with the defaults and with every value switched', () => {
  for (const values of [[], ...VALUE_FILES.map((f) => [`test-values/${f}`])]) {
    const r = lint({ values });
    assert.is(r.status, 0, `lint ${values.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout, '0 chart(s) failed');
  }
});

test('helm lint --strict fails on a value the schema refuses (the linter is not a no-op)', () => {
  const r = lint({ set: ['sniffer.healthPort=80'] });
  assert.is.not(r.status, 0);
  assert.match(r.stdout + r.stderr, 'healthPort');
});

test('defaults render the controller, its RBAC, Service and NetworkPolicy, the user roles, the sniffer and the helm test', () => {
  assert.equal(kinds(defaults), [
    'ClusterRole/network-mapper-admin',
    'ClusterRole/network-mapper-controller',
    'ClusterRole/network-mapper-viewer',
    'ClusterRoleBinding/network-mapper-controller',
    'DaemonSet/network-mapper-sniffer',
    'Deployment/network-mapper-controller',
    'NetworkPolicy/network-mapper-controller',
    'Pod/network-mapper-test',
    'Service/network-mapper-controller',
    'ServiceAccount/network-mapper-controller',
    'ServiceAccount/network-mapper-sniffer',
  ]);
  for (const o of defaults) {
    if (o.kind !== 'ClusterRole' && o.kind !== 'ClusterRoleBinding') assert.is(o.metadata.namespace, NAMESPACE, `${o.kind} namespace`);
    assert.is(o.metadata.labels?.['app.kubernetes.io/name'], 'network-mapper');
    assert.is(o.metadata.labels?.['app.kubernetes.io/managed-by'], 'Helm');
  }
});

test('every rendered object is valid against the Kubernetes schema of its kind', async () => {
  const cases = [defaults, ...VALUE_FILES.map((f) => render({ values: [`test-values/${f}`] }))];
  let checked = 0;
  for (const objects of cases) {
    for (const o of objects) {
      await validateK8s(o);
      checked++;
    }
  }
  assert.ok(checked >= 70, `validated ${checked} objects`);
  assert.ok(switched.some((o) => o.kind === 'ServiceMonitor') && switched.some((o) => o.kind === 'Ingress'), 'monitors and Ingress among them');
});

test('the schema validator rejects a broken object (so the check above can fail)', async () => {
  const broken = structuredClone(one(defaults, 'Deployment'));
  broken.spec.template.spec.containers[0].ports[0].containerPort = 'eighty';
  try {
    await validateK8s(broken);
    assert.unreachable('a string containerPort passed validation');
  } catch (err) {
    assert.match((err as Error).message, 'containerPort must be integer');
  }
});

test('controller: one non-root replica, all capabilities dropped, read-only root, RuntimeDefault seccomp', () => {
  const d = one(defaults, 'Deployment');
  assert.is(d.spec.replicas, 1);
  assert.is(d.spec.strategy.type, 'Recreate');
  const pod = podSpec(d);
  assert.is(pod.securityContext.runAsNonRoot, true);
  assert.is(pod.securityContext.runAsUser, 65532);
  assert.is(pod.securityContext.fsGroup, 65532);
  assert.is(pod.securityContext.seccompProfile.type, 'RuntimeDefault');
  assert.is(pod.hostNetwork, undefined);
  const c = container(d);
  assert.equal(c.securityContext, {
    privileged: false,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
  });
  assert.equal(c.ports.map((p: any) => [p.name, p.containerPort]), [['http', 8080], ['metrics', 9090]]);
  assert.equal(c.livenessProbe.httpGet, { path: '/healthz', port: 'http' });
  assert.equal(c.readinessProbe.httpGet, { path: '/readyz', port: 'http' });
  assert.equal(c.startupProbe.httpGet, { path: '/healthz', port: 'http' });
  assert.equal(c.resources.requests, { cpu: '100m', memory: '512Mi' });
  assert.ok(c.resources.limits.cpu && c.resources.limits.memory, 'controller limits set');
});

test('controller: flags carry the agreed names and the chart defaults', () => {
  const args: string[] = container(one(defaults, 'Deployment')).args;
  assert.is(args[0], 'dist/controller.js');
  assert.equal(args.slice(1), [
    '--port=8080',
    '--metrics-port=9090',
    '--cluster-domain=cluster.local',
    '--exclude-namespaces=istio-system,linkerd',
    '--workload-name-annotation=intents.otterize.com/workload-name',
    '--store-file=/var/lib/netmapper/store.json',
    '--store-save-interval=30s',
    '--intent-expiry=0',
    '--auth=tokenreview',
    '--token-audience=netmapper',
    '--min-server-age=5m',
    '--log-level=info',
  ]);
});

test('controller: the store is an emptyDir by default, mounted where --store-file points', () => {
  const d = one(defaults, 'Deployment');
  const store = podSpec(d).volumes.find((v: any) => v.name === 'store');
  assert.ok(store.emptyDir, 'emptyDir store');
  assert.is(store.persistentVolumeClaim, undefined);
  const mount = container(d).volumeMounts.find((m: any) => m.name === 'store');
  assert.is(mount.mountPath, '/var/lib/netmapper');
  assert.ok(container(d).args.includes(`--store-file=${mount.mountPath}/store.json`));
  assert.is(defaults.filter((o) => o.kind === 'PersistentVolumeClaim').length, 0);
});

test('controller: persistence.enabled renders a PVC and mounts it; existingClaim mounts that claim only', () => {
  const pvc = one(switched, 'PersistentVolumeClaim');
  assert.equal(pvc.spec.accessModes, ['ReadWriteOncePod']);
  assert.is(pvc.spec.storageClassName, 'fast-ssd');
  assert.is(pvc.spec.resources.requests.storage, '5Gi');
  const store = podSpec(one(switched, 'Deployment', '-controller')).volumes.find((v: any) => v.name === 'store');
  assert.equal(store.persistentVolumeClaim, { claimName: pvc.metadata.name });

  const existing = render({ values: ['test-values/existing-claim.yaml'] });
  assert.is(existing.filter((o) => o.kind === 'PersistentVolumeClaim').length, 0);
  const store2 = podSpec(one(existing, 'Deployment')).volumes.find((v: any) => v.name === 'store');
  assert.equal(store2.persistentVolumeClaim, { claimName: 'netmapper-store-old' });
});

test('controller Service: labels the CLI looks for, ports http and metrics', () => {
  const s = one(defaults, 'Service');
  assert.is(s.metadata.labels!['app.kubernetes.io/name'], 'network-mapper');
  assert.is(s.metadata.labels!['app.kubernetes.io/component'], 'controller');
  assert.equal(s.spec.ports.map((p: any) => [p.name, p.port, p.targetPort]), [['http', 8080, 'http'], ['metrics', 9090, 'metrics']]);
  const d = one(defaults, 'Deployment');
  for (const [k, v] of Object.entries(s.spec.selector)) assert.is(d.spec.template.metadata.labels[k], v, `selector ${k}`);
  assert.is(s.spec.selector['app.kubernetes.io/component'], 'controller');
});

test('sniffer: hostNetwork with ClusterFirstWithHostNet, no hostPID, root with NET_RAW only', () => {
  const ds = one(defaults, 'DaemonSet');
  const pod = podSpec(ds);
  assert.is(pod.hostNetwork, true);
  assert.is(pod.dnsPolicy, 'ClusterFirstWithHostNet');
  assert.is(pod.hostPID, false);
  assert.is(pod.hostIPC, false);
  assert.is(pod.automountServiceAccountToken, false);
  assert.is(pod.securityContext.seccompProfile.type, 'RuntimeDefault');
  const c = container(ds);
  assert.equal(c.securityContext, {
    privileged: false,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'], add: ['NET_RAW'] },
  });
  assert.equal(c.resources.requests, { cpu: '50m', memory: '160Mi' });
  assert.ok(c.resources.limits.cpu && c.resources.limits.memory, 'sniffer limits set');
});

test("sniffer: the host's /proc read-only at /hostproc, and nothing else from the host", () => {
  const ds = one(defaults, 'DaemonSet');
  const hostPaths = podSpec(ds).volumes.filter((v: any) => v.hostPath);
  assert.equal(hostPaths.map((v: any) => [v.name, v.hostPath.path]), [['hostproc', '/proc']]);
  const mount = container(ds).volumeMounts.find((m: any) => m.name === 'hostproc');
  assert.equal(mount, { name: 'hostproc', mountPath: '/hostproc', readOnly: true });
  assert.ok(container(ds).args.includes('--host-proc=/hostproc'));
});

test('sniffer: a projected token for the controller audience, short-lived, read-only, passed as --token-file', () => {
  const ds = one(defaults, 'DaemonSet');
  const vol = podSpec(ds).volumes.find((v: any) => v.projected);
  assert.equal(vol.projected.sources, [{ serviceAccountToken: { audience: 'netmapper', expirationSeconds: 600, path: 'token' } }]);
  const mount = container(ds).volumeMounts.find((m: any) => m.name === vol.name);
  assert.is(mount.readOnly, true);
  assert.is(mount.mountPath, '/var/run/secrets/netmapper');
  assert.ok(container(ds).args.includes('--token-file=/var/run/secrets/netmapper/token'));
  // The audience the sniffer's token carries is the one the controller checks.
  assert.ok(container(one(defaults, 'Deployment')).args.includes('--token-audience=netmapper'));
});

test('controller: V8 heap bound at about 3/4 of the memory limit by default (NODE_OPTIONS), none when maxHeapMi is empty', () => {
  const env = (objects: K8sObject[]) => container(one(objects, 'Deployment', '-controller')).env.find((e: any) => e.name === 'NODE_OPTIONS')?.value;
  assert.is(env(defaults), '--max-old-space-size=1152');
  assert.is(env(render({ set: ['controller.maxHeapMi='] })), undefined);
});

test('sniffer: node name from the downward API, controller URL from the Service, flags as agreed', () => {
  const ds = one(defaults, 'DaemonSet');
  const c = container(ds);
  const nodeEnv = c.env.find((e: any) => e.name === 'NODE_NAME');
  assert.equal(nodeEnv.valueFrom, { fieldRef: { fieldPath: 'spec.nodeName' } });
  const svc = one(defaults, 'Service');
  assert.equal(c.args, [
    'dist/sniffer.js',
    `--controller-url=http://${svc.metadata.name}.${NAMESPACE}.svc.cluster.local:8080`,
    '--devices=any',
    '--report-interval=1s',
    '--host-proc=/hostproc',
    '--node-name=$(NODE_NAME)',
    '--token-file=/var/run/secrets/netmapper/token',
    '--health-port=57921',
    '--log-level=info',
  ]);
});

test('sniffer: a 1 MiB V8 semi-space by default (NODE_OPTIONS), none when maxSemiSpaceMi is empty', () => {
  const env = (objects: K8sObject[]) => container(one(objects, 'DaemonSet')).env.find((e: any) => e.name === 'NODE_OPTIONS')?.value;
  assert.is(env(defaults), '--max-semi-space-size=1');
  assert.is(env(render({ set: ['sniffer.maxSemiSpaceMi=4'] })), '--max-semi-space-size=4');
  assert.is(env(render({ set: ['sniffer.maxSemiSpaceMi='] })), undefined);
});

test('sniffer: captureMode block (default) puts the decoy libpcap.so first on the loader path; immediate does not', () => {
  const loaderPath = (objects: K8sObject[]) => container(one(objects, 'DaemonSet')).env.filter((e: any) => e.name === 'LD_LIBRARY_PATH');
  assert.equal(loaderPath(defaults), [{ name: 'LD_LIBRARY_PATH', value: '/opt/netmapper/libpcap-block' }]);
  assert.equal(loaderPath(render({ set: ['sniffer.captureMode=immediate'] })), []);
  assert.equal(loaderPath(switched), [], 'the switched values choose immediate');
});

test('sniffer: liveness and readiness on the health port, which is configurable', () => {
  for (const [objects, port] of [[defaults, 57921], [switched, 47921]] as const) {
    const c = container(one(objects, 'DaemonSet'));
    assert.equal(c.ports, [{ name: 'health', containerPort: port, protocol: 'TCP' }]);
    assert.equal(c.livenessProbe.httpGet, { path: '/healthz', port: 'health' });
    assert.equal(c.readinessProbe.httpGet, { path: '/healthz', port: 'health' });
    assert.ok(c.args.includes(`--health-port=${port}`));
  }
});

test('sniffer: tolerates every taint by default; tolerations, nodeSelector, affinity, priorityClassName overridable', () => {
  const pod = podSpec(one(defaults, 'DaemonSet'));
  assert.equal(pod.tolerations, [{ operator: 'Exists' }]);
  assert.equal(pod.nodeSelector, { 'kubernetes.io/os': 'linux' });
  assert.is(pod.priorityClassName, undefined);
  assert.is(pod.affinity, undefined);
  const sw = podSpec(one(switched, 'DaemonSet'));
  const wanted = parse(readFileSync(join(CHART_DIR, 'test-values/all-switched.yaml'), 'utf8')).sniffer;
  assert.equal(sw.tolerations, wanted.tolerations);
  assert.equal(sw.nodeSelector, wanted.nodeSelector);
  assert.equal(sw.affinity, wanted.affinity);
  assert.is(sw.priorityClassName, 'system-node-critical');
});

test('every switched value reaches the rendered objects', () => {
  const v = parse(readFileSync(join(CHART_DIR, 'test-values/all-switched.yaml'), 'utf8'));
  const d = one(switched, 'Deployment', '-controller');
  const ds = one(switched, 'DaemonSet');
  const svc = one(switched, 'Service', 'nm-controller');
  const role = one(switched, 'ClusterRole', '-controller');
  const cc = container(d);
  const sc = container(ds);
  // Names, image, labels, annotations.
  assert.is(d.metadata.name, 'nm-controller');
  assert.is(ds.metadata.name, 'nm-sniffer');
  for (const c of [cc, sc]) {
    assert.is(c.image, 'registry.example.test:5000/team/netmapper:9.9.9-rc.1');
    assert.is(c.imagePullPolicy, 'Always');
  }
  for (const o of switched) {
    assert.is(o.metadata.labels?.team, 'platform', `${o.kind} commonLabels`);
    assert.is(o.metadata.annotations?.owner, 'platform-team', `${o.kind} commonAnnotations`);
  }
  for (const w of [d, ds]) {
    assert.is(w.spec.template.metadata.labels['sidecar.istio.io/inject'], 'false');
    assert.is(w.spec.template.metadata.annotations['prometheus.io/scrape'], 'true');
    assert.equal(podSpec(w).imagePullSecrets, [{ name: 'regcred' }]);
  }
  assert.equal(one(switched, 'ServiceAccount', 'controller-sa').imagePullSecrets, [{ name: 'regcred' }]);
  // Controller.
  assert.equal(cc.args.slice(1), [
    '--port=18080', '--metrics-port=19090', '--cluster-domain=corp.internal', '--exclude-namespaces=kube-system,monitoring',
    '--workload-name-annotation=example.com/workload', '--workload-label=app.kubernetes.io/name',
    '--store-file=/var/lib/netmapper/store.json', '--store-save-interval=10s', '--intent-expiry=7d', '--auth=none',
    '--token-audience=netmapper-test', '--body-limit=16Mi', '--min-server-age=2m', '--max-intents=500000', '--max-concurrent-reports=8', '--log-level=warn',
    '--metrics-edges=500', '--bind-address=0.0.0.0',
  ]);
  assert.equal(cc.env.slice(-v.controller.extraEnv.length), v.controller.extraEnv);
  const env = Object.fromEntries(cc.env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]));
  assert.is(env.NETMAPPER_READ_AUTH, 'loopback-only');
  // The chart's heap bound first, the user's extraEnv after it: the kubelet takes the last of a name, so extraEnv wins.
  assert.equal(cc.env.filter((e: any) => e.name === 'NODE_OPTIONS').map((e: any) => e.value), ['--max-old-space-size=2048', '--max-old-space-size=768']);
  assert.is(env.NETMAPPER_TRUST_LOOPBACK, 'false');
  assert.is(env.NETMAPPER_RELEASE_FULLNAME, 'nm');
  assert.is(env.NETMAPPER_REPORTER_IDENTITIES, 'sniffer=netmapper-system/sniffer-sa,kafka-watcher=netmapper-system/kafka-watcher-sa,istio-watcher=netmapper-system/istio-watcher-sa');
  assert.equal(cc.resources, v.controller.resources);
  assert.equal(cc.ports.map((p: any) => p.containerPort), [18080, 19090]);
  const cpod = podSpec(d);
  assert.is(cpod.priorityClassName, 'system-cluster-critical');
  assert.equal(cpod.nodeSelector, v.controller.nodeSelector);
  assert.equal(cpod.tolerations, v.controller.tolerations);
  assert.equal(cpod.affinity, v.controller.affinity);
  assert.is(svc.spec.type, 'NodePort');
  assert.is(svc.metadata.annotations!['service.example.com/internal'], 'true');
  assert.equal(svc.spec.ports.map((p: any) => p.port), [18080, 19090]);
  assert.ok(role.rules.some((r: any) => r.apiGroups[0] === 'argoproj.io' && r.resources[0] === 'rollouts'), 'extraRules appended');
  assert.ok(role.rules.some((r: any) => r.apiGroups[0] === '*' && r.resources[0] === '*'), 'readAllResources rule');
  assert.ok(role.rules.some((r: any) => r.resources.includes('tokenreviews')), 'readers are still checked with TokenReview under auth=none');
  // Sniffer.
  assert.equal(sc.args.slice(1), [
    '--controller-url=http://nm-controller.netmapper-system.svc.corp.internal:18080', '--devices=eth0,cni0', '--report-interval=2500ms',
    '--host-proc=/hostproc', '--node-name=$(NODE_NAME)', '--token-file=/var/run/secrets/netmapper/token', '--health-port=47921',
    '--health-address=$(HOST_IP)', '--backlog-max=50000', '--capture-buffer=64Mi', '--enable-dns=false', '--enable-tcp=false',
    '--enable-socket-scan=false', '--log-level=error', '--log-level=error',
  ]);
  assert.equal(sc.env[2], { name: 'NODE_OPTIONS', value: '--max-semi-space-size=2' });
  assert.equal(sc.env.slice(3), v.sniffer.extraEnv);
  assert.equal(sc.resources, v.sniffer.resources);
  const token = podSpec(ds).volumes.find((x: any) => x.projected).projected.sources[0].serviceAccountToken;
  assert.equal(token, { audience: 'netmapper-test', expirationSeconds: 3600, path: 'token' });
  assert.equal(ds.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } });
});

test('image.digest pulls by digest', () => {
  const objects = render({ values: ['test-values/digest.yaml'] });
  for (const kind of ['Deployment', 'DaemonSet']) {
    assert.is(container(one(objects, kind)).image, 'ghcr.io/network-mapper/network-mapper@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef');
  }
});

test('sniffer.enabled=false renders no DaemonSet and no sniffer ServiceAccount', () => {
  const objects = render({ set: ['sniffer.enabled=false'] });
  assert.is(objects.filter((o) => o.kind === 'DaemonSet').length, 0);
  assert.is(objects.filter((o) => o.metadata.name.endsWith('-sniffer')).length, 0);
  assert.ok(one(objects, 'Deployment'));
});

test('the API and metrics ports must differ (the controller refuses the same port twice)', () => {
  const r = template({ set: ['controller.metricsPort=8080'] });
  assert.is.not(r.status, 0);
  assert.match(r.stderr, 'controller.port and controller.metricsPort are both 8080: the API and metrics listeners need different ports');
});

test('the test cases together switch every value the schema documents', () => {
  const defaultsValues = parse(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8'));
  const cases: Record<string, unknown>[] = VALUE_FILES.map((f) => parse(readFileSync(join(CHART_DIR, 'test-values', f), 'utf8')));
  // Switched by --set in the tests above and in features.int.test.ts.
  cases.push({ sniffer: { enabled: false } }, { networkPolicy: { enabled: false } });
  // `global` is Helm's channel from parent charts; this chart reads nothing from it.
  const leaves = schemaLeaves().filter((p) => p !== 'global');
  assert.ok(leaves.length > 50, `found ${leaves.length} leaves`);
  const unswitched = leaves.filter((path) => {
    const def = JSON.stringify(getPath(defaultsValues, path));
    return !cases.some((c) => {
      const val = getPath(c, path);
      return val !== undefined && JSON.stringify(val) !== def;
    });
  });
  assert.equal(unswitched, [], 'values never switched by any test case');
});

test('kubeVersion: renders for Kubernetes 1.25 and refuses 1.24 with a clear message', () => {
  const ok = helm(['template', RELEASE, CHART_DIR, '-n', NAMESPACE, '--kube-version', '1.25.0']);
  assert.is(ok.status, 0, ok.stderr);
  const old = helm(['template', RELEASE, CHART_DIR, '-n', NAMESPACE, '--kube-version', '1.24.17']);
  assert.is.not(old.status, 0);
  assert.match(old.stderr, 'chart requires kubeVersion: >=1.25.0-0 which is incompatible with Kubernetes v1.24.17');
});

test('helm package leaves the tests, test values and scripts out of the chart archive', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netmapper-pkg-'));
  try {
    const r = helm(['package', CHART_DIR, '-d', dir]);
    assert.is(r.status, 0, r.stderr);
    const list = spawnSync('tar', ['-tzf', join(dir, 'network-mapper-0.1.0.tgz')], { encoding: 'utf8', timeout: 30_000 });
    assert.is(list.status, 0, list.stderr);
    const files = list.stdout.trim().split('\n').sort();
    assert.ok(files.includes('network-mapper/values.schema.json'));
    assert.ok(files.includes('network-mapper/templates/sniffer-daemonset.yaml'));
    assert.ok(files.includes('network-mapper/README.md'));
    assert.equal(files.filter((f) => /\.ts$|test-values|test-support|scripts\//.test(f)), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
