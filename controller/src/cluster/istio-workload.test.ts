import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { istioWorkloadName } from './istio-workload.ts';
import type { PodRecord } from './view.ts';

const pod = (name: string, owner?: { kind: string; name: string }, labels: Record<string, string> = {}): PodRecord => ({
  uid: name, name, namespace: 'default', ips: [], hostNetwork: false, createdAt: 0, labels, annotations: {},
  ...(owner ? { owner: { apiVersion: 'apps/v1', ...owner } } : {}),
});

test('the workload name Istio reports: Deployment, CronJob, other controllers, bare pods', () => {
  assert.is(istioWorkloadName(pod('reviews-v1-6955fcdd8d-d5s58', { kind: 'ReplicaSet', name: 'reviews-v1-6955fcdd8d' }, { 'pod-template-hash': '6955fcdd8d' })), 'reviews-v1');
  assert.is(istioWorkloadName(pod('x-abc', { kind: 'ReplicaSet', name: 'bare-rs' })), 'bare-rs', 'a ReplicaSet of its own');
  assert.is(istioWorkloadName(pod('report-29400000-q7x2k', { kind: 'Job', name: 'report-29400000' })), 'report');
  assert.is(istioWorkloadName(pod('once-abc', { kind: 'Job', name: 'once' })), 'once');
  assert.is(istioWorkloadName(pod('db-0', { kind: 'StatefulSet', name: 'db' })), 'db');
  assert.is(istioWorkloadName(pod('lonely')), 'lonely');
});

test.run();
