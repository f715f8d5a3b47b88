// Builds sniffer/native/packet-stats.node (the kernel's drop counters of libpcap's packet sockets) with the system
// C compiler against this Node's N-API headers. Needs cc and the headers (Debian: build-essential, nodejs headers
// under <node prefix>/include/node or /usr/include/node). Without them the sniffer runs and says drops are not counted.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
export const ADDON_OUT = join(HERE, 'build', 'packet-stats.node');

const includeDir = [resolve(dirname(process.execPath), '..', 'include', 'node'), '/usr/include/node', '/usr/local/include/node']
  .find((d) => existsSync(join(d, 'node_api.h')));
if (!includeDir) {
  process.stderr.write('packet-stats: no node_api.h found (Node headers); capture drops will not be counted\n');
  process.exit(process.env.CI === 'true' ? 1 : 0);
}
mkdirSync(dirname(ADDON_OUT), { recursive: true });
const r = spawnSync(process.env.CC || 'cc', ['-O2', '-Wall', '-Wextra', '-Werror', '-shared', '-fPIC', '-DNODE_GYP_MODULE_NAME=packet_stats',
  `-I${includeDir}`, join(HERE, 'packet-stats.c'), '-o', ADDON_OUT], { stdio: 'inherit' });
if (r.error || r.status !== 0) {
  process.stderr.write(`packet-stats: cc failed (${r.error?.message ?? `exit ${r.status}`}); capture drops will not be counted\n`);
  process.exit(process.env.CI === 'true' ? 1 : 0);
}
