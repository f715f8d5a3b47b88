import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError, HelpRequested, SETTINGS, envName, helpText, loadConfig, parseDuration } from './config.ts';

test('defaults match the agreed chart contract', () => {
  const c = loadConfig([], {});
  assert.is(c.controllerUrl, 'http://netmapper-controller.netmapper-system.svc:8080');
  assert.equal(c.devices, ['any']);
  assert.is(c.reportIntervalMs, 1000);
  assert.is(c.hostProc, '/proc');
  assert.ok(c.nodeName.length > 0);
  assert.is(c.tokenFile, '');
  assert.is(c.healthPort, 57921);
  assert.is(c.backlogMax, 100000);
  assert.is(c.captureBuffer, 16 * 1024 * 1024);
  assert.is(c.enableDns, true);
  assert.is(c.enableTcp, true);
  assert.is(c.enableSocketScan, true);
  assert.is(c.logLevel, 'info');
});

test('flags win over the environment, which wins over defaults', () => {
  const env = { NETMAPPER_REPORT_INTERVAL: '5s', NETMAPPER_DEVICES: 'eth0,cali1', NETMAPPER_ENABLE_TCP: 'false' };
  const c = loadConfig(['--report-interval=250ms', '--node-name', 'node-a', '--enable-dns', 'false', '--enable-socket-scan'], env);
  assert.is(c.reportIntervalMs, 250);
  assert.equal(c.devices, ['eth0', 'cali1']);
  assert.is(c.enableTcp, false);
  assert.is(c.enableDns, false);
  assert.is(c.enableSocketScan, true);
  assert.is(c.nodeName, 'node-a');
});

test('durations and byte sizes', () => {
  assert.is(parseDuration('1m30s'), 90_000);
  assert.is(parseDuration('1.5s'), 1500);
  assert.is(parseDuration('10'), undefined);
  assert.is(loadConfig(['--capture-buffer', '64Mi'], {}).captureBuffer, 64 * 1024 * 1024);
  assert.is(loadConfig(['--capture-buffer', '2097152'], {}).captureBuffer, 2097152);
  // `--body-limit "8 Mi"` was accepted by the controller and `--capture-buffer "8 Mi"` refused here: one size grammar.
  assert.is(loadConfig(['--capture-buffer', '8 Mi'], {}).captureBuffer, 8 * 1024 * 1024);
  assert.is(loadConfig(['--report-interval', '1.5s'], {}).reportIntervalMs, 1500);
  assert.is(loadConfig(['--controller-url', 'https://c.example:8443/'], {}).controllerUrl, 'https://c.example:8443');
});

const bad: Array<[string[], Record<string, string>, RegExp]> = [
  [['--report-interval', '1'], {}, /--report-interval \(flag\) "1".*duration/],
  [[], { NETMAPPER_REPORT_INTERVAL: '10ms' }, /--report-interval \(NETMAPPER_REPORT_INTERVAL\) "10ms"/],
  [['--health-port', '70000'], {}, /--health-port.*"70000"/],
  [['--backlog-max', '0'], {}, /--backlog-max/],
  [['--backlog-max', '-5'], {}, /--backlog-max/],
  [['--capture-buffer', '32MB'], {}, /--capture-buffer.*"32MB"/],
  [['--capture-buffer', '1024'], {}, /--capture-buffer.*between/],
  [['--controller-url', 'netmapper:8080'], {}, /--controller-url/],
  [['--controller-url', 'ftp://x'], {}, /--controller-url.*http/],
  [['--devices', 'eth0,,eth1'], {}, /--devices/],
  [[], { NETMAPPER_ENABLE_DNS: 'maybe' }, /--enable-dns \(NETMAPPER_ENABLE_DNS\)/],
  [['--log-level', 'verbose'], {}, /--log-level/],
  [['--host-proc', ''], {}, /--host-proc/],
  [['--bogus', '1'], {}, /unknown flag --bogus/],
  [['stray'], {}, /unexpected argument "stray"/],
  [['--node-name'], {}, /--node-name needs a value/],
];
for (const [argv, env, re] of bad) {
  test(`rejects ${JSON.stringify(argv)} ${JSON.stringify(env)}`, () => {
    try {
      loadConfig(argv, env);
      assert.unreachable('should have thrown');
    } catch (err) {
      assert.instance(err, ConfigError);
      assert.match((err as Error).message, re);
    }
  });
}

test('--help lists every setting with its env name', () => {
  assert.throws(() => loadConfig(['--help'], {}), (e: unknown) => e instanceof HelpRequested);
  const text = helpText();
  for (const s of SETTINGS) {
    assert.ok(text.includes(`--${s.flag}`), s.flag);
    assert.ok(text.includes(envName(s.flag)), envName(s.flag));
  }
});

test.run();
