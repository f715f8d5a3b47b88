import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger } from './log.ts';

test('one JSON line per entry at or above the level, fields merged', () => {
  const lines: string[] = [];
  const log = createLogger('info', (l) => lines.push(l), () => new Date('2026-11-21T10:00:00Z'));
  log.debug('hidden');
  log.info('listening', { port: 8080 });
  log.error('boom\nsecond line');
  assert.equal(lines.map((l) => JSON.parse(l)), [
    { time: '2026-11-21T10:00:00.000Z', level: 'info', msg: 'listening', port: 8080 },
    { time: '2026-11-21T10:00:00.000Z', level: 'error', msg: 'boom\nsecond line' },
  ]);
  assert.ok(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n')), 'a newline in a message stays inside one line');
});

test.run();
