// Web map benchmark (`npm run bench:web`): the page served by the export/web routes over a synthetic map of 12, 60,
// 300 and 1,000 workloads (three connections each), opened in headless Chromium, several times per size (a new
// browser context each time: nothing cached). Prints medians, per size:
// - graph.json: the controller's CPU time for one request, and its size;
// - first render: navigation start → the first frame with the map drawn (main.ts's `timings.firstRender`, the figure
//   the browser test prints too; bundle download, compile, graph fetch, layout and drawing included), in wall time,
//   as CPU time of the whole Chromium process tree, and as CPU time of the page's main thread (Chromium's ThreadTime
//   metric: the steadiest figure when the machine is loaded; wall time swings with the load), with where the wall
//   time went: script start, graph received, layout, fit, first frame;
// - interactions, from the call to the next drawn frame, each after NETMAPPER_BENCH_SETTLE_MS (500) of idle: search
//   (at 300+ it unfolds the match's namespace and selects the match), select another node, clear the selection,
//   select a node with nothing selected and clear that, unfold (or fold) a namespace, apply a namespace filter
//   (refetch and redraw); in wall time, and as CPU time of the page's main thread over the same span (ThreadTime
//   before and after: what the interaction cost the page, whatever else ran on the machine). An interaction that
//   draws progressively (search: the match and its neighbours first, the rest of its namespace over the next frames;
//   unfold: the opened box with the workloads nearest the middle of the view first) has two figures, `first/complete`: to the end of the first frame drawn (the match shown), and to the frame after
//   the last chunk is added (for a page that draws in one go, the next frame, as for the others); its first CPU
//   figure is read a frame later, so it includes the first chunk.
// The load average is printed before and after: compare figures taken at similar loads. Numbers are printed, never
// asserted. NETMAPPER_BENCH_WORKLOADS=12,60,300,1000 (default), NETMAPPER_BENCH_RUNS=5 (default); screenshots of the
// last run of each size in NETMAPPER_SCREENSHOT_DIR (/tmp/netmapper-web).

import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { launchChromium } from '../../fixtures/test-support/chromium.ts';
import { serveSyntheticMap } from '../../fixtures/test-support/map-server.ts';
import { openMap } from '../../fixtures/test-support/page-driver.ts';

const sizes = (process.env.NETMAPPER_BENCH_WORKLOADS ?? '12,60,300,1000').split(',').map(Number).filter((n) => n > 0);
const RUNS = Math.max(1, Number(process.env.NETMAPPER_BENCH_RUNS ?? 5) || 5);
const SHOTS = process.env.NETMAPPER_SCREENSHOT_DIR ?? '/tmp/netmapper-web';
const TICK_MS = 10;
/** Pause before each timed interaction. */
const SETTLE_MS = Number(process.env.NETMAPPER_BENCH_SETTLE_MS ?? 500);   // /proc CPU times are in clock ticks (USER_HZ = 100)

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

const median = (xs: number[]): number => { const s = xs.filter(Number.isFinite).sort((a, b) => a - b); return s.length ? s[(s.length - 1) >> 1] : NaN; };
const ms = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? '—' : `${Math.round(n)}`);
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

// Strings, not functions: the TypeScript loader would wrap named helpers in calls the page does not have.
/** The interactions, in order, each from a settled page (SETTLE_MS after the last: what the map draws after a frame,
 *  e.g. caches filled a moment later, is not charged to the next one), as a user clicks: search for a workload in a
 *  folded namespace at 300+ (unfolds it), select another one already drawn, clear, select with nothing selected (the
 *  first click) and clear that, unfold (or fold) a namespace, apply a namespace filter (refetch and redraw). */
const INTERACTIONS: Array<[string, string]> = [
  ['search', `v.find('app-7')`],
  ['select', `v.select(window.benchId = v.cy.nodes('.workload').filter((n) => n.id() !== v.selected()).first().id())`],
  ['clear', `v.select('')`],
  ['select0', `v.select(window.benchId)`],
  ['clear0', `v.select('')`],
  ['unfold', `(() => { const g = v.collapsed().find((x) => x !== 'ns-7') ?? 'ns-2'; v.toggleGroup(g, !v.isCollapsed(g)); })()`],
  ['filter', `(async () => { nv.state.namespaces = ['ns-0', 'ns-1']; await nv.load(); })()`],
];
/** Interactions that may draw over several frames (map-view.ts: a search unfolding a namespace, a plain unfold). */
const PROGRESSIVE = new Set(['search', 'unfold']);
/** From the call to the next drawn frame (what the user waits for); `window.benchComplete` resolves with the time to
 *  the frame after everything the interaction queued is added. `window.benchFirst`: to the end of the first frame
 *  drawn after the call (a rAF asked for before the call runs before any the call asks for, and its task is queued
 *  before the first chunk's), the figure for the first frame of a progressive interaction. */
const timed = (call: string) => `(async () => {
  const nv = window.netmapperView, v = nv.view;
  const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const painted = new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  const t0 = performance.now();
  await ${call};
  window.benchFirst = painted.then(() => performance.now() - t0);
  await frame();
  const next = performance.now() - t0;
  // An older page (no complete()) draws in one go: complete is the next frame.
  window.benchComplete = v.complete ? (async () => { await v.complete(); await frame(); return performance.now() - t0; })() : Promise.resolve(next);
  return next;
})()`;
const settle = () => new Promise((r) => setTimeout(r, SETTLE_MS));

async function main(): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  console.log(`load average ${load()} at the start; medians of ${RUNS} page loads per size; times in ms`);
  console.log(`workloads edges | graph.json cpu (size) | first render wall, chromium cpu, page main-thread cpu | script graph layout fit frame | search (first/complete) select clear select-first clear-first unfold (first/complete) filter: wall, to the next frame, each after ${SETTLE_MS} ms idle | the same: page main-thread cpu`);
  const browser = await launchChromium();
  try {
    for (const n of sizes) {
      const srv = await serveSyntheticMap({ workloads: n, edges: n * 3, namespaces: Math.min(20, Math.ceil(n / 4)) });
      try {
        const api: number[] = [];
        let kib = 0;
        for (let r = 0; r < RUNS; r++) {
          const c0 = process.cpuUsage();
          const body = await (await fetch(`${srv.base}api/v1/graph.json`)).text();
          const c = process.cpuUsage(c0);
          api.push((c.user + c.system) / 1000);
          kib = body.length / 1024;
        }
        const rows: Array<Record<string, number>> = [];
        for (let r = 0; r < RUNS; r++) {
          const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
          await page.goto('about:blank');
          const cdp = await page.context().newCDPSession(page);
          await cdp.send('Performance.enable');
          const cpu0 = childCpuMs();
          const t = await openMap(page, srv.base);
          const cpu = childCpuMs() - cpu0;
          const threadMs = async () => ((await cdp.send('Performance.getMetrics')).metrics.find((x) => x.name === 'ThreadTime')?.value ?? NaN) * 1000;
          const main = await threadMs();
          if (r === RUNS - 1) await page.screenshot({ path: `${SHOTS}/bench-${n}.png` });
          const inter: Record<string, number> = {};
          for (const [name, call] of INTERACTIONS) {
            await settle();
            const c0 = await threadMs();
            inter[name] = await page.evaluate(timed(call)) as number;
            inter[`${name}Cpu`] = await threadMs() - c0;
            if (!PROGRESSIVE.has(name)) continue;
            inter[name] = await page.evaluate('window.benchFirst') as number;
            inter[`${name}Done`] = await page.evaluate('window.benchComplete') as number;
            inter[`${name}DoneCpu`] = await threadMs() - c0;
          }
          rows.push({ ...t, cpu, main, graph: t.scriptStart + t.fetch, ...inter });
          await page.close();
        }
        const m = (k: string) => ms(median(rows.map((x) => x[k])));
        console.log(`${String(n).padStart(9)} ${String(n * 3).padStart(5)} | ${ms(median(api)).padStart(6)} (${kib.toFixed(0)} KiB)`
          + ` | ${m('firstRender').padStart(6)} ${m('cpu').padStart(6)} ${m('main').padStart(5)}`
          + ` | ${m('scriptStart')} ${m('graph')} ${m('layout')} ${m('fit')} ${m('frame')}`
          + ` | ${INTERACTIONS.map(([k]) => (PROGRESSIVE.has(k) ? `${m(k)}/${m(`${k}Done`)}` : m(k))).join(' ')}`
          + ` | ${INTERACTIONS.map(([k]) => (PROGRESSIVE.has(k) ? `${m(`${k}Cpu`)}/${m(`${k}DoneCpu`)}` : m(`${k}Cpu`))).join(' ')}`
          + `  [first render runs: ${rows.map((x) => ms(x.firstRender)).join(' ')}]`);
      } finally {
        await srv.close();
      }
    }
  } finally {
    await browser.close();
  }
  console.log(`load average ${load()} at the end`);
}

main().catch((err: unknown) => { console.error(err); process.exit(1); });
