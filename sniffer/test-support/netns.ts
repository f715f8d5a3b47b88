// Test harness: a "node" network namespace holding a bridge, and "pods" (one namespace each)
// plugged into it by veth pairs created directly inside the node namespace. Nothing is ever added
// to the root namespace, and nothing in these namespaces can reach it. Every child process is
// tracked and killed, and every namespace deleted, by `cleanup()` (also on process exit).

import { spawn, execFileSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readdirSync } from 'node:fs';

export const PREFIX = 'nmsn';
export const SUBNET4 = '10.231.7';
export const SUBNET6 = 'fd00:6e6d:736e:7';

export interface PodSpec {
  name: string;
  /** Host part: the pod gets SUBNET4.<host>/24 and SUBNET6::<host>/64. */
  host: number;
}

export interface Pod {
  ns: string;
  ip4: string;
  ip6: string;
}

export interface Topology {
  node: string;
  pods: Record<string, Pod>;
  /** Starts a tracked child inside a namespace (its own process group, so cleanup kills pipelines too). */
  spawn(ns: string, cmd: string, args: string[], opts?: SpawnOptions): ChildProcess;
  /** Runs to completion inside a namespace, bounded by `timeoutMs`; rejects on a non-zero exit. */
  run(ns: string, cmd: string, args: string[], timeoutMs?: number, env?: NodeJS.ProcessEnv): Promise<string>;
  cleanup(): Promise<void>;
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

/** Removes namespaces left by an earlier run of ours that died without cleaning up. */
function reapStale(): void {
  let names: string[] = [];
  try { names = readdirSync('/run/netns'); } catch { return; }
  for (const n of names) {
    const m = new RegExp(`^${PREFIX}(\\d+)x`).exec(n);
    if (m && !alive(Number(m[1]))) try { ip('netns', 'del', n); } catch { /* already gone */ }
  }
}

let seq = 0;

export async function createTopology(specs: PodSpec[]): Promise<Topology> {
  reapStale();
  const tag = `${PREFIX}${process.pid}x${seq++}`;
  const namespaces: string[] = [];
  const children = new Set<ChildProcess>();
  const node = `${tag}-node`;

  const killAll = () => {
    for (const c of children) {
      if (c.exitCode === null && c.signalCode === null && c.pid) try { process.kill(-c.pid, 'SIGKILL'); } catch { /* gone */ }
    }
  };
  const delAll = () => {
    for (const n of namespaces.splice(0).reverse()) try { ip('netns', 'del', n); } catch { /* gone */ }
  };
  const onExit = () => { killAll(); delAll(); };
  process.once('exit', onExit);

  const topo: Topology = {
    node,
    pods: {},
    spawn(ns, cmd, args, opts = {}) {
      const child = spawn('ip', ['netns', 'exec', ns, cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...opts, detached: true });
      children.add(child);
      child.once('exit', () => children.delete(child));
      return child;
    },
    run(ns, cmd, args, timeoutMs = 10_000, env) {
      return new Promise((resolve, reject) => {
        const child = topo.spawn(ns, cmd, args, env ? { env } : {});
        let out = '', err = '';
        child.stdout!.on('data', (d) => { out += d; });
        child.stderr!.on('data', (d) => { err += d; });
        const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } reject(new Error(`${cmd} ${args.join(' ')} timed out after ${timeoutMs} ms`)); }, timeoutMs);
        child.once('exit', (code) => {
          clearTimeout(timer);
          if (code === 0) resolve(out);
          else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err.trim()}`));
        });
      });
    },
    async cleanup() {
      killAll();
      const deadline = Date.now() + 3000;
      while ([...children].some((c) => c.exitCode === null && c.signalCode === null) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      delAll();
      process.removeListener('exit', onExit);
    },
  };

  try {
    ip('netns', 'add', node);
    namespaces.push(node);
    ip('-n', node, 'link', 'set', 'lo', 'up');
    // mcast_snooping 0: otherwise IPv6 neighbour discovery through the bridge can stall.
    ip('-n', node, 'link', 'add', 'br0', 'type', 'bridge', 'mcast_snooping', '0');
    ip('-n', node, 'link', 'set', 'br0', 'up');
    for (const s of specs) {
      const ns = `${tag}-${s.name}`;
      ip('netns', 'add', ns);
      namespaces.push(ns);
      const veth = `v${s.host}`;
      ip('-n', node, 'link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
      ip('-n', node, 'link', 'set', veth, 'master', 'br0', 'up');
      const ip4 = `${SUBNET4}.${s.host}`, ip6 = `${SUBNET6}::${s.host}`;
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      ip('-n', ns, 'addr', 'add', `${ip4}/24`, 'dev', 'eth0');
      ip('-n', ns, '-6', 'addr', 'add', `${ip6}/64`, 'dev', 'eth0', 'nodad');
      ip('-n', ns, 'link', 'set', 'eth0', 'up');
      topo.pods[s.name] = { ns, ip4, ip6 };
    }
  } catch (err) {
    await topo.cleanup();
    throw err;
  }
  return topo;
}

/** Waits for `pred` to hold, polling; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, pred: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await pred();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
