// Socket scan: established client-side TCP sockets from /proc/<pid>/net/tcp{,6}, read once per
// network namespace. Catches long-lived connections that opened before the sniffer started, which
// no SYN will ever show. Ports are reported the right way round (the server's port), unlike Otterize.
//
// Least privilege (measured in socket-scan.int.test.ts): /proc/<pid>/net/tcp is readable by any user,
// while /proc/<pid>/ns/net, /environ and /root need ptrace access (CAP_SYS_PTRACE for other users'
// processes). So namespaces are told apart by the inode of their /proc/<pid>/net/tcp entry (each
// network namespace has its own proc entries, each with its own inode number: fs/proc/generic.c
// proc_register → proc_alloc_inum), no process environment or root file system is read, and no
// hostname is sent: the controller finds the client pod by IP at the time seen (time-indexed pod
// history), as for every other record.

import { readdir, readFile, stat } from 'node:fs/promises';
import { endianness } from 'node:os';
import { formatIpv6Groups, isLoopback, unmappedIpv4 } from '../../controller/common/ip.ts';
import type { Observation } from './observation.ts';

/** include/net/tcp_states.h */
const TCP_ESTABLISHED = 0x01;
const TCP_LISTEN = 0x0a;
const LITTLE_ENDIAN = endianness() === 'LE';

export interface SocketScanResult {
  observations: Observation[];
  /** Network namespaces read (distinct net/tcp proc entries; the scanner's own skipped). */
  namespaces: number;
  /** Processes skipped because they vanished or could not be read. */
  unreadable: number;
  /** Lines in tcp/tcp6 files that did not parse. */
  badLines: number;
}

export interface SocketScanner {
  scan(nowTs: number): Promise<SocketScanResult>;
}

interface Socket {
  localIp: string;
  localPort: number;
  remoteIp: string;
  remotePort: number;
  state: number;
}

/** One /proc/net/tcp{,6} row: `sl local rem st ...`, addresses as hex in host byte order, ports big-endian hex. */
export function parseSocketLine(line: string): Socket | undefined {
  const f = line.trim().split(/\s+/);
  if (f.length < 4 || !f[0]!.endsWith(':')) return undefined;
  const local = parseEndpoint(f[1]!), remote = parseEndpoint(f[2]!);
  const state = /^[0-9A-Fa-f]{2}$/.test(f[3]!) ? parseInt(f[3]!, 16) : NaN;
  if (!local || !remote || Number.isNaN(state)) return undefined;
  return { localIp: local[0], localPort: local[1], remoteIp: remote[0], remotePort: remote[1], state };
}

function parseEndpoint(text: string): [string, number] | undefined {
  const m = /^([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})$/.exec(text);
  if (!m) return undefined;
  const hex = m[1]!;
  const bytes: number[] = [];
  for (let w = 0; w < hex.length; w += 8) {
    const word = parseInt(hex.slice(w, w + 8), 16);
    const order = LITTLE_ENDIAN ? [0, 8, 16, 24] : [24, 16, 8, 0];
    for (const shift of order) bytes.push((word >>> shift) & 0xff);
  }
  const port = parseInt(m[2]!, 16);
  if (bytes.length === 4) return [bytes.join('.'), port];
  const groups = Array.from({ length: 8 }, (_, i) => (bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
  return [unmappedIpv4(groups) ?? formatIpv6Groups(groups), port];
}

/**
 * Client-side established sockets of one namespace: skip loopback on either end and any socket
 * whose local port is a LISTEN port there (that is the server's half of an accepted connection).
 * LISTEN ports are gathered from tcp and tcp6 together: a `[::]` listener also accepts IPv4.
 */
export function clientSockets(sockets: Socket[]): Socket[] {
  const listening = new Set<number>();
  for (const s of sockets) if (s.state === TCP_LISTEN) listening.add(s.localPort);
  return sockets.filter((s) => s.state === TCP_ESTABLISHED && !listening.has(s.localPort) && !isLoopback(s.localIp) && !isLoopback(s.remoteIp));
}

async function readLines(path: string, out: Socket[]): Promise<number> {
  let text: string;
  try { text = await readFile(path, 'latin1'); } catch { return 0; } // tcp6 absent without IPv6
  let bad = 0;
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) { // line 0 is the column header
    if (lines[i]!.trim() === '') continue;
    const s = parseSocketLine(lines[i]!);
    if (s) out.push(s); else bad++;
  }
  return bad;
}

/** The network namespace's identity as any user may read it: device and inode of its `net/tcp` proc entry. */
async function netnsKey(pidDir: string): Promise<string> {
  const s = await stat(`${pidDir}/net/tcp`);
  return `${s.dev}:${s.ino}`;
}

export interface SocketScannerOptions {
  hostProc: string;
  /** Skip the scanner's own network namespace (the node's, for a host-network sniffer: node addresses are
   *  never a workload). Default true. */
  skipOwnNamespace?: boolean;
}

export function createSocketScanner(opts: SocketScannerOptions): SocketScanner {
  const root = opts.hostProc.replace(/\/+$/, '');
  return {
    async scan(nowTs) {
      const result: SocketScanResult = { observations: [], namespaces: 0, unreadable: 0, badLines: 0 };
      const seen = new Set<string>();
      if (opts.skipOwnNamespace ?? true) try { seen.add(await netnsKey('/proc/self')); } catch { /* no /proc: nothing to skip */ }
      const pids = (await readdir(root)).filter((d) => /^\d+$/.test(d));
      for (const pid of pids) {
        const dir = `${root}/${pid}`;
        let netns: string;
        try { netns = await netnsKey(dir); } catch { result.unreadable++; continue; }   // gone, or a kernel thread
        if (seen.has(netns)) continue;
        seen.add(netns);
        result.namespaces++;
        const sockets: Socket[] = [];
        result.badLines += await readLines(`${dir}/net/tcp`, sockets);
        result.badLines += await readLines(`${dir}/net/tcp6`, sockets);
        for (const s of clientSockets(sockets)) {
          result.observations.push({ source: 'socket', srcIp: s.localIp, destination: s.remoteIp, destinationIp: s.remoteIp, destinationPort: s.remotePort, ts: nowTs });
        }
      }
      return result;
    },
  };
}
