import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger } from '../../common/log.ts';
import { createMetrics } from '../../common/metrics.ts';
import { createExpirySweep } from './expiry.ts';
import { createIntentStore } from './intent-store.ts';

const T0 = Date.parse('2026-11-21T10:00:00.000Z');
const id = (name: string) => ({ name, namespace: 'a', kind: 'Deployment' });
const obs = (client: string, lastSeen: number) => ({ client: id(client), server: id('db'), type: 'plain' as const, lastSeen, count: 1, source: 'tcp' as const });

test('a sweep that expires intents logs one JSON line (count, oldest) and counts them; an empty sweep is silent', async () => {
  let now = T0 + 60 * 60_000;
  const store = createIntentStore({ now: () => new Date(now) });
  store.add(obs('oldest', T0));
  store.add(obs('old', T0 + 10 * 60_000));
  store.add(obs('fresh', now - 1000));
  const lines: string[] = [];
  const metrics = createMetrics();
  const compacted: number[] = [];
  const sweep = createExpirySweep({ store, maxAgeMs: 30 * 60_000, logger: createLogger('info', (l) => lines.push(l), () => new Date(now)), metrics, onExpired: (r) => compacted.push(r.removed) });
  assert.equal(sweep(), { removed: 2, oldestLastSeen: T0 });
  assert.is(lines.length, 1);
  const line = JSON.parse(lines[0]!);
  assert.is(line.level, 'info');
  assert.is(line.event, 'intents-expired');
  assert.is(line.removed, 2);
  assert.is(line.oldestLastSeen, '2026-11-21T10:00:00.000Z');
  assert.is(line.remaining, 1);
  assert.match(line.msg, /expired 2 intents/);
  assert.equal(compacted, [2]);
  assert.equal(sweep(), { removed: 0 });
  assert.is(lines.length, 1, 'a sweep that removed nothing logs nothing');
  now += 60 * 60_000;
  sweep();
  const text = await metrics.render();
  assert.match(text, /netmapper_intents_expired_total 3/);
  assert.match(text, /netmapper_expiry_sweeps_total 2/);
});

test.run();
