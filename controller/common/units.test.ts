import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDuration, parseSize } from './units.ts';

// Four grammars once: the controller took 1h30m and 7d but not 1.5s; the sniffer took 1.5s but not 7d;
// `netmapper replay --min-server-age` took only one unit (1h30m refused); `since=` had a fifth.
test('durations: 0, ms, fractions, compounds and days, in one grammar', () => {
  const ok: Array<[string, number]> = [['0', 0], ['250ms', 250], ['30s', 30_000], ['1.5s', 1500], ['5m', 300_000], ['1m30s', 90_000],
    ['1h30m', 5_400_000], ['7d', 604_800_000], ['1d12h', 129_600_000], [' 2h ', 7_200_000]];
  for (const [t, ms] of ok) assert.is(parseDuration(t), ms, t);
  for (const bad of ['', '10', '5 m', 'm', '1.s', '-1s', '1y', '1h30', 'ms', '0s0']) assert.is(parseDuration(bad), undefined, bad);
});

// The controller took `--body-limit "8 Mi"` while the sniffer refused `--capture-buffer "8 Mi"`.
test('sizes: bytes and binary suffixes, with or without a space', () => {
  const ok: Array<[string, number]> = [['8388608', 8388608], ['512Ki', 524288], ['8Mi', 8388608], ['8 Mi', 8388608], ['8MiB', 8388608], ['1Gi', 1073741824], ['0', 0]];
  for (const [t, n] of ok) assert.is(parseSize(t), n, t);
  for (const bad of ['', '8M', '8mb', '1.5Mi', '-1', 'Mi', '99999999999999999Gi']) assert.is(parseSize(bad), undefined, bad);
});

test.run();
