import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError, helpText, loadWatcherConfig } from './config.ts';

test('defaults: the merged endpoint on 15020, 15 s, 10 at once, no history, 100 paths per pair', () => {
  const c = loadWatcherConfig([], {});
  assert.equal([c.port, c.path, c.intervalMs, c.concurrency, c.timeoutMs, c.reportHistory, c.maxPathsPerPair, c.prometheusUrl],
    [15020, '/stats/prometheus', 15_000, 10, 5000, false, 100, '']);
});

test('flags win over the environment; lists and bools parse', () => {
  const c = loadWatcherConfig(['--metrics-port', '15090', '--fold-ids', '--path-templates=/users/{id},/orders/{id}'],
    { NETMAPPER_METRICS_PORT: '1', NETMAPPER_INTERVAL: '30s', NETMAPPER_PROMETHEUS_URL: 'http://prometheus.istio-system:9090/' });
  assert.equal([c.port, c.intervalMs, c.foldIds, c.pathTemplates, c.prometheusUrl], [15090, 30_000, true, ['/users/{id}', '/orders/{id}'], 'http://prometheus.istio-system:9090']);
});

test('bad values fail at start-up naming the setting and the value', () => {
  const bad = (argv: string[], re: RegExp) => assert.throws(() => loadWatcherConfig(argv, {}), (e: unknown) => e instanceof ConfigError && re.test((e as Error).message));
  bad(['--metrics-port', '0'], /--metrics-port.*"0"/);
  bad(['--interval', '10'], /--interval.*duration/);
  bad(['--metrics-path', 'stats'], /must start with \//);
  bad(['--path-templates', '/users/x{id}'], /whole segment/);
  bad(['--path-rules', '/(x=>y'], /path rule/);
  bad(['--prometheus-url', 'ftp://x'], /http/);
  bad(['--nope'], /unknown flag --nope/);
  assert.throws(() => loadWatcherConfig([], { NETMAPPER_MAX_SAMPLES: '-1' }), /NETMAPPER_MAX_SAMPLES/);
});

test('help lists every setting with its environment name', () => {
  assert.match(helpText(), /--prometheus-url[\s\S]*NETMAPPER_PROMETHEUS_URL/);
  assert.match(helpText(), /--max-paths-per-pair/);
});

test.run();
