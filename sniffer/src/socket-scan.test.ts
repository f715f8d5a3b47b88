// Unit test over a /proc-shaped tree whose lines use the kernel's exact format. The live version,
// against real sockets in network namespaces, is socket-scan.int.test.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { link, mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSocketScanner, parseSocketLine } from './socket-scan.ts';

const HDR4 = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const HDR6 = '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const row = (i: number, l: string, r: string, st: string) => `   ${i}: ${l} ${r} ${st} 00000000:00000000 00:00000000 00000000     0        0 ${1000 + i} 1 0000000000000000 100 0 0 10 0\n`;

test('parses IPv4 (little-endian words) and IPv6 rows; ports are big-endian', () => {
  const s = parseSocketLine(row(1, '03074D0A:BB76', '04074D0A:1B58', '01'));
  assert.equal(s, { localIp: '10.77.7.3', localPort: 47990, remoteIp: '10.77.7.4', remotePort: 7000, state: 1 });
  const v6 = parseSocketLine(row(2, '6D6E00FD00006E730000000003000000:9C40', '6D6E00FD00006E730000000004000000:1B59', '01'));
  assert.equal(v6, { localIp: 'fd00:6e6d:736e::3', localPort: 40000, remoteIp: 'fd00:6e6d:736e::4', remotePort: 7001, state: 1 });
  const mapped = parseSocketLine(row(3, '0000000000000000FFFF000003074D0A:9C41', '0000000000000000FFFF000004074D0A:0050', '01'));
  assert.equal(mapped?.localIp, '10.77.7.3');
  assert.equal(mapped?.remoteIp, '10.77.7.4');
  assert.is(parseSocketLine('garbage'), undefined);
  assert.is(parseSocketLine('   0: 0300:BB76 04074D0A:1B58 01'), undefined);
});

test('scan: client side only, right ports, once per netns (same net/tcp entry), loopback skipped, no process environment read', async () => {
  const proc = await mkdtemp(join(tmpdir(), 'nmsn-proc-'));
  try {
    // A netns is told apart by its net/tcp entry's inode: processes of one netns share it (a hard link here).
    const pid = async (n: number, files: { sameNetnsAs?: number; tcp?: string; tcp6?: string }) => {
      const d = join(proc, String(n));
      await mkdir(join(d, 'net'), { recursive: true });
      await writeFile(join(d, 'environ'), 'HOSTNAME=must-not-be-read\0');
      for (const f of ['tcp', 'tcp6'] as const) {
        if (files.sameNetnsAs !== undefined) await link(join(proc, String(files.sameNetnsAs), 'net', f), join(d, 'net', f)).catch(() => {});
        else if (files[f] !== undefined) await writeFile(join(d, 'net', f), files[f]!);
      }
    };
    const podA = HDR4
      + row(0, '00000000:1F90', '00000000:0000', '0A') // LISTEN :8080
      + row(1, '03074D0A:1F90', '05074D0A:D431', '01') // accepted on :8080 → server side, skipped
      + row(2, '03074D0A:BB76', '04074D0A:1B58', '01') // client → 10.77.7.4:7000 → reported
      + row(3, '0100007F:9C40', '0100007F:1F90', '01') // loopback → skipped
      + row(4, '03074D0A:BB77', '04074D0A:0050', '06'); // TIME_WAIT → skipped
    const podA6 = HDR6
      + row(0, '00000000000000000000000000000000:1F91', '00000000000000000000000000000000:0000', '0A') // [::]:8081
      + row(1, '0000000000000000FFFF000003074D0A:1F91', '0000000000000000FFFF000006074D0A:A000', '01') // accepted via mapped v4
      + row(2, '6D6E00FD00006E730000000003000000:9C40', '6D6E00FD00006E730000000004000000:1B59', '01'); // v6 client → :7001
    await pid(10, { tcp: podA, tcp6: podA6 });
    await pid(11, { sameNetnsAs: 10 }); // same netns: not read again
    await pid(20, { tcp: HDR4 + row(0, '0A074D0A:C000', '04074D0A:01BB', '01') + 'junk line\n' });
    await pid(30, { tcp: HDR4 + row(0, '0B074D0A:C000', '04074D0A:01BB', '01') });
    await mkdir(join(proc, 'self')); // non-numeric entries are ignored
    await mkdir(join(proc, '40')); // a process gone (or a kernel thread): counted unreadable
    const r = await createSocketScanner({ hostProc: proc + '/' }).scan(1000.5);
    assert.equal(r.observations, [
      { source: 'socket', srcIp: '10.77.7.3', destination: '10.77.7.4', destinationIp: '10.77.7.4', destinationPort: 7000, ts: 1000.5 },
      { source: 'socket', srcIp: 'fd00:6e6d:736e::3', destination: 'fd00:6e6d:736e::4', destinationIp: 'fd00:6e6d:736e::4', destinationPort: 7001, ts: 1000.5 },
      { source: 'socket', srcIp: '10.77.7.10', destination: '10.77.7.4', destinationIp: '10.77.7.4', destinationPort: 443, ts: 1000.5 },
      { source: 'socket', srcIp: '10.77.7.11', destination: '10.77.7.4', destinationIp: '10.77.7.4', destinationPort: 443, ts: 1000.5 },
    ]);
    assert.equal([r.namespaces, r.badLines, r.unreadable], [3, 1, 1]);
  } finally {
    await rm(proc, { recursive: true, force: true });
  }
});

test.run();
