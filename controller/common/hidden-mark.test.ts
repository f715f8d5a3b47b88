import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { setHiddenMark } from './hidden-mark.ts';

const MARK = Symbol('test.mark');
type Marked = { name: string; [MARK]?: unknown };

test('a mark is read back from the object, and neither a spread copy, JSON nor Object.keys sees it', () => {
  const o: Marked = { name: 'a' };
  assert.ok(setHiddenMark(o, MARK, 1));
  assert.is(o[MARK], 1);
  assert.is(({ ...o } as Marked)[MARK], undefined);
  assert.is(JSON.stringify(o), '{"name":"a"}');
  assert.equal(Object.keys(o), ['name']);
  assert.equal(Object.getOwnPropertySymbols({ ...o }), []);
});

test('marking again replaces the value and keeps it hidden', () => {
  const o: Marked = { name: 'a' };
  setHiddenMark(o, MARK, 1);
  assert.ok(setHiddenMark(o, MARK, 2));
  assert.is(o[MARK], 2);
  assert.is(Object.getOwnPropertyDescriptor(o, MARK)!.enumerable, false);
});

test('an object that cannot take a new property is left as it is: false, no throw', () => {
  const frozen: Marked = Object.freeze({ name: 'a' });
  assert.is(setHiddenMark(frozen, MARK, 1), false);
  assert.is(frozen[MARK], undefined);
  assert.is(setHiddenMark(Object.seal({ name: 'b' }), MARK, 1), false);
});

test.run();
