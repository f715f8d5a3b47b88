// The chart's RBAC grants exactly what the code declares (controller/src/cluster/permissions.ts): nothing missing, nothing unused.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CONTROLLER_PERMISSIONS } from '../controller/src/cluster/permissions.ts';
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
  const role = one(objects, 'ClusterRole');
  const granted = grants(role);
  const wanted = declared();
  assert.equal(wanted.filter((g) => !granted.includes(g)), [], 'declared but not granted (missing)');
  assert.equal(granted.filter((g) => !wanted.includes(g)), [], 'granted but not declared (unused)');
  assert.not.ok(granted.some((g) => g.includes('*')), 'no wildcard by default');
});

test('the ClusterRole is bound to the ServiceAccount the controller runs as, and to nothing else', () => {
  const objects = render();
  const role = one(objects, 'ClusterRole');
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

test('auth=none keeps TokenReview and SubjectAccessReview: reads and reset are still checked', () => {
  const granted = grants(one(render({ set: ['controller.auth=none'] }), 'ClusterRole'));
  assert.equal(granted, declared());
});

test('wider read access appears only behind controller.rbac.readAllResources', () => {
  const granted = grants(one(render({ set: ['controller.rbac.readAllResources=true'] }), 'ClusterRole'));
  assert.equal(granted.filter((g) => g.includes('*')), ['*/*:get', '*/*:list', '*/*:watch']);
  assert.equal(granted.filter((g) => !g.includes('*')), declared());
});

test.run();
