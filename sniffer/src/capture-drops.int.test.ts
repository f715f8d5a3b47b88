// The packet-stats addon against the real kernel: libpcap (through cap) captures on the loopback of a network
// namespace this test makes, the process stops reading while a second process floods UDP datagrams into it, and the addon reads the
// drops the kernel counted on that socket, then zero once they have been read (so the sniffer must keep totals).
import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO_DIR } from '../../fixtures/test-support/helm.ts';
import { suiteNeeds } from '../../fixtures/test-support/needs.ts';
import { ADDON_PATH, loadPacketStats } from './capture-drops.ts';
suiteNeeds('capture drops (packet-stats addon)', ['netns']);

const NETNS = `nmdrops-${process.pid}`;
process.once('exit', () => spawnSync('ip', ['netns', 'del', NETNS], { stdio: 'ignore' }));

// Runs inside the namespace: open a small capture on lo, start a flood, stop reading for 3 s, read the counters twice.
const CHILD = `
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
const require = createRequire(process.cwd() + '/');
const { Cap } = require('cap');
const { readPacketSocketStats } = require(${JSON.stringify(ADDON_PATH)});
const cap = new Cap();
const buf = Buffer.alloc(65535);
cap.open('lo', 'udp port 9', 1 << 20, buf);
cap.on('packet', () => {});
const before = readPacketSocketStats();
const FLOOD = "const s = require('node:dgram').createSocket('udp4'); const b = Buffer.alloc(1200); let n = 0; const go = () => { for (let i = 0; i < 200; i++) s.send(b, 9, '127.0.0.1'); if (++n < 500) setImmediate(go); else s.close(); }; go();";
const flood = spawn(process.execPath, ['-e', FLOOD], { stdio: 'ignore' });
const until = Date.now() + 3000;
while (Date.now() < until) { /* not reading: the ring fills and the kernel drops */ }
const first = readPacketSocketStats();
const second = readPacketSocketStats();
flood.kill();
cap.close();
console.log(JSON.stringify({ before, first, second }));
`;

test("the addon reads the kernel's drop count of libpcap's socket, which resets on read", () => {
  assert.is(typeof loadPacketStats(), 'function', `addon built at ${ADDON_PATH}`);
  assert.is(spawnSync('ip', ['netns', 'add', NETNS]).status, 0);
  spawnSync('ip', ['-n', NETNS, 'link', 'set', 'lo', 'up']);
  const r = spawnSync('ip', ['netns', 'exec', NETNS, process.execPath, '--input-type=module', '-e', CHILD], { cwd: REPO_DIR, encoding: 'utf8', timeout: 60_000 });
  assert.is(r.status, 0, r.stderr);
  const { before, first, second } = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
  assert.equal(before.length, 1, 'one packet socket: the capture');
  assert.is(before[0].device, 'lo');
  assert.is(first[0].fd, before[0].fd);
  assert.ok(first[0].drops > 0, `drops counted: ${JSON.stringify(first)}`);
  assert.ok(first[0].packets >= first[0].drops, 'tp_packets includes the drops');
  assert.is(second[0].drops, 0, 'the kernel zeroed the counter at the first read');
});

test.run();
