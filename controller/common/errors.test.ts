import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError, NetmapperError, ReportValidationError } from './errors.ts';
import { ObjectFieldError, OwnerReadError } from '../src/cluster/errors.ts';

test('one shape: name (the class), a stable code, an optional cause', () => {
  const cause = new Error('root');
  const errors: Array<[NetmapperError, string, string]> = [
    [new ConfigError('--port', 'must be 1-65535', { cause }), 'ConfigError', 'invalid-config'],
    [new ReportValidationError('records[0].srcIp', 'bad'), 'ReportValidationError', 'invalid-report'],
    [new ObjectFieldError('Pod', 'p', 'status.podIP', 'is not an IP'), 'ObjectFieldError', 'object-field'],
    [new OwnerReadError('apps/v1', 'ReplicaSet', 'ns', 'rs', { cause }), 'OwnerReadError', 'owner-read'],
  ];
  for (const [e, name, code] of errors) {
    assert.instance(e, NetmapperError);
    assert.is(e.name, name);
    assert.is(e.code, code);
  }
  assert.is(errors[0][0].cause, cause);
  assert.is(errors[0][0].message, '--port: must be 1-65535');
  assert.is(new ConfigError('--x', 'invalid --x (flag) "1": no').message, 'invalid --x (flag) "1": no', 'a message that names the setting is kept');
});

test.run();
