import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLineSplitter } from './line-splitter.ts';

test('line splitter: LF and CRLF, chunks split anywhere (also inside UTF-8), over-long lines cut and flagged', async () => {
  const got: [string, boolean][] = [];
  const s = createLineSplitter((l, t) => got.push([l, t]), 10);
  const bytes = Buffer.from('ab\r\ncé\nxxxxxxxxxxxxxxxxxxxxxxxx\nok\npart');
  for (let i = 0; i < bytes.length; i += 3) s.write(bytes.subarray(i, i + 3));
  s.flushPartial();
  assert.equal(got, [['ab', false], ['cé', false], ['xxxxxxxxxx', true], ['ok', false], ['part', false]]);
});

test.run();
