// Web map benchmark (`npm run bench:web`): the page served by the export/web routes over a synthetic map of 12, 60,
// 300 and 1,000 workloads (three connections each), opened in headless Chromium. Prints, per size: graph.json CPU time
// in the controller; first render (navigation start → first frame with the map) in wall time and as CPU time of the
// whole Chromium process tree (wall time swings with the machine's load; CPU time much less); and interactions: search,
// select a node, unfold a namespace, apply a namespace filter. Numbers are printed, never asserted.
// Sizes: NETMAPPER_BENCH_WORKLOADS=12,60,300,1000 (default); screenshots in NETMAPPER_SCREENSHOT_DIR (/tmp/netmapper-web).

import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { launchChromium } from '../../fixtures/test-support/chromium.ts';
import { serveSyntheticMap } from '../../fixtures/test-support/map-server.ts';
import { openMap } from '../../fixtures/test-support/page-driver.ts';

const sizes = (process.env.NETMAPPER_BENCH_WORKLOADS ?? '12,60,300,1000').split(',').map(Number).filter((n) => n > 0);
const SHOTS = process.env.NETMAPPER_SCREENSHOT_DIR ?? '/tmp/netmapper-web';
const TICK_MS = 10;   // /proc CPU times are in clock ticks (USER_HZ = 100)

/** CPU milliseconds (user + system) of every process descended from this one (Chromium and its helpers). */
function childCpuMs(): number {
  const parent = new Map<number, number>(), cpu = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');   // fields from 3 (state) on
      parent.set(Number(d), Number(f[1]));
      cpu.set(Number(d), (Number(f[11]) + Number(f[12])) * TICK_MS);
    } catch { /* gone meanwhile */ }
  }
  let total = 0;
  for (const [pid, ms] of cpu) {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === process.pid) { total += ms; break; }
  }
  return total;
}

const ms = (n: number | undefined) => (n === undefined ? '—' : `${Math.round(n)}`);

async function main(): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on this machine; times in ms`);
  console.log('workloads edges | graph.json cpu | first render wall, chromium cpu (layout) | search select clear unfold filter (wall)');
  const browser = await launchChromium();
  try {
    for (const n of sizes) {
      const srv = await serveSyntheticMap({ workloads: n, edges: n * 3, namespaces: Math.min(20, Math.ceil(n / 4)) });
      try {
        const c0 = process.cpuUsage();
        const body = await (await fetch(`${srv.base}api/v1/graph.json`)).text();
        const apiCpu = process.cpuUsage(c0);
        const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
        await page.goto('about:blank');
        const cpu0 = childCpuMs();
        const t = await openMap(page, srv.base);
        const renderCpu = childCpuMs() - cpu0;
        await page.screenshot({ path: `${SHOTS}/bench-${n}.png` });
        // A string, not a function: the TypeScript loader would wrap named helpers in calls the page does not have.
        const inter = await page.evaluate(`(async () => {
          const nv = window.netmapperView, v = nv.view;
          const time = (f) => { const t0 = performance.now(); f(); return performance.now() - t0; };
          const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
          // Search for a workload in a folded namespace at 300+ (unfolds it), then select one already drawn.
          const search = time(() => v.find('app-7'));
          await frame();
          const id = v.cy.nodes('.workload').filter((n) => n.id() !== v.selected()).first().id();
          const select = time(() => v.select(id));
          await frame();
          const clear = time(() => v.select(''));
          const g = v.collapsed().find((x) => x !== 'ns-7') ?? 'ns-2';
          const unfold = time(() => v.toggleGroup(g, !v.isCollapsed(g)));
          await frame();
          const t0 = performance.now();
          nv.state.namespaces = ['ns-0', 'ns-1'];
          await nv.load();
          await frame();
          return { search, select, clear, unfold, filter: performance.now() - t0 };
        })()`) as Record<string, number>;
        console.log(`${String(n).padStart(9)} ${String(n * 3).padStart(5)} | ${ms((apiCpu.user + apiCpu.system) / 1000).padStart(6)} (${(body.length / 1024).toFixed(0)} KiB)`
          + ` | ${ms(t.firstRender).padStart(6)} ${ms(renderCpu).padStart(6)} (${ms(t.layout)})`
          + ` | ${ms(inter.search)} ${ms(inter.select)} ${ms(inter.clear)} ${ms(inter.unfold)} ${ms(inter.filter)}`);
        await page.close();
      } finally {
        await srv.close();
      }
    }
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => { console.error(err); process.exit(1); });
