// Restart of a large store: builds a 200k-intent store (snapshot + a 20k-record log tail) with the durable
// store, then times what a restart does (read + parse + check the snapshot, rebuild the entries, replay the
// log) twice, printing wall and CPU time and the load average (wall is CPU times the machine's contention).
//   node --import tsx controller/bench/store-restart.ts [intents=200000]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { createDurableStore } from '../src/store/durable-store.ts';
import { createIntentStore } from '../src/store/intent-store.ts';
const N = Number(process.argv[2] ?? 200_000);
const dir = mkdtempSync(join(tmpdir(), 'nm-restart-'));
const path = join(dir, 'store.json');
{
  const d = createDurableStore({ path });
  const s = createIntentStore({ journal: d.journal, maxIntents: N });
  await d.open(s);
  for (let i = 0; i < N; i++) s.add({ client: { name: `c-${i % 5000}`, namespace: `ns-${i % 100}`, kind: 'Deployment', labels: { app: `c-${i % 5000}`, 'pod-template-hash': '7d9f8b6c5' } }, server: { name: `s-${i}`, namespace: `ns-${(i * 7) % 100}`, kind: 'Deployment', labels: { app: `s-${i}` } }, type: 'plain', lastSeen: Date.now() - i, count: 1, source: 'tcp' });
  await d.commit();
  await d.compact();
  for (let i = 0; i < 20000; i++) s.add({ client: { name: `c-${i % 5000}`, namespace: `ns-${i % 100}`, kind: 'Deployment' }, server: { name: `s-${i}`, namespace: `ns-${(i * 7) % 100}`, kind: 'Deployment' }, type: 'plain', lastSeen: Date.now(), count: 1, source: 'tcp' });
  await d.commit();
}
for (let r = 0; r < 2; r++) {
const t0 = performance.now(); const c0 = process.cpuUsage();
const d = createDurableStore({ path });
const s = createIntentStore({ journal: d.journal, maxIntents: N });
const res = await d.open(s);
const cc = process.cpuUsage(c0);
console.log(`open: ${s.size()} intents (${(statSync(path).size / 1048576).toFixed(0)} MiB snapshot + ${res.replayed} log records) in ${Math.round(performance.now() - t0)} ms wall, ${Math.round((cc.user + cc.system) / 1000)} ms CPU; load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
}
rmSync(dir, { recursive: true, force: true });
