import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseClusterName } from './cluster-name.ts';

const D = 'cluster.local';

test('Service names: svc.ns.svc.<domain> and pod-0.svc.ns.svc.<domain> (headless/StatefulSet)', () => {
  assert.equal(parseClusterName('cart.shop.svc.cluster.local', D), { kind: 'service', service: 'cart', namespace: 'shop' });
  assert.equal(parseClusterName('db-0.db.data.svc.cluster.local', D), { kind: 'service', service: 'db', namespace: 'data', host: 'db-0' });
  assert.equal(parseClusterName('Cart.Shop.SVC.cluster.local.', D), { kind: 'service', service: 'cart', namespace: 'shop' }, 'case and root dot');
});

test('pod names: a-b-c-d.ns.pod.<domain>, IPv6 with dashes', () => {
  assert.equal(parseClusterName('10-244-1-7.shop.pod.cluster.local', D), { kind: 'pod-ip', ip: '10.244.1.7', namespace: 'shop' });
  assert.equal(parseClusterName('fd00-10-244--7.shop.pod.cluster.local', D), { kind: 'pod-ip', ip: 'fd00:10:244::7', namespace: 'shop' });
  assert.equal(parseClusterName('10-244-1-999.shop.pod.cluster.local', D), { kind: 'unsupported' });
});

test('other forms under the domain are unsupported; names outside it are Internet (undefined)', () => {
  assert.equal(parseClusterName('shop.svc.cluster.local', D), { kind: 'unsupported' }, 'fewer than 3 labels before the domain');
  assert.equal(parseClusterName('cluster.local', D), { kind: 'unsupported' });
  assert.equal(parseClusterName('x.y.z.cluster.local', D), { kind: 'unsupported' });
  assert.is(parseClusterName('api.github.com', D), undefined);
  assert.is(parseClusterName('evilcluster.local', D), undefined, 'a suffix match must be on a label boundary');
  assert.equal(parseClusterName('web.prod.svc.k8s.example', 'k8s.example'), { kind: 'service', service: 'web', namespace: 'prod' }, 'the domain is configurable');
  assert.is(parseClusterName('web.prod.svc.cluster.local', 'k8s.example'), undefined);
});

test.run();
