// The chart's optional parts and usual knobs, each rendered by the real Helm: names, service accounts, security
// contexts, spreading, extras, NetworkPolicy, monitors, Ingress, helm test, watchers, the Otterize stand-in.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { CHART_DIR, NAMESPACE, one, render, template, type K8sObject } from '../fixtures/test-support/helm.ts';
import { suiteNeeds } from '../fixtures/test-support/needs.ts';
suiteNeeds('chart features', ['helm']);

const defaults = render();
const switched = render({ values: ['test-values/all-switched.yaml'] });
const sw = parse(readFileSync(join(CHART_DIR, 'test-values/all-switched.yaml'), 'utf8'));
const pod = (o: K8sObject): any => o.spec.template.spec;
const ctr = (o: K8sObject): any => pod(o).containers[0];
const WORKLOADS: [kind: string, suffix: string, key: string][] = [
  ['Deployment', '-controller', 'controller'], ['DaemonSet', '-sniffer', 'sniffer'],
  ['Deployment', '-kafka-watcher', 'kafkaWatcher'], ['Deployment', '-istio-watcher', 'istioWatcher'],
];

test('image: registry/repository:tag, the default a real reference at the chart appVersion', () => {
  assert.is(ctr(one(defaults, 'Deployment')).image, 'ghcr.io/network-mapper/network-mapper:0.1.0');
  assert.is(ctr(one(render({ set: ['image.registry='] }), 'Deployment')).image, 'network-mapper/network-mapper:0.1.0');
  for (const [kind, suffix] of WORKLOADS) assert.is(ctr(one(switched, kind, suffix)).image, 'registry.example.test:5000/team/netmapper:9.9.9-rc.1');
});

test('nameOverride replaces the chart name in object names; fullnameOverride the whole prefix', () => {
  const o = render({ values: ['test-values/name-override.yaml'] });
  assert.ok(one(o, 'Deployment', 'network-mapper-netmap-controller'));
  assert.ok(one(switched, 'Deployment', 'nm-controller'));
  // The CLI's label stays fixed whatever the names.
  assert.is(one(o, 'Service').metadata.labels!['app.kubernetes.io/name'], 'network-mapper');
});

test('serviceAccount: created with name and annotations per component, or an existing one used', () => {
  for (const [kind, suffix, key] of WORKLOADS) {
    const name = `${key === 'kafkaWatcher' ? 'kafka-watcher' : key === 'istioWatcher' ? 'istio-watcher' : key}-sa`;
    assert.is(pod(one(switched, kind, suffix)).serviceAccountName, name);
    const sa = one(switched, 'ServiceAccount', name);
    assert.is(sa.metadata.annotations!['iam.example.com/role'], sw[key].serviceAccount.annotations['iam.example.com/role']);
  }
  const o = render({ values: ['test-values/name-override.yaml'] });
  assert.is(pod(one(o, 'Deployment', '-controller')).serviceAccountName, 'platform-controller');
  assert.is(pod(one(o, 'DaemonSet')).serviceAccountName, 'default');
  assert.equal(o.filter((x) => x.kind === 'ServiceAccount').map((x) => x.metadata.name), [], 'no ServiceAccount created (the Kafka watcher in file mode runs no Deployment)');
  // File mode: the sidecars' accounts are the trusted Kafka watchers.
  assert.is(ctr(one(o, 'Deployment', '-controller')).env.find((e: any) => e.name === 'NETMAPPER_REPORTER_IDENTITIES').value, 'sniffer=netmapper-system/default,kafka-watcher=kafka/kafka-broker');
  // The controller's binding names the account it runs as.
  assert.is(one(o, 'ClusterRoleBinding').subjects[0].name, 'platform-controller');
});

test('pod and container securityContext: keys override the defaults, the rest stays', () => {
  for (const [kind, suffix, key] of WORKLOADS) {
    const o = one(switched, kind, suffix);
    assert.is(pod(o).securityContext.runAsUser, 4242, `${key} pod runAsUser`);
    assert.is(pod(o).securityContext.seccompProfile.type, 'RuntimeDefault', `${key} keeps seccomp`);
    assert.is(ctr(o).securityContext.readOnlyRootFilesystem, false, `${key} container override`);
    assert.equal(ctr(o).securityContext.capabilities.drop, ['ALL'], `${key} keeps drop ALL`);
  }
  const d = ctr(one(defaults, 'DaemonSet')).securityContext.capabilities;
  assert.equal(d, { drop: ['ALL'], add: ['NET_RAW'] });
});

test('topologySpreadConstraints: passed through, labelSelector defaulting to the component', () => {
  for (const [kind, suffix] of WORKLOADS) {
    const o = one(switched, kind, suffix);
    const [c] = pod(o).topologySpreadConstraints;
    assert.is(c.topologyKey, 'topology.kubernetes.io/zone');
    assert.equal(c.labelSelector.matchLabels, o.spec.selector.matchLabels);
  }
  assert.is(pod(one(defaults, 'Deployment')).topologySpreadConstraints, undefined);
});

test('extraArgs, extraEnv, extraVolumes, extraVolumeMounts and per-component pod labels/annotations reach every workload', () => {
  for (const [kind, suffix, key] of WORKLOADS) {
    const o = one(switched, kind, suffix);
    const c = ctr(o);
    assert.equal(c.args.slice(-1), sw[key].extraArgs, `${key} extraArgs last`);
    for (const e of sw[key].extraEnv) assert.ok(c.env.some((x: any) => x.name === e.name && x.value === e.value), `${key} env ${e.name}`);
    assert.ok(pod(o).volumes.some((v: any) => v.name === sw[key].extraVolumes[0].name), `${key} volume`);
    assert.ok(c.volumeMounts.some((m: any) => m.mountPath === '/extra'), `${key} mount`);
    const meta = o.spec.template.metadata;
    assert.is(meta.labels['component-label'], sw[key].podLabels['component-label']);
    assert.is(meta.labels['sidecar.istio.io/inject'], 'false', `${key} chart-wide podLabels`);
    assert.is(meta.annotations['component-annotation'], sw[key].podAnnotations['component-annotation']);
    assert.equal(pod(o).imagePullSecrets, [{ name: 'regcred' }]);
  }
});

test('sniffer.metricsBindAddress becomes --health-address, with HOST_IP from the downward API', () => {
  const c = ctr(one(switched, 'DaemonSet'));
  assert.ok(c.args.includes('--health-address=$(HOST_IP)'));
  assert.equal(c.env.find((e: any) => e.name === 'HOST_IP').valueFrom, { fieldRef: { fieldPath: 'status.hostIP' } });
  assert.not.ok(ctr(one(defaults, 'DaemonSet')).args.some((a: string) => a.startsWith('--health-address')));
});

test('NetworkPolicy (default on): API port from the reporters and the test pod only, metrics from Prometheus', () => {
  const np = one(defaults, 'NetworkPolicy');
  assert.equal(np.spec.podSelector.matchLabels, one(defaults, 'Deployment').spec.selector.matchLabels);
  assert.equal(np.spec.policyTypes, ['Ingress']);
  const [api, metrics] = np.spec.ingress;
  assert.equal(api.ports, [{ port: 8080, protocol: 'TCP' }]);
  assert.equal(api.from.map((p: any) => p.podSelector.matchLabels['app.kubernetes.io/component']), ['sniffer', 'kafka-watcher', 'istio-watcher', 'test']);
  assert.equal(metrics.ports, [{ port: 9090, protocol: 'TCP' }]);
  assert.equal(metrics.from[1], { namespaceSelector: {}, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } });
  // The pods the rule names carry those labels.
  assert.is(one(defaults, 'DaemonSet').spec.template.metadata.labels['app.kubernetes.io/component'], 'sniffer');
  assert.is(one(defaults, 'Pod').metadata.labels!['app.kubernetes.io/component'], 'test');
  assert.is(render({ set: ['networkPolicy.enabled=false'] }).filter((o) => o.kind === 'NetworkPolicy').length, 0);
});

test('NetworkPolicy switched: node CIDRs (kubelet probes, hostNetwork sniffers) on both ports, metricsFrom and apiFrom as given', () => {
  const np = one(switched, 'NetworkPolicy', 'nm-controller');
  const [api, metrics] = np.spec.ingress;
  assert.equal(api.ports, [{ port: 18080, protocol: 'TCP' }]);
  assert.ok(api.from.some((p: any) => p.ipBlock?.cidr === '10.0.0.0/16'));
  assert.ok(metrics.from.some((p: any) => p.ipBlock?.cidr === '10.0.0.0/16'));
  assert.equal(api.from.at(-1), sw.networkPolicy.apiFrom[0]);
  assert.equal(metrics.from.at(-1), sw.networkPolicy.metricsFrom[0]);
});

test('Istio watcher NetworkPolicy: egress to sidecars\' metrics port, the controller, DNS and the API server; ingress policy in sidecar namespaces', () => {
  const np = one(switched, 'NetworkPolicy', 'nm-istio-watcher');
  assert.equal(np.spec.policyTypes, ['Ingress', 'Egress']);
  const sidecars = np.spec.egress.find((e: any) => e.to?.[0]?.podSelector?.matchExpressions);
  assert.equal(sidecars.ports, [{ port: 15090, protocol: 'TCP' }]);
  assert.equal(sidecars.to[0].podSelector.matchExpressions, [{ key: 'security.istio.io/tlsMode', operator: 'Exists' }]);
  assert.ok(np.spec.egress.some((e: any) => e.ports.some((p: any) => p.port === 18080) && e.to[0].podSelector.matchLabels['app.kubernetes.io/component'] === 'controller'));
  assert.ok(np.spec.egress.some((e: any) => e.ports.some((p: any) => p.port === 53)));
  assert.ok(np.spec.egress.some((e: any) => e.ports.some((p: any) => p.port === 443) && !e.to));
  assert.ok(np.spec.egress.some((e: any) => e.ports.length === 1 && e.ports[0].port === 9090 && !e.to), 'the mesh Prometheus of prometheusUrl');
  const scrape = one(switched, 'NetworkPolicy', 'nm-istio-watcher-scrape');
  assert.is(scrape.metadata.namespace, 'shop');
  assert.equal(scrape.spec.ingress[0].from[0].podSelector.matchLabels['app.kubernetes.io/component'], 'istio-watcher');
  assert.equal(scrape.spec.ingress[0].from[0].namespaceSelector.matchLabels, { 'kubernetes.io/metadata.name': NAMESPACE });
});

test('Kafka watcher: its flags, one replica, the report token, and a clear refusal without brokers', () => {
  const d = one(switched, 'Deployment', '-kafka-watcher');
  assert.is(d.spec.replicas, 1);
  assert.equal(ctr(d).args, [
    'dist/kafka-watcher.js', '--controller-url=http://nm-controller.netmapper-system.svc.corp.internal:18080',
    '--token-file=/var/run/secrets/netmapper/token', '--health-port=19091', '--mode=kubernetes', '--report-interval=30s', '--lookback=1m',
    '--brokers=kafka-0.kafka,kafka-1.kafka', '--broker-selectors=streaming:app.kubernetes.io/name=kafka', '--container=kafka', '--log-level=warn', '--log-level=warn',
  ]);
  assert.equal(pod(d).volumes.find((v: any) => v.projected).projected.sources[0].serviceAccountToken.audience, 'netmapper-test');
  const r = template({ set: ['kafkaWatcher.enabled=true'] });
  assert.is.not(r.status, 0);
  assert.match(r.stderr, 'kafkaWatcher.enabled=true needs brokers');
});

test('Istio watcher: its flags', () => {
  assert.equal(ctr(one(switched, 'Deployment', '-istio-watcher')).args, [
    'dist/istio-watcher.js', '--controller-url=http://nm-controller.netmapper-system.svc.corp.internal:18080',
    '--token-file=/var/run/secrets/netmapper/token', '--health-port=19092', '--interval=30s', '--metrics-port=15090', '--max-paths-per-pair=20',
    '--namespace=shop', '--prometheus-url=http://prometheus.istio-system.svc:9090', '--fold-ids=true', '--path-templates=/users/{id},/orders/{id}/items',
    '--path-rules=^/v[0-9]+/=>/v{n}/', '--report-history=true', '--concurrency=4', '--scrape-timeout=2s', '--log-level=warn', '--log-level=warn',
  ]);
  // Not meshed by default; a component podLabels value replaces that default (maps merge key by key).
  assert.is(one(render({ set: ['istioWatcher.enabled=true'] }), 'Deployment', '-istio-watcher').spec.template.metadata.labels['sidecar.istio.io/inject'], 'false');
  // With prometheusUrl it asks Prometheus and reads no pods: no RBAC.
  assert.is(switched.filter((o) => /Role/.test(o.kind) && o.metadata.name.endsWith('-istio-watcher')).length, 0);
});

test('the controller trusts exactly the enabled reporters\' service accounts (NETMAPPER_REPORTER_IDENTITIES)', () => {
  const env = (objects: K8sObject[]) => ctr(one(objects, 'Deployment', '-controller')).env.find((e: any) => e.name === 'NETMAPPER_REPORTER_IDENTITIES').value;
  assert.is(env(defaults), 'sniffer=netmapper-system/network-mapper-sniffer');
  assert.is(env(render({ set: ['sniffer.enabled=false'] })), '');
});

test('ServiceMonitor selects the controller Service\'s metrics port; PodMonitor the reporters\' health port', () => {
  const sm = one(switched, 'ServiceMonitor');
  const svc = one(switched, 'Service', 'nm-controller');
  assert.equal(sm.spec.selector.matchLabels, svc.spec.selector);
  for (const [k, v] of Object.entries(sm.spec.selector.matchLabels)) assert.is(svc.metadata.labels![k], v, `Service label ${k}`);
  assert.ok(svc.spec.ports.some((p: any) => p.name === sm.spec.endpoints[0].port));
  assert.equal(sm.spec.endpoints[0], { port: 'metrics', path: '/metrics', interval: '15s', scrapeTimeout: '5s' });
  assert.is(sm.metadata.labels!.release, 'kube-prometheus-stack');
  const pm = one(switched, 'PodMonitor');
  assert.is(pm.spec.podMetricsEndpoints[0].port, 'health');
  for (const [kind, suffix] of WORKLOADS.slice(1)) assert.ok(ctr(one(switched, kind, suffix)).ports.some((p: any) => p.name === 'health'), `${suffix} names its port health`);
  assert.is(defaults.filter((o) => o.apiVersion.startsWith('monitoring.coreos.com')).length, 0);
});

test('metrics.dashboard: a ConfigMap holding the dashboard file unchanged, labelled for the Grafana sidecar', () => {
  const cm = one(switched, 'ConfigMap', '-dashboard');
  assert.is(cm.metadata.namespace, 'monitoring');
  assert.is(cm.metadata.labels!.grafana_dashboard, '1');
  assert.is(cm.metadata.labels!.grafana_folder, 'network');
  assert.equal(JSON.parse(cm.data['network-mapper.json']), JSON.parse(readFileSync(join(CHART_DIR, 'dashboards', 'network-mapper.json'), 'utf8')));
  assert.is(defaults.filter((o) => o.kind === 'ConfigMap').length, 0);
});

test('Ingress: to the controller\'s http port, class, host, path, TLS and annotations as given', () => {
  const ing = one(switched, 'Ingress');
  assert.is(ing.spec.ingressClassName, 'nginx');
  assert.equal(ing.spec.tls, sw.ingress.tls);
  assert.equal(ing.spec.rules, [{ host: 'map.example.test', http: { paths: [{ path: '/map', pathType: 'ImplementationSpecific', backend: { service: { name: 'nm-controller', port: { name: 'http' } } } }] } }]);
  assert.is(ing.metadata.annotations!['nginx.ingress.kubernetes.io/auth-url'], 'https://auth.example.test/check');
  assert.is(defaults.filter((o) => o.kind === 'Ingress').length, 0);
});

test('helm test: a hook pod on the chart image that checks /readyz and the accepted-reports counter', () => {
  const p = one(defaults, 'Pod');
  assert.is(p.metadata.annotations!['helm.sh/hook'], 'test');
  const c = p.spec.containers[0];
  assert.is(c.image, ctr(one(defaults, 'Deployment')).image);
  const env = Object.fromEntries(c.env.map((e: any) => [e.name, e.value]));
  assert.is(env.READYZ_URL, 'http://network-mapper-controller.netmapper-system.svc.cluster.local:8080/readyz');
  assert.is(env.METRICS_URL, 'http://network-mapper-controller.netmapper-system.svc.cluster.local:9090/metrics');
  assert.is(env.EXPECT_REPORTS, 'true');
  assert.is(c.args[0], '-e');
  assert.match(c.args[1], 'netmapper_reports_accepted_total');
  assert.is(p.spec.securityContext.runAsNonRoot, true);
  assert.is(switched.filter((o) => o.kind === 'Pod').length, 0, 'tests.enabled=false');
});

test('otterizeCompat: Service otterize-network-mapper:9090 in the release namespace, to the controller\'s API', () => {
  const s = one(switched, 'Service', 'otterize-network-mapper');
  assert.is(s.metadata.namespace, NAMESPACE);
  assert.equal(s.spec.ports, [{ name: 'http', port: 9090, targetPort: 'http', protocol: 'TCP' }]);
  assert.equal(s.spec.selector, one(switched, 'Deployment', '-controller').spec.selector.matchLabels);
  assert.is(defaults.filter((o) => o.metadata.name === 'otterize-network-mapper').length, 0);
});

test('an Otterize values file renders an equivalent install: its one-to-one values land on ours', () => {
  const o = render({ values: ['test-values/otterize.yaml'] });
  const d = one(o, 'Deployment', '-controller');
  const ds = one(o, 'DaemonSet');
  assert.ok(ctr(d).args.includes('--exclude-namespaces=istio-system,kube-system'), 'mapper.excludeNamespaces');
  assert.ok(ctr(d).args.includes('--workload-name-annotation=intents.otterize.com/workload-name'), 'global.workloadNameOverrideAnnotationName');
  assert.ok(ctr(ds).args.includes('--health-port=57999'), 'sniffer.healthProbesPort');
  assert.equal(ctr(ds).securityContext.capabilities.add, ['SYS_PTRACE', 'NET_RAW'], 'sniffer.containerSecurityContext');
  assert.equal(pod(d).securityContext, { fsGroup: 65532, fsGroupChangePolicy: 'OnRootMismatch', runAsGroup: 65532, runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } }, 'mapper.podSecurityContext merged');
  assert.equal(pod(ds).tolerations, undefined, 'sniffer.tolerations: [] as Otterize has it');
  assert.is(ds.spec.template.metadata.labels.team, 'payments', 'global.podLabels');
  assert.ok(pod(d).imagePullSecrets.some((s: any) => s.name === 'otterize-regcred'), 'mapper.pullSecrets');
  const k = one(o, 'Deployment', '-kafka-watcher');
  assert.ok(ctr(k).args.includes('--brokers=kafka-0.kafka') && ctr(k).args.includes('--report-interval=20s'), 'kafkawatcher.kafkaServers, kafkaReportInterval');
  assert.is(pod(k).priorityClassName, 'kafka-low');
  const role = one(o, 'ClusterRole', '-controller');
  assert.ok(role.rules.some((r: any) => r.apiGroups[0] === '*'), 'allowGetAllResources: true');
  // Our own values still decide what Otterize has no word for.
  assert.ok(one(o, 'NetworkPolicy', '-controller'));
});

test('an alias set alone reaches every template: sniffer.enable=false drops the DaemonSet, its identity and the test\'s report check', () => {
  const o = render({ set: ['sniffer.enable=false', 'global.commonAnnotations.team=payments'] });
  assert.is(o.filter((x) => x.kind === 'DaemonSet').length, 0);
  assert.is(ctr(one(o, 'Deployment', '-controller')).env.find((e: any) => e.name === 'NETMAPPER_REPORTER_IDENTITIES').value, '');
  assert.is(one(o, 'Pod').spec.containers[0].env.find((e: any) => e.name === 'EXPECT_REPORTS').value, 'false');
  for (const x of o) assert.is(x.metadata.annotations?.team, 'payments', `${x.kind}/${x.metadata.name} global.commonAnnotations`);
});

test('controller.auth none is refused unless allowUnauthenticatedReports says the user means it', () => {
  const r = template({ set: ['controller.auth=none'] });
  assert.is.not(r.status, 0);
  assert.match(r.stderr, 'allowUnauthenticatedReports');
  assert.is(template({ set: ['controller.auth=none', 'controller.allowUnauthenticatedReports=true'] }).status, 0);
});

test.run();
