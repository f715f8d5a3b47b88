import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isObject } from './is-object.ts';

test('isObject: a mapping, whatever its prototype; not null, an array or a scalar', () => {
  const mappings: Array<[string, unknown]> = [['{}', {}], ['{ a: 1 }', { a: 1 }], ['JSON __proto__ key', JSON.parse('{"__proto__": 1}')], ['null prototype', Object.create(null)], ['a Date', new Date(0)]];
  for (const [name, v] of mappings) assert.ok(isObject(v), name);
  for (const v of [null, undefined, [], [1], '{}', 0, true]) assert.not.ok(isObject(v), JSON.stringify(v));
});

test.run();
