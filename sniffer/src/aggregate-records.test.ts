import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ISO_FIXED_MAX_MS, isoOfMs, isoText } from './aggregate-records.ts';

test('isoText and isoOfMs are toISOString: every year of the fixed form, day and second boundaries, in any order', () => {
  let seed = 7;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const times: number[] = [];
  for (let i = 0; i < 20_000; i++) times.push(Math.floor(random() * ISO_FIXED_MAX_MS));
  for (const day of [0, 1, 10_957, 19_723, 2_932_896]) for (const d of [-1001, -1000, -999, -1, 0, 1, 999, 1000, 59_999, 60_000, 3_599_999, 3_600_000]) {
    const ms = day * 86_400_000 + d;
    if (ms >= 0) times.push(ms);
  }
  // Runs of one second and of one day, as replay asks (the cached day and second are reused), then back in time.
  for (let ms = 1_700_000_000_000; ms < 1_700_000_000_000 + 200_000; ms += 997) times.push(ms);
  times.push(1_700_000_000_000 - 86_400_000, 86_399_999, 86_400_000, 0);
  for (const ms of times) {
    const want = new Date(ms).toISOString();
    assert.is(isoText(ms), want, `isoText(${ms})`);
    assert.is(isoOfMs(ms), want, `isoOfMs(${ms})`);
  }
});

test('outside years 0000–9999 both answer as toISOString does', () => {
  for (const ms of [-1, -62_167_219_200_000, ISO_FIXED_MAX_MS, ISO_FIXED_MAX_MS + 1, 8.64e15]) {
    assert.is(isoText(ms), new Date(ms).toISOString());
    assert.is(isoOfMs(ms), new Date(ms).toISOString());
  }
});

test.run();
