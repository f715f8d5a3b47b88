// The chart's RBAC grants exactly what the code declares (controller/src/cluster/permissions.ts): nothing missing, nothing unused.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CONTROLLER_PERMISSIONS } from '../controller/src/cluster/permissions.ts';
import { USER_CLUSTER_ROLES } from '../controller/src/auth/policy.ts';
import { one, render, type K8sObject } from '../fixtures/test-support/helm.ts';
import { suiteNeeds } from '../fixtures/test-support/needs.ts';
suiteNeeds('chart rbac', ['helm']);

/** Every (group, resource, verb) a ClusterRole's rules grant, as `group/resource:verb` strings. */
function grants(role: K8sObject): string[] {
  const out = new Set<string>();
  for (const rule of role.rules ?? []) {
    assert.is(rule.resourceNames, undefined, 'rules are not narrowed by resourceNames');
    assert.is(rule.nonResourceURLs, undefined, 'no non-resource URLs');
    for (const group of rule.apiGroups) for (const resource of rule.resources) for (const verb of rule.verbs) out.add(`${group}/${resource}:${verb}`);
  }
  return [...out].sort();
}

function declared(): string[] {
  return CONTROLLER_PERMISSIONS.flatMap((p) => p.verbs.map((v) => `${p.group}/${p.resource}:${v}`)).sort();
}

test('the declaration is not empty and names the resources the issue lists', () => {
  const names = CONTROLLER_PERMISSIONS.map((p) => p.resource);
  for (const r of ['pods', 'services', 'endpointslices', 'nodes', 'namespaces', 'replicasets', 'deployments', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs', 'tokenreviews', 'subjectaccessreviews']) {
    assert.ok(names.includes(r), `${r} declared`);
  }
});

test('with default values the controller ClusterRole grants exactly CONTROLLER_PERMISSIONS', () => {
  const objects = render();
  const role = one(objects, 'ClusterRole', '-controller');
  const granted = grants(role);
  const wanted = declared();
  assert.equal(wanted.filter((g) => !granted.includes(g)), [], 'declared but not granted (missing)');
  assert.equal(granted.filter((g) => !wanted.includes(g)), [], 'granted but not declared (unused)');
  assert.not.ok(granted.some((g) => g.includes('*')), 'no wildcard by default');
});

test('the ClusterRole is bound to the ServiceAccount the controller runs as, and to nothing else', () => {
  const objects = render();
  const role = one(objects, 'ClusterRole', '-controller');
  const binding = one(objects, 'ClusterRoleBinding');
  const deployment = one(objects, 'Deployment');
  assert.equal(binding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.metadata.name });
  assert.equal(binding.subjects, [{ kind: 'ServiceAccount', name: deployment.spec.template.spec.serviceAccountName, namespace: 'netmapper-system' }]);
});

test('the sniffer gets no Kubernetes permissions and no API token', () => {
  const objects = render();
  const ds = one(objects, 'DaemonSet');
  const sa = ds.spec.template.spec.serviceAccountName;
  assert.is(ds.spec.template.spec.automountServiceAccountToken, false);
  assert.is(one(objects, 'ServiceAccount', '-sniffer').automountServiceAccountToken, false);
  const bindings = objects.filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding');
  assert.not.ok(bindings.some((b) => b.subjects?.some((s: any) => s.name === sa)), 'no binding names the sniffer');
  assert.is(objects.filter((o) => o.kind === 'Role').length, 0);
});

test('auth=none (acknowledged) keeps TokenReview and SubjectAccessReview: readers are still checked', () => {
  const granted = grants(one(render({ set: ['controller.auth=none', 'controller.allowUnauthenticatedReports=true'] }), 'ClusterRole', '-controller'));
  assert.equal(granted, declared());
});

test('wider read access appears only behind controller.rbac.readAllResources', () => {
  const granted = grants(one(render({ set: ['controller.rbac.readAllResources=true'] }), 'ClusterRole', '-controller'));
  assert.equal(granted.filter((g) => g.includes('*')), ['*/*:get', '*/*:list', '*/*:watch']);
  assert.equal(granted.filter((g) => !g.includes('*')), declared());
});

/** Every (group, resource, verb) of a Role/ClusterRole. */
function ruleGrants(role: K8sObject): string[] {
  return (role.rules ?? []).flatMap((r: any) => r.apiGroups.flatMap((g: string) => r.resources.flatMap((res: string) => r.verbs.map((v: string) => `${g}/${res}:${v}`)))).sort();
}

test('the viewer ClusterRole gets the read paths, the admin also posts reset and /query; nothing else', () => {
  const objects = render();
  const viewer = one(objects, 'ClusterRole', '-viewer');
  const admin = one(objects, 'ClusterRole', '-admin');
  // Exactly what the controller's access checks declare (controller/src/auth/policy.ts).
  const plain = (rules: readonly { nonResourceURLs: readonly string[]; verbs: readonly string[] }[]) => rules.map((r) => ({ nonResourceURLs: [...r.nonResourceURLs], verbs: [...r.verbs] }));
  assert.equal(viewer.rules, plain(USER_CLUSTER_ROLES.viewer));
  assert.equal(admin.rules, plain(USER_CLUSTER_ROLES.admin));
  // Bound by users, not by the chart.
  assert.not.ok(objects.some((o) => o.kind.endsWith('Binding') && /-(viewer|admin)$/.test(o.roleRef.name)));
  assert.is(render({ set: ['userRoles.create=false'] }).filter((o) => /-(viewer|admin)$/.test(o.metadata.name)).length, 0);
});

test('the Kafka watcher gets exactly pods get/list/watch and pods/log get, in the brokers\' namespaces only', () => {
  const objects = render({ set: ['kafkaWatcher.enabled=true', 'kafkaWatcher.brokers={kafka-0.kafka,zk-0.zookeeper.kafka}', 'kafkaWatcher.brokerSelectors[0].namespace=streaming', 'kafkaWatcher.brokerSelectors[0].selector=app=kafka'] });
  const roles = objects.filter((o) => o.kind === 'Role');
  assert.equal(roles.map((r) => r.metadata.namespace).sort(), ['kafka', 'streaming']);
  for (const r of roles) assert.equal(ruleGrants(r), ['/pods/log:get', '/pods:get', '/pods:list', '/pods:watch']);
  const sa = one(objects, 'Deployment', '-kafka-watcher').spec.template.spec.serviceAccountName;
  for (const b of objects.filter((o) => o.kind === 'RoleBinding')) {
    assert.equal(b.subjects, [{ kind: 'ServiceAccount', name: sa, namespace: 'netmapper-system' }]);
    assert.equal(b.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roles[0].metadata.name });
  }
  assert.not.ok(objects.some((o) => o.kind === 'ClusterRoleBinding' && o.subjects?.some((s: any) => s.name === sa)), 'nothing cluster-wide');
});

test('the Istio watcher gets exactly pods get/list/watch (cluster-wide, or in its namespace), never exec', () => {
  const wide = render({ set: ['istioWatcher.enabled=true'] });
  const role = one(wide, 'ClusterRole', '-istio-watcher');
  assert.equal(ruleGrants(role), ['/pods:get', '/pods:list', '/pods:watch']);
  assert.equal(one(wide, 'ClusterRoleBinding', '-istio-watcher').roleRef.name, role.metadata.name);
  const narrow = render({ set: ['istioWatcher.enabled=true', 'istioWatcher.namespace=shop'] });
  assert.equal(ruleGrants(one(narrow, 'Role', '-istio-watcher')), ['/pods:get', '/pods:list', '/pods:watch']);
  assert.is(one(narrow, 'Role', '-istio-watcher').metadata.namespace, 'shop');
  assert.not.ok(narrow.some((o) => o.kind === 'ClusterRole' && o.metadata.name.endsWith('-istio-watcher')));
  const prom = render({ set: ['istioWatcher.enabled=true', 'istioWatcher.prometheusUrl=http://prometheus.istio-system:9090'] });
  assert.is(prom.filter((o) => /Role/.test(o.kind) && o.metadata.name.endsWith('-istio-watcher')).length, 0, 'no pod access when it asks Prometheus');
});

test.run();
