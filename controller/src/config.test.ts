import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseConfig, parseDuration, usage } from './config.ts';
import { ConfigError } from '../common/errors.ts';

test('defaults (outside a cluster: auth none; inside: tokenreview)', () => {
  const c = parseConfig([], {}, false);
  assert.equal(c, {
    port: 8080, metricsPort: 9090, bindAddress: '0.0.0.0', clusterDomain: 'cluster.local', clusterDomainSource: 'default',
    controlPlaneIpv4PrefixLength: 32, jobNameFromImage: false, excludeNamespaces: ['istio-system', 'linkerd'],
    workloadNameAnnotation: 'intents.otterize.com/workload-name', storeSaveIntervalMs: 30_000, intentExpiryMs: 0, storeCompactBytes: 64 * 1024 * 1024, headerTimeoutMs: 10_000, requestTimeoutMs: 60_000, maxConnections: 1024, exportHeapBytes: 256 * 1024 * 1024, exportTimeoutMs: 30_000, maxIntents: 100_000, metricsEdges: 0,
    auth: 'none', tokenAudience: 'netmapper', bodyLimit: 8 * 1024 * 1024, maxConcurrentReports: 4, minServerAgeMs: 300_000, logLevel: 'info',
    namespace: 'default', readAuth: 'loopback-only', trustLoopback: true, reporterNewIntents: 20_000,
    reporterIdentities: {
      'system:serviceaccount:default:network-mapper-sniffer': 'sniffer',
      'system:serviceaccount:default:network-mapper-kafka-watcher': 'kafka-watcher',
      'system:serviceaccount:default:network-mapper-istio-watcher': 'istio-watcher',
    },
  });
  assert.is(parseConfig([], {}, true).auth, 'tokenreview');
  assert.is(parseConfig([], {}, true).readAuth, 'rbac');
});

test('reporter identities: derived from namespace and the chart fullname, or listed; loopback trust can be turned off', () => {
  const c = parseConfig(['--release-fullname', 'nm'], {}, true, { namespace: 'netmapper-system' });
  assert.equal(c.reporterIdentities, {
    'system:serviceaccount:netmapper-system:nm-sniffer': 'sniffer',
    'system:serviceaccount:netmapper-system:nm-kafka-watcher': 'kafka-watcher',
    'system:serviceaccount:netmapper-system:nm-istio-watcher': 'istio-watcher',
  });
  const l = parseConfig(['--reporter-identities', 'sniffer=snf,kafka-watcher=kafka/kw,istio-watcher=system:serviceaccount:mesh:iw', '--trust-loopback=false'], { NETMAPPER_NAMESPACE: 'obs' }, true);
  assert.equal(l.reporterIdentities, { 'system:serviceaccount:obs:snf': 'sniffer', 'system:serviceaccount:kafka:kw': 'kafka-watcher', 'system:serviceaccount:mesh:iw': 'istio-watcher' });
  assert.is(l.trustLoopback, false);
  assert.is(parseConfig(['--trust-loopback', 'false'], {}, true).trustLoopback, false);
  for (const [argv, re] of [[['--reporter-identities', 'admin=x'], /role=serviceaccount/], [['--reporter-identities', 'sniffer=a,kafka-watcher=a'], /two roles/],
    [['--read-auth', 'open'], /rbac, loopback-only or none/], [['--trust-loopback=maybe'], /true or false/]] as const) {
    try { parseConfig(argv, {}, true); assert.unreachable(String(argv)); } catch (err) { assert.instance(err, ConfigError); assert.match((err as Error).message, re); }
  }
});

test('cluster domain: the flag (or env) wins over the one detected from resolv.conf, which wins over cluster.local', () => {
  const detected = { clusterDomain: 'corp.lan' };
  assert.equal([parseConfig([], {}, true, detected).clusterDomain, parseConfig([], {}, true, detected).clusterDomainSource], ['corp.lan', 'resolv.conf']);
  assert.equal([parseConfig(['--cluster-domain', 'k8s.local'], {}, true, detected).clusterDomain, parseConfig(['--cluster-domain', 'k8s.local'], {}, true, detected).clusterDomainSource], ['k8s.local', 'setting']);
  assert.is(parseConfig([], { NETMAPPER_CLUSTER_DOMAIN: 'env.local' }, true, detected).clusterDomain, 'env.local');
});

test('control-plane prefix 0-32 and job-name-from-image true/false', () => {
  assert.is(parseConfig(['--control-plane-cidr-prefix', '28'], {}, false).controlPlaneIpv4PrefixLength, 28);
  assert.throws(() => parseConfig(['--control-plane-cidr-prefix', '33'], {}, false), /--control-plane-cidr-prefix: must be an integer from 0 to 32/);
  assert.is(parseConfig(['--job-name-from-image', 'true'], {}, false).jobNameFromImage, true);
  assert.throws(() => parseConfig(['--job-name-from-image', 'maybe'], {}, false), /--job-name-from-image: must be true or false/);
});

test('flags and env vars of the same name; the flag wins', () => {
  const env = { NETMAPPER_PORT: '8081', NETMAPPER_STORE_FILE: '/var/lib/netmapper/store.json', NETMAPPER_EXCLUDE_NAMESPACES: 'kube-system, monitoring', NETMAPPER_MIN_SERVER_AGE: '1m30s' };
  const c = parseConfig(['--port=9000', '--cluster-domain', 'K8s.Example.', '--body-limit', '512Ki', '--intent-expiry', '7d', '--auth', 'token-file', '--token-file', '/t'], env, true);
  assert.equal([c.port, c.storeFile, c.excludeNamespaces, c.minServerAgeMs, c.clusterDomain, c.bodyLimit, c.intentExpiryMs, c.auth, c.tokenFile],
    [9000, '/var/lib/netmapper/store.json', ['kube-system', 'monitoring'], 90_000, 'k8s.example', 512 * 1024, 7 * 86_400_000, 'token-file', '/t']);
  assert.equal(parseConfig([], { NETMAPPER_EXCLUDE_NAMESPACES: '' }, false).excludeNamespaces, []);
});

test('bad values fail naming the setting', () => {
  const cases: Array<[string[], Record<string, string>, string, RegExp]> = [
    [['--port', '0'], {}, '--port', /integer from 1 to 65535/],
    [[], { NETMAPPER_PORT: 'http' }, '--port', /integer/],
    [['--metrics-port', '8080'], {}, '--metrics-port', /differ/],
    [['--cluster-domain', 'bad_domain'], {}, '--cluster-domain', /DNS name/],
    [['--exclude-namespaces', 'ok,Not OK'], {}, '--exclude-namespaces', /namespace name/],
    [['--store-save-interval', '10'], {}, '--store-save-interval', /not a duration/],
    [['--store-save-interval', '100ms'], {}, '--store-save-interval', /at least 1s/],
    [['--auth', 'magic'], {}, '--auth', /tokenreview, token-file or none/],
    [['--auth', 'token-file'], {}, '--token-file', /required/],
    [['--body-limit', '8 MB'], {}, '--body-limit', /not a size/],
    [['--workload-label', 'has space'], {}, '--workload-label', /label key/],
    [['--log-level', 'loud'], {}, '--log-level', /debug, info/],
    [['--nope', 'x'], {}, '--nope', /unknown flag/],
    [['--port'], {}, '--port', /needs a value/],
    [['stray'], {}, 'stray', /unexpected argument/],
    [['--cluster-snapshot', 'a.yaml', '--auth', 'tokenreview'], {}, '--auth', /snapshot/],
  ];
  for (const [argv, env, setting, msg] of cases) {
    try {
      parseConfig(argv, env, false);
      assert.unreachable(argv.join(' '));
    } catch (err) {
      assert.instance(err, ConfigError, argv.join(' '));
      assert.is((err as ConfigError).setting, setting);
      assert.match((err as Error).message, msg);
    }
  }
});

test('durations and usage text', () => {
  assert.is(parseDuration('1h30m', 'x'), 5_400_000);
  assert.is(parseDuration('250ms', 'x'), 250);
  assert.throws(() => parseDuration('5 m', 'x'), /not a duration/);
  assert.throws(() => parseDuration('m', 'x'), /not a duration/);
  assert.match(usage(), /--store-file[\s\S]*env NETMAPPER_STORE_FILE/);
});

test.run();
