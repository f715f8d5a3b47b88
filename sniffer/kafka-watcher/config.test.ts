import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError, HelpRequested, loadConfig } from './config.ts';

test('kubernetes mode: brokers from flags or NETMAPPER_* env; defaults', () => {
  const c = loadConfig(['--brokers', 'kafka-0.kafka'], { NETMAPPER_BROKER_SELECTORS: 'kafka:app=kafka', NETMAPPER_REPORT_INTERVAL: '5s' });
  assert.is(c.mode, 'kubernetes');
  assert.equal(c.targets!.names, [{ name: 'kafka-0', namespace: 'kafka' }]);
  assert.is(c.targets!.selectors[0]!.text, 'app=kafka');
  assert.is(c.reportIntervalMs, 5000);
  assert.is(c.lookbackMs, 10_000);
  assert.is(c.container, undefined);
  assert.is(loadConfig(['--brokers=kafka-0.kafka', '--report-interval', '1m'], { NETMAPPER_REPORT_INTERVAL: '5s' }).reportIntervalMs, 60_000);
});

test('file mode needs the pod name and namespace', () => {
  const c = loadConfig(['--mode', 'file', '--pod-name', 'kafka-0', '--pod-namespace', 'kafka', '--log-file', '/tmp/a.log']);
  assert.equal([c.mode, c.logFile, c.podName, c.podNamespace, c.fileFrom], ['file', '/tmp/a.log', 'kafka-0', 'kafka', 'end']);
  assert.throws(() => loadConfig(['--mode', 'file', '--pod-namespace', 'kafka']), /--pod-name/);
});

test('bad values name the setting and where it came from', () => {
  const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
    [[], {}, /no brokers/],
    [['--brokers', 'kafka'], {}, /expected <pod>.<namespace>/],
    [['--brokers', 'a.b', '--mode', 'sidecar'], {}, /--mode \(flag\) "sidecar"/],
    [['--brokers', 'a.b'], { NETMAPPER_REPORT_INTERVAL: '10' }, /--report-interval \(NETMAPPER_REPORT_INTERVAL\) "10"/],
    [['--brokers', 'a.b', '--controller-url', 'ftp://x'], {}, /http/],
    [['--brokers', 'a.b', '--health-port', '70000'], {}, /--health-port/],
    [['--nope', 'x'], {}, /unknown flag --nope/],
    [['--brokers'], {}, /needs a value/],
  ];
  for (const [argv, env, re] of cases) {
    try { loadConfig(argv, env); assert.unreachable(argv.join(' ')); } catch (err) {
      assert.instance(err, ConfigError);
      assert.match((err as Error).message, re);
    }
  }
  assert.throws(() => loadConfig(['--help']), (e: unknown) => e instanceof HelpRequested);
});

test.run();
