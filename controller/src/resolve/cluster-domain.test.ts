import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { clusterDomainFromResolvConf } from './cluster-domain.ts';

test('kubelet\'s search list gives the domain (cluster.local, a custom one, trailing dots, comments)', () => {
  assert.is(clusterDomainFromResolvConf('search netmapper-system.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n'), 'cluster.local');
  assert.is(clusterDomainFromResolvConf('nameserver 10.0.0.10\nsearch ns.svc.k8s.example.com. svc.k8s.example.com. k8s.example.com. ec2.internal # GKE/EKS add their own\n'), 'k8s.example.com');
  assert.is(clusterDomainFromResolvConf('search svc.Corp.Lan corp.lan\n'), 'corp.lan');
});

test('no Kubernetes search entry: undefined (the caller falls back to cluster.local)', () => {
  assert.is(clusterDomainFromResolvConf(''), undefined);
  assert.is(clusterDomainFromResolvConf('nameserver 127.0.0.53\nsearch lan example.com\n'), undefined);
  assert.is(clusterDomainFromResolvConf('# search ns.svc.cluster.local\n'), undefined, 'a comment is not a search list');
  assert.is(clusterDomainFromResolvConf('search a.b.svc.cluster.local\n'), undefined, '`svc` must be the first or second label');
  assert.is(clusterDomainFromResolvConf('search ns.svc\n'), undefined, 'no domain after svc');
});

test.run();
