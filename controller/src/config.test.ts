import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseConfig, parseDuration, usage } from './config.ts';
import { ConfigError } from '../common/errors.ts';

test('defaults (outside a cluster: auth none; inside: tokenreview)', () => {
  const c = parseConfig([], {}, false);
  assert.equal(c, {
    port: 8080, metricsPort: 9090, bindAddress: '0.0.0.0', clusterDomain: 'cluster.local', excludeNamespaces: ['istio-system', 'linkerd'],
    workloadNameAnnotation: 'intents.otterize.com/workload-name', storeSaveIntervalMs: 30_000, storeCompactBytes: 64 * 1024 * 1024, headerTimeoutMs: 10_000, requestTimeoutMs: 60_000, maxConnections: 1024, exportHeapBytes: 256 * 1024 * 1024, exportTimeoutMs: 30_000, intentExpiryMs: 0, maxIntents: 100_000,
    auth: 'none', tokenAudience: 'netmapper', bodyLimit: 8 * 1024 * 1024, minServerAgeMs: 300_000, logLevel: 'info',
  });
  assert.is(parseConfig([], {}, true).auth, 'tokenreview');
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
