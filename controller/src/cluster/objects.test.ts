import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ObjectFieldError } from './errors.ts';
import { endpointSliceRecordFromObject, nodeRecordFromObject, podRecordFromObject, serviceRecordFromObject } from './objects.ts';

test('pod: the controller owner reference wins over the first; Date timestamps (client-node typed objects) accepted', () => {
  const p = podRecordFromObject({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'x', namespace: 'n', creationTimestamp: new Date('2024-01-01T00:00:00Z'), deletionTimestamp: '2024-01-02T00:00:00Z',
      ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'cm' }, { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', controller: true }],
      annotations: { 'intents.otterize.com/workload-name': 'w', 'other/annotation': 'dropped' } },
    spec: { hostNetwork: true, nodeName: 'n1' },
    status: { podIP: '10.0.0.1', podIPs: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }], phase: 'Running' },
  });
  assert.is(p.owner?.name, 'rs');
  assert.is(p.createdAt, Date.parse('2024-01-01T00:00:00Z'));
  assert.is(p.deletingAt, Date.parse('2024-01-02T00:00:00Z'));
  assert.equal(p.ips, ['10.0.0.1', 'fd00::1']);
  assert.equal(p.annotations, { 'intents.otterize.com/workload-name': 'w' }, 'only identity annotations kept');
  assert.ok(p.hostNetwork);
});

test('malformed fields are ObjectFieldErrors naming the field', () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ kind: 'Pod', metadata: {} }, 'metadata.name'],
    [{ kind: 'Pod', metadata: { name: 'x', labels: { a: 1 } } }, 'metadata.labels.a'],
    [{ kind: 'Pod', metadata: { name: 'x' }, spec: { hostNetwork: 'yes' } }, 'spec.hostNetwork'],
    [{ kind: 'Pod', metadata: { name: 'x', ownerReferences: [{ kind: 'ReplicaSet' }] } }, 'metadata.ownerReferences[0].apiVersion'],
    [{ kind: 'Pod', metadata: { name: 'x' }, status: { podIPs: [{ ip: 7 }] } }, 'status.podIPs[0].ip'],
    [{ kind: 'Pod', metadata: { name: 'x' }, status: { podIPs: [{ ip: '10.0.0.300' }] } }, 'status.podIPs[0].ip'],
    [{ kind: 'Pod', metadata: { name: 'x' }, status: { podIP: 'pod.local' } }, 'status.podIP'],
  ];
  for (const [obj, field] of cases) {
    try { podRecordFromObject(obj); assert.unreachable(field); } catch (err) {
      assert.instance(err, ObjectFieldError);
      assert.is((err as ObjectFieldError).field, field);
      assert.is((err as ObjectFieldError).code, 'object-field');
    }
  }
});

test('addresses are kept in canonical text: one address, one key, whatever the source wrote', () => {
  const p = podRecordFromObject({ metadata: { name: 'x', namespace: 'n' }, status: { podIPs: [{ ip: '10.0.0.1' }, { ip: 'FD00:0010:0244:0000:0000:0000:0000:0030' }] } });
  assert.equal(p.ips, ['10.0.0.1', 'fd00:10:244::30']);
  const s = serviceRecordFromObject({ metadata: { name: 's', namespace: 'n' }, spec: { clusterIPs: ['fd00:10:96:0::a'] } });
  assert.equal(s.clusterIps, ['fd00:10:96::a']);
  try { serviceRecordFromObject({ metadata: { name: 's', namespace: 'n' }, spec: { clusterIP: 'ten' } }); assert.unreachable(); } catch (err) {
    assert.is((err as ObjectFieldError).field, 'spec.clusterIP');
  }
});

test('service: headless has no ClusterIPs; dual-stack keeps both families', () => {
  assert.equal(serviceRecordFromObject({ metadata: { name: 'h', namespace: 'n' }, spec: { clusterIP: 'None', clusterIPs: ['None'] } }),
    { uid: 'n/h', name: 'h', namespace: 'n', type: 'ClusterIP', clusterIps: [], headless: true });
  assert.equal(serviceRecordFromObject({ metadata: { name: 'd', namespace: 'n' }, spec: { clusterIP: '10.96.0.9', clusterIPs: ['10.96.0.9', 'fd00::9'] } }).clusterIps, ['10.96.0.9', 'fd00::9']);
});

test('EndpointSlice: endpoints without a Pod targetRef are not pods; the API server keeps its addresses', () => {
  const e = endpointSliceRecordFromObject({ metadata: { name: 's', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    endpoints: [{ addresses: ['172.18.0.2'] }, { addresses: ['10.0.0.3'], targetRef: { kind: 'Node', name: 'n1' } }] });
  assert.equal(e.pods, []);
  assert.equal(e.addresses, ['172.18.0.2', '10.0.0.3']);
  const other = endpointSliceRecordFromObject({ metadata: { name: 's', namespace: 'x' }, endpoints: [{ addresses: ['10.0.0.4'], targetRef: { kind: 'Pod', name: 'p' } }] });
  assert.equal(other.pods, [{ namespace: 'x', name: 'p' }]);
  assert.is(other.service, undefined, 'no kubernetes.io/service-name label');
  assert.is(other.addresses, undefined);
});

test('node: Hostname and InternalDNS entries are not IPs', () => {
  assert.equal(nodeRecordFromObject({ metadata: { name: 'n' }, status: { addresses: [{ type: 'InternalIP', address: '10.1.0.1' },
    { type: 'InternalIP', address: 'fd00:1::1' }, { type: 'Hostname', address: 'n' }, { type: 'InternalDNS', address: 'n.internal' }] } }).ips, ['10.1.0.1', 'fd00:1::1']);
});

test.run();
