// `netmapper decode` as a user runs it: through the CLI dispatcher, in a child process.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { copyFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suiteNeeds } from '../../../fixtures/test-support/needs.ts';
suiteNeeds('netmapper decode process', []);

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PCAP = 'fixtures/pcap/';
const tmp = mkdtempSync(join(tmpdir(), 'cli-decode-'));

function netmapper(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'controller/src/cli/main.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => { out += c; });
    child.stderr.on('data', (c) => { err += c; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`netmapper ${args.join(' ')} timed out`)); }, 30_000);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, out, err }); });
  });
}

test('decode prints one JSON object per record, fields in the documented order', async () => {
  const r = await netmapper(['decode', PCAP + 'tcpdump__dns_tcp.pcap']);
  assert.is(r.code, 0, r.err);
  const lines = r.out.trim().split('\n');
  assert.is(lines.length, 3);
  assert.is(lines[0], '{"kind":"syn","ts":1591780863.720289,"src":"192.168.1.11","dst":"209.87.249.18","sport":33779,"dport":53,"transport":"tcp"}');
  assert.is(lines[1], '{"kind":"synack","ts":1591780863.846908,"src":"209.87.249.18","dst":"192.168.1.11","sport":53,"dport":33779,"transport":"tcp"}');
  assert.is(lines[2], '{"kind":"dns","ts":1591780863.97318,"src":"209.87.249.18","dst":"192.168.1.11","sport":53,"dport":33779,"transport":"tcp",'
    + '"name":"www.tcpdump.org","rcode":0,"answers":[{"name":"www.tcpdump.org","type":"A","value":"192.139.46.66","ttl":60},'
    + '{"name":"www.tcpdump.org","type":"A","value":"198.199.88.104","ttl":60}]}');
  const summary = r.err.trim().split('\n');
  assert.is(summary.length, 1, r.err);
  assert.is(summary[0], 'decode: 1 file(s), 11 frames read, 3 records (dns=1 syn=1 synack=1), skipped: dns-query=1 not-dns-or-syn=7');
});

test('decode of a CNAME chain and IPv6 keeps wire order', async () => {
  const r = await netmapper(['decode', PCAP + 'pcapplusplus__linktype_ipv4.pcap', PCAP + 'dnscap__dns6.pcap']);
  assert.is(r.code, 0, r.err);
  const recs = r.out.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(recs[0].answers.map((a: { type: string; value: string }) => `${a.type} ${a.value}`), [
    'CNAME www.ynet.co.il.edgekey.net', 'CNAME e12476.b.akamaiedge.net', 'A 23.221.143.117',
  ]);
  assert.is(recs[1].src, '2001:4860:4860::8888');
  assert.match(r.err, /^decode: 2 file\(s\), 4 frames read, 2 records/);
});

test('a file that is not a capture: clear error naming it, exit 1, other files still decoded', async () => {
  const bad = join(tmp, 'notes.pcap');
  writeFileSync(bad, 'this is not a capture\n');
  const r = await netmapper(['decode', bad, PCAP + 'tcpdump__dns_udp.pcap']);
  assert.is(r.code, 1);
  assert.match(r.err, `netmapper decode: ${bad}: not a capture file: expected a pcap`);
  assert.is(r.out.trim().split('\n').length, 1);
  const missing = await netmapper(['decode', join(tmp, 'nope.pcap')]);
  assert.is(missing.code, 1);
  assert.match(missing.err, 'nope.pcap: no such file');
});

test('no arguments: usage and exit 2; --help: usage and exit 0; unknown flag: exit 2', async () => {
  const none = await netmapper(['decode']);
  assert.is(none.code, 2);
  assert.match(none.err, 'Usage: netmapper decode CAPTURE...');
  const help = await netmapper(['decode', '--help']);
  assert.is(help.code, 0);
  assert.match(help.out, 'Usage: netmapper decode CAPTURE...');
  const flag = await netmapper(['decode', '--frobnicate', PCAP + 'tcpdump__dns_udp.pcap']);
  assert.is(flag.code, 2);
  assert.match(flag.err, "unknown flag '--frobnicate'");
});

test('a FIFO is refused as replay refuses it (not read forever); `--` ends the flags, so a file named -x decodes', async () => {
  const fifo = join(tmp, 'pipe');
  assert.is(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
  const r = await netmapper(['decode', fifo]);
  assert.is(r.code, 1);
  assert.match(r.err, `${fifo}: not a regular file`);
  copyFileSync(join(ROOT, PCAP, 'tcpdump__dns_udp.pcap'), join(tmp, '-x'));
  const dashed = await new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href, join(ROOT, 'controller/src/cli/main.ts'), 'decode', '--', '-x'], { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => { out += c; });
    child.on('close', (code) => resolve({ code, out }));
  });
  assert.is(dashed.code, 0);
  assert.match(dashed.out, /"kind":"dns"/);
});


test('a reader that stops early (`decode F | head`): exit 141 as SIGPIPE would, no stack trace', async () => {
  const capture = join(ROOT, 'fixtures/online-boutique/capture.pcap');
  const r = await new Promise<{ code: number | null; err: string }>((resolve) => {
    // 300 copies: far more JSON than a pipe buffer holds, so writes go on after the reader is gone.
    const child = spawn(process.execPath, ['--import', 'tsx', 'controller/src/cli/main.ts', 'decode', ...Array(300).fill(capture)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c) => { err += c; });
    child.stdout.once('data', () => child.stdout.destroy());   // read one chunk, then close our end, as head does
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, err }); });
  });
  assert.is(r.code, 141, r.err);
  assert.not.match(r.err, /EPIPE|Unhandled|at /);
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
