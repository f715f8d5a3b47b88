import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isTarget, parseBrokerName, parseSelector, parseTargets, selectorMatches, targetNamespaces } from './broker-targets.ts';

test('broker targets: names, selectors, matching', () => {
  assert.equal(parseBrokerName('kafka-0.kafka'), { name: 'kafka-0', namespace: 'kafka' });
  assert.equal(parseBrokerName('my.pod.kafka'), { name: 'my.pod', namespace: 'kafka' });
  for (const bad of ['kafka', '.kafka', 'kafka-0.', 'Kafka-0.kafka', 'a.b_c']) assert.throws(() => parseBrokerName(bad), /expected <pod>.<namespace>/);
  const s = parseSelector('kafka:app.kubernetes.io/name=kafka, tier in (a, b),!canary,role!=zk');
  assert.ok(selectorMatches(s, { 'app.kubernetes.io/name': 'kafka', tier: 'b' }));
  assert.not.ok(selectorMatches(s, { 'app.kubernetes.io/name': 'kafka', tier: 'c' }));
  assert.not.ok(selectorMatches(s, { 'app.kubernetes.io/name': 'kafka', tier: 'a', canary: '' }));
  assert.not.ok(selectorMatches(s, { 'app.kubernetes.io/name': 'kafka', tier: 'a', role: 'zk' }));
  for (const bad of ['app=kafka', 'kafka:', 'kafka:a b=c', 'Bad:app=x', 'kafka:app=(x']) assert.throws(() => parseSelector(bad), /broker selector/);
  const t = parseTargets('kafka-0.kafka, other-0.data', 'kafka:app=kafka; strimzi:strimzi.io/kind=Kafka');
  assert.equal(targetNamespaces(t), ['data', 'kafka', 'strimzi']);
  assert.ok(isTarget(t, { namespace: 'kafka', name: 'kafka-0' }));
  assert.ok(isTarget(t, { namespace: 'kafka', name: 'kafka-7', labels: { app: 'kafka' } }));
  assert.not.ok(isTarget(t, { namespace: 'data', name: 'kafka-7', labels: { app: 'kafka' } }));
  assert.throws(() => parseTargets(' ', ''), /no brokers/);
});

test.run();
