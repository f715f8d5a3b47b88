import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError } from './errors.ts';
import { envName, readSettings, settingsHelp, type Setting } from './settings.ts';

const TABLE: Setting[] = [
  { flag: 'port', help: 'API port', default: '8080' },
  { flag: 'node-name', help: 'node', default: () => 'host-1' },
  { flag: 'store-file', help: 'file' },
  { flag: 'enable-dns', help: 'dns', default: 'true', boolean: true },
];

test('flag over environment over default, with the origin of each', () => {
  const { values, help } = readSettings(TABLE, ['--port', '9000', '--node-name=n2'], { NETMAPPER_PORT: '7000', NETMAPPER_STORE_FILE: '/data/s.json' });
  assert.not.ok(help);
  assert.equal(Object.fromEntries(values), {
    port: { value: '9000', origin: 'flag' }, 'node-name': { value: 'n2', origin: 'flag' },
    'store-file': { value: '/data/s.json', origin: 'NETMAPPER_STORE_FILE' }, 'enable-dns': { value: 'true', origin: 'default' },
  });
  assert.is(readSettings(TABLE, [], {}).values.get('node-name')!.value, 'host-1');
  assert.is(readSettings(TABLE, [], {}).values.has('store-file'), false);
  assert.is(envName('store-save-interval'), 'NETMAPPER_STORE_SAVE_INTERVAL');
});

test('switches: bare means true, a boolean word after it is its value, anything else is the next flag', () => {
  const v = (argv: string[]) => readSettings(TABLE, argv, {}).values.get('enable-dns')!.value;
  assert.is(v(['--enable-dns']), 'true');
  assert.is(v(['--enable-dns', 'false']), 'false');
  assert.is(v(['--enable-dns=no']), 'no');
  assert.is(readSettings(TABLE, ['--enable-dns', '--port', '1'], {}).values.get('port')!.value, '1');
});

test('help, and each bad command line named', () => {
  assert.ok(readSettings(TABLE, ['-h'], {}).help);
  assert.ok(readSettings(TABLE, ['--help'], {}).help);
  const cases: Array<[string[], string, RegExp]> = [
    [['--bogus', '1'], '--bogus', /unknown flag --bogus/],
    [['-p', '1'], '-p', /unknown flag -p/],
    [['stray'], 'stray', /unexpected argument "stray"/],
    [['--port'], '--port', /--port needs a value/],
    [['--', 'x'], '--', /unexpected argument/],
  ];
  for (const [argv, setting, msg] of cases) {
    try { readSettings(TABLE, argv, {}); assert.unreachable(argv.join(' ')); } catch (err) {
      assert.instance(err, ConfigError);
      assert.is((err as ConfigError).setting, setting);
      assert.is((err as ConfigError).code, 'invalid-config');
      assert.match((err as Error).message, msg);
    }
  }
});

test('help text lists every flag with its env and default', () => {
  const text = settingsHelp('Usage: x [flags]', TABLE);
  for (const s of TABLE) assert.match(text, new RegExp(`--${s.flag}[\\s\\S]*env ${envName(s.flag)}`));
  assert.match(text, /default "host-1"/);
});

test.run();
