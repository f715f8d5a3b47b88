// The web map in real headless Chromium (playwright-core + Debian's /usr/bin/chromium), served on 127.0.0.1: search,
// selection, filters, the time window, live updates from a real controller, the URL, exports, accessibility
// (axe-core) and keyboard use. Screenshots at 12, 60, 300 and 1,000 workloads go to NETMAPPER_SCREENSHOT_DIR.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, Page } from 'playwright-core';
import { parseConfig } from '../config.ts';
import { startController } from '../main.ts';
import { run as runReplay } from '../cli/replay.ts';
import { launchChromium } from '../../../fixtures/test-support/chromium.ts';
import { serveSyntheticMap, type MapServer } from '../../../fixtures/test-support/map-server.ts';
import { drawn, openMap, screenPosition } from '../../../fixtures/test-support/page-driver.ts';
import { suiteNeeds } from '../../../fixtures/test-support/needs.ts';
import { ensureBuilt } from '../../../fixtures/test-support/built.ts';
import type { GraphModel } from './graph-types.ts';

const SCREENSHOTS = process.env.NETMAPPER_SCREENSHOT_DIR ?? '/tmp/netmapper-web';
const SHOP = fileURLToPath(new URL('../resolve/testdata/shop.cluster.yaml', import.meta.url));
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

suiteNeeds('web map', ['chromium']);
ensureBuilt();   // the page's bundle is served from dist/web, as in the image

let browser: Browser;
let map: MapServer;
const VIEWPORT = { width: 1400, height: 900 };

const graph = async (qs = ''): Promise<GraphModel> => (await fetch(`${map.base}api/v1/graph.json${qs}`)).json() as Promise<GraphModel>;
async function newPage(url = map.base): Promise<Page> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  page.on('pageerror', (e) => { throw e; });
  await openMap(page, url);
  return page;
}
const selected = (page: Page) => page.evaluate(() => (window as any).netmapperView.view.selected() as string);

test.before(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  map = await serveSyntheticMap({ workloads: 60, edges: 180, namespaces: 6 });
  browser = await launchChromium();
});
test.after(async () => {
  await browser?.close();
  await map?.close();
});

test('draws every workload and connection, grouped by namespace, with nothing fetched from elsewhere', async () => {
  const page = await browser.newPage({ viewport: VIEWPORT });
  const foreign: string[] = [];
  page.on('request', (r) => { if (!r.url().startsWith(map.base) && !r.url().startsWith('data:')) foreign.push(r.url()); });
  await openMap(page, map.base);
  const m = await graph();
  const d = await drawn(page);
  assert.equal(d.leaves, m.nodes.map((n) => n.id).sort());
  assert.equal(d.edges, m.edges.map((e) => e.id).sort());
  assert.equal(d.groups, [...m.namespaces.map((n) => `g:${n}`), 'g:internet'].sort());
  assert.equal(d.collapsed, [], '60 workloads: nothing folded');
  const parents = await page.evaluate(() => (window as any).netmapperView.view.cy.nodes('.workload').map((n: any) => [n.id(), n.parent().id()]));
  for (const [id, parent] of parents) assert.is(parent, id.startsWith('i:') ? 'g:internet' : `g:${id.slice(2, id.indexOf('/'))}`, id);
  assert.equal(foreign, []);
  await page.close();
});

test('a workload in an open namespace among folded ones: its lines to them are its namespace\'s, lit for it', async () => {
  const page = await newPage();
  const m = await graph();
  const ns = (id: string) => m.nodes.find((n) => n.id === id)?.namespace;
  // The workload of ns-1 with the most connections outside it; every other namespace folded.
  const outside = (id: string) => m.edges.filter((e) => (e.source === id && ns(e.target) !== 'ns-1') || (e.target === id && ns(e.source) !== 'ns-1')).length;
  const id = m.nodes.filter((n) => n.namespace === 'ns-1').map((n) => n.id).sort((a, b) => outside(b) - outside(a))[0];
  assert.ok(outside(id) > 0);
  await page.evaluate(() => { const v = (window as any).netmapperView.view; for (const g of v.cy.nodes('.group').map((n: any) => v.groupOf(n.id()))) v.toggleGroup(g, g !== 'ns-1'); });
  const box = (n: string | undefined) => (n ? `g:${n}` : 'g:internet');
  const lines = await page.evaluate(() => (window as any).netmapperView.view.cy.edges().map((e: any) => [e.id(), e.source().id(), e.target().id()]));
  assert.not.ok(lines.some(([, s, t]: string[]) => (s.startsWith('w:ns-1/') && !t.startsWith('w:ns-1/')) || (t.startsWith('w:ns-1/') && !s.startsWith('w:ns-1/'))),
    'no line from a workload of ns-1 to a folded group');
  await page.evaluate((id) => (window as any).netmapperView.view.select(id), id);
  const got = await page.evaluate(() => {
    const cy = (window as any).netmapperView.view.cy;
    return [cy.nodes('.group.callee'), cy.nodes('.group.caller'), cy.edges('.lit').filter((e: any) => e.source().isParent() || e.target().isParent())]
      .map((c: any) => c.map((e: any) => e.id()).sort());
  });
  const callees = [...new Set(m.edges.filter((e) => e.source === id && ns(e.target) !== 'ns-1').map((e) => box(ns(e.target))))].sort();
  const callers = [...new Set(m.edges.filter((e) => e.target === id && ns(e.source) !== 'ns-1').map((e) => box(ns(e.source))))].sort();
  assert.equal(got[0], callees);
  assert.equal(got[1], callers);
  const far = new Set([...callees, ...callers]);
  assert.equal(got[2], lines.filter(([, s, t]: string[]) => (s === 'g:ns-1' && far.has(t)) || (t === 'g:ns-1' && far.has(s))).map(([l]: string[]) => l).sort());
  await page.close();
});

test('search finds a workload and centres it', async () => {
  const page = await newPage();
  await page.fill('#search', 'app-17');
  await page.press('#search', 'Enter');
  assert.is(await selected(page), 'w:ns-5/app-17');
  const p = await screenPosition(page, 'w:ns-5/app-17');
  const box = (await page.locator('#map').boundingBox())!;
  assert.ok(Math.abs(p.x - (box.x + box.width / 2)) < 2 && Math.abs(p.y - (box.y + box.height / 2)) < 2, JSON.stringify({ p, box }));
  assert.match(await page.textContent('#search-result') ?? '', /^1 of 1: app-17/);
  assert.match(await page.textContent('#details') ?? '', 'app-17.ns-5');
  await page.fill('#search', 'no-such-thing');
  await page.press('#search', 'Enter');
  assert.match(await page.textContent('#search-result') ?? '', 'no match');
  await page.close();
});

test('at 300 workloads (folded): search and unfold move no other group, centre the match, show the group; folding puts it back', async () => {
  const srv = await serveSyntheticMap({ workloads: 300, edges: 900, namespaces: 20 });
  try {
    const page = await newPage(srv.base);
    /** Every top-level item's centre, rounded: folded groups, and open ones by their box. */
    const places = () => page.evaluate(() => Object.fromEntries((window as any).netmapperView.view.cy.nodes().orphans()
      .map((n: any) => [n.id(), `${Math.round(n.position().x)},${Math.round(n.position().y)}`])) as Record<string, string>);
    const before = await places();
    assert.ok(Object.keys(before).length > 10, 'groups folded');
    const others = (p: Record<string, string>, open: string[]) => Object.fromEntries(Object.entries(p).filter(([id]) => !open.includes(id)));
    // Search: the match's namespace opens, and nothing else moves.
    await page.evaluate(() => {
      // How often each line's geometry is worked out (one-frame.ts: once, not again in a second frame). Drawn at
      // once: a progressive search works out again, by design, the lines of a chunk's nodes that a later chunk adds
      // lines to (Cytoscape restyles both ends of a new line), and the namespace's own lines as its box grows.
      (window as any).netmapperView.view.setChunkElements(0);
      const r = (window as any).netmapperView.view.cy.renderer(), f = r.findEdgeControlPoints;
      const times = (window as any).geometries = new Map();
      r.findEdgeControlPoints = function (edges: any) { for (const e of edges) times.set(e.id(), (times.get(e.id()) ?? 0) + 1); return f.call(this, edges); };
    });
    await page.fill('#search', 'app-7');
    await page.press('#search', 'Enter');
    assert.is(await selected(page), 'w:ns-7/app-7');
    await page.waitForTimeout(600);
    const again = await page.evaluate(() => { const cy = (window as any).netmapperView.view.cy; return [...(window as any).geometries].filter(([id, n]) => n > 1 && !cy.getElementById(id).hasClass('lit')).map(([id]) => id); });
    assert.equal(again, [], 'no line but the lit ones worked out twice');
    assert.equal(others(await places(), ['g:ns-7']), others(before, ['g:ns-7']), 'no other group moved');
    const state = await page.evaluate(() => {
      const v = (window as any).netmapperView.view, cy = v.cy, g = cy.getElementById('g:ns-7'), box = g.boundingBox();
      const overlapping = cy.nodes().orphans().filter((n: any) => n.id() !== 'g:ns-7').filter((n: any) => {
        const b = n.boundingBox();
        return b.x1 < box.x2 && box.x1 < b.x2 && b.y1 < box.y2 && box.y1 < b.y2;
      }).map((n: any) => n.id());
      return { open: g.isParent(), overlapping };
    });
    assert.equal(state, { open: true, overlapping: [] }, 'the opened namespace lies over nothing');
    const p = await screenPosition(page, 'w:ns-7/app-7');
    const box = (await page.locator('#map').boundingBox())!;
    assert.ok(Math.abs(p.x - (box.x + box.width / 2)) < 2 && Math.abs(p.y - (box.y + box.height / 2)) < 2, JSON.stringify({ p, box }));
    // Folding it puts it back where it was; unfolding another moves nothing else and brings it into view.
    await page.evaluate(() => (window as any).netmapperView.view.toggleGroup('ns-7', true));
    assert.equal(await places(), before, 'folded back: the picture from before');
    await page.evaluate(() => { const v = (window as any).netmapperView.view; v.cy.zoom(2); v.cy.center(v.cy.getElementById('g:ns-3')); });
    await page.evaluate(() => (window as any).netmapperView.view.toggleGroup('(internet)', false));
    assert.equal(others(await places(), ['g:internet']), others(before, ['g:internet']), 'no other group moved');
    const { b, e } = await page.evaluate(() => { const cy = (window as any).netmapperView.view.cy; return { b: cy.getElementById('g:internet').boundingBox(), e: cy.extent() }; });
    // Shown whole, or centred when it is bigger than the view.
    const fits = (lo: number, hi: number, vlo: number, vhi: number) => (hi - lo > vhi - vlo ? Math.abs((lo + hi) / 2 - (vlo + vhi) / 2) < 2 : lo >= vlo && hi <= vhi);
    const shown = fits(b.x1, b.x2, e.x1, e.x2) && fits(b.y1, b.y2, e.y1, e.y2);
    assert.ok(shown, `the unfolded group is in view: ${JSON.stringify({ b, e })}`);
    await page.close();
  } finally {
    await srv.close();
  }
});

/** What is drawn, in Cytoscape's order: each element's id, position (nodes), classes and whether it is selected,
 *  and the viewport (a progressive unfold must end where adding everything at once does). */
// A string, not a function: the TypeScript loader would wrap the named helper in a call the page does not have.
const drawing = (page: Page) => page.evaluate(`(() => {
  const cy = window.netmapperView.view.cy;
  const round = (p) => [Math.round(p.x * 100) / 100, Math.round(p.y * 100) / 100];
  return {
    // Nodes, then lines: each in the order they are drawn (one add puts its nodes before its lines).
    elements: [...cy.nodes(), ...cy.edges()].map((e) => [e.id(), e.isNode() ? round(e.position()) : null, [...e.classes()].sort().join(' '), e.selected()]),
    zoom: Math.round(cy.zoom() * 1e4) / 1e4, pan: round(cy.pan()),
  };
})()`) as Promise<{ elements: Array<[string, number[] | null, string, boolean]>; zoom: number; pan: number[] }>;
/** Opens `url`, sets the unfold's chunk size (0: everything at once), runs `steps` in one task, waits until every
 *  chunk is drawn (and the highlight's handover is over); returns the drawing, what the first frame held and what
 *  `after` (an expression) gives then. */
async function unfoldAndDraw(url: string, chunk: number, steps: string, after?: string) {
  const page = await newPage(url);
  const first = await page.evaluate(`(() => {
    const v = window.netmapperView.view;
    v.setChunkElements(${chunk});
    ${steps};
    const at = v.selected() ? v.cy.getElementById(v.selected()).renderedPosition() : undefined;
    const off = at ? Math.max(Math.abs(at.x - v.cy.width() / 2), Math.abs(at.y - v.cy.height() / 2)) : NaN;
    return { elements: v.cy.elements().length, selected: v.selected(), lit: v.cy.elements('.lit').map((e) => e.id()).sort(), off, partial: window.partial };
  })()`) as { elements: number; selected: string; lit: string[]; off: number; partial?: boolean };
  await page.evaluate(async () => { await (window as any).netmapperView.view.complete(); });
  await page.waitForTimeout(400);
  const d = await drawing(page);
  const end = after ? await page.evaluate(after) : undefined;
  await page.close();
  return { first, d, after: end };
}

test('a search that unfolds a namespace draws the match first and ends as drawing everything at once does', async () => {
  // Every namespace folded: the match's connections out of ns-5 are drawn as ns-5's lines to folded groups.
  const url = `${map.base}?collapsed=${Array.from({ length: 15 }, (_, i) => `ns-${i}`).join(',')}`;
  const steps = `v.find('app-17')`;
  const progressive = await unfoldAndDraw(url, 3, steps);
  const atOnce = await unfoldAndDraw(url, 0, steps);
  assert.ok(progressive.first.elements < atOnce.first.elements, `the first frame holds part of the namespace (${progressive.first.elements} of ${atOnce.first.elements} elements)`);
  assert.is(progressive.first.selected, 'w:ns-5/app-17');
  assert.equal(progressive.first.lit, atOnce.first.lit, 'the first frame has the whole highlight');
  assert.ok(progressive.first.off < 2, `the first frame has the match centred (${progressive.first.off} px off)`);
  assert.equal(progressive.d, atOnce.d);
  const ns5 = (await graph()).nodes.filter((n) => n.namespace === 'ns-5').length;
  assert.is(progressive.d.elements.filter(([id, p]) => p && id.startsWith('w:ns-5/')).length, ns5, 'the whole of ns-5 is drawn');
});

test('a second search, and folding what it unfolds, while unfolds are still being drawn end in the state they reach at once', async () => {
  const url = `${map.base}?collapsed=ns-5,ns-2`;
  const steps = `v.find('app-17'); window.partial = v.cy.getElementById('g:ns-5').children().length < 10;
    v.find('app-8'); window.partial &&= v.cy.getElementById('g:ns-2').children().length < 10; v.toggleGroup('ns-2', true)`;
  const progressive = await unfoldAndDraw(url, 3, steps);
  const atOnce = await unfoldAndDraw(url, 0, steps);
  assert.ok(progressive.first.partial, 'ns-5, then ns-2 (10 workloads each) were still being drawn at the next step');
  assert.is(progressive.first.selected, 'g:ns-2', 'folding the selected workload\'s namespace selects it');
  assert.equal(progressive.d, atOnce.d);
  const ids = new Set(progressive.d.elements.map(([id]) => id));
  assert.ok(ids.has('w:ns-5/app-17') && ids.has('g:ns-2') && !ids.has('w:ns-2/app-8'));
});

test('a plain unfold draws its box whole with part of the namespace first and ends as drawing everything at once does', async () => {
  const url = `${map.base}?collapsed=${Array.from({ length: 15 }, (_, i) => `ns-${i}`).join(',')}`;
  const steps = `v.toggleGroup('ns-5', false); const box = v.cy.getElementById('g:ns-5').boundingBox();
    window.partial = { children: v.cy.getElementById('g:ns-5').children().length, box: [box.x1, box.y1, box.x2, box.y2].map(Math.round) }`;
  const shape = `(() => { const b = window.netmapperView.view.cy.getElementById('g:ns-5').boundingBox(); return [b.x1, b.y1, b.x2, b.y2].map(Math.round); })()`;
  const progressive = await unfoldAndDraw(url, 3, steps, shape);
  const atOnce = await unfoldAndDraw(url, 0, steps, shape);
  const first = progressive.first.partial as unknown as { children: number; box: number[] };
  const ns5 = (await graph()).nodes.filter((n) => n.namespace === 'ns-5').length;
  assert.ok(first.children > 0 && first.children < ns5, `the first frame holds part of ns-5 (${first.children} of ${ns5} workloads)`);
  assert.equal(first.box, progressive.after, 'the first frame draws the box at its full size');
  assert.equal(progressive.d, atOnce.d);
  assert.is(progressive.d.elements.filter(([id, p]) => p && id.startsWith('w:ns-5/')).length, ns5, 'the whole of ns-5 is drawn');
});

test('double-clicking a folded namespace opens it progressively, not selected', async () => {
  const page = await newPage(`${map.base}?collapsed=ns-5`);
  const at = await page.evaluate(() => {
    const v = (window as any).netmapperView.view;
    v.setChunkElements(1);
    const p = v.cy.getElementById('g:ns-5').renderedPosition(), c = v.cy.container().getBoundingClientRect();
    return { x: c.left + p.x, y: c.top + p.y };
  }) as { x: number; y: number };
  await page.mouse.dblclick(at.x, at.y);
  const right = await page.evaluate(() => { const v = (window as any).netmapperView.view; return { children: v.cy.getElementById('g:ns-5').children().length, selected: v.selected() }; });
  await page.evaluate(async () => { await (window as any).netmapperView.view.complete(); });
  const end = await page.evaluate(() => (window as any).netmapperView.view.cy.getElementById('g:ns-5').children().length) as number;
  await page.close();
  const ns5 = (await graph()).nodes.filter((n) => n.namespace === 'ns-5').length;
  assert.is(right.selected, '', 'the double-click leaves nothing selected');
  assert.ok(right.children > 0 && right.children < ns5, `ns-5 is still being drawn right after the double-click (${right.children} of ${ns5} workloads)`);
  assert.is(end, ns5, 'then the whole of ns-5 is drawn');
});

test('unfolding another namespace, selecting and folding while a plain unfold is still being drawn end in the state they reach at once', async () => {
  const url = `${map.base}?collapsed=ns-5,ns-2,ns-3`;
  const steps = `v.toggleGroup('ns-5', false); window.partial = v.cy.getElementById('g:ns-5').children().length < 10;
    v.toggleGroup('ns-2', false); window.partial &&= v.cy.getElementById('g:ns-2').children().length < 10;
    v.toggleGroup('ns-5', true); v.toggleGroup('ns-3', false); v.select('w:ns-2/app-8')`;
  const progressive = await unfoldAndDraw(url, 3, steps);
  const atOnce = await unfoldAndDraw(url, 0, steps);
  assert.ok(progressive.first.partial, 'ns-5, then ns-2 (10 workloads each) were still being drawn at the next step');
  assert.equal(progressive.d, atOnce.d);
  const ids = new Set(progressive.d.elements.map(([id]) => id));
  assert.ok(ids.has('w:ns-2/app-8') && ids.has('w:ns-3/app-3') && !ids.has('w:ns-5/app-17'));
});

test('a live update while an unfold is still being drawn ends in the state it reaches at once', async () => {
  // What live.ts's refetch ends in (main.ts load): the view given a new revision of the model.
  const steps = `v.find('app-17'); window.partial = v.cy.getElementById('g:ns-5').children().length < 10;
    v.setModel({ ...v.model(), revision: v.model().revision + 1 })`;
  const progressive = await unfoldAndDraw(`${map.base}?collapsed=ns-5`, 3, steps);
  const atOnce = await unfoldAndDraw(`${map.base}?collapsed=ns-5`, 0, steps);
  assert.ok(progressive.first.partial, 'ns-5 was still being drawn at the update');
  assert.is(progressive.first.selected, 'w:ns-5/app-17');
  assert.equal(progressive.d, atOnce.d);
});

test('clicking a node highlights exactly its callers and callees', async () => {
  const page = await newPage();
  const m = await graph();
  // The best-connected workload, so that both kinds of neighbour are there.
  const degree = (id: string) => m.edges.filter((e) => e.source === id || e.target === id).length;
  const id = m.nodes.filter((n) => n.namespace).map((n) => n.id).sort((a, b) => degree(b) - degree(a))[0];
  const callees = [...new Set(m.edges.filter((e) => e.source === id).map((e) => e.target))].sort();
  const callers = [...new Set(m.edges.filter((e) => e.target === id).map((e) => e.source))].sort();
  assert.ok(callees.length > 0 && callers.length > 0);
  await page.evaluate((id) => { const v = (window as any).netmapperView.view; v.cy.zoom(1.5); v.cy.center(v.cy.getElementById(id)); }, id);
  const p = await screenPosition(page, id);
  await page.mouse.click(p.x, p.y);
  assert.is(await selected(page), id);
  const got = await page.evaluate(() => {
    const cy = (window as any).netmapperView.view.cy;
    // Lit: drawn at full strength over the rest, which the page dims (map-view.ts applyHighlight).
    const [callees, callers, lit, edges] = [cy.$('node.workload.callee'), cy.$('node.workload.caller'), cy.$('node.workload.lit'), cy.edges('.lit')]
      .map((c: any) => c.map((n: any) => n.id()).sort());
    const r = cy.renderer();
    const drag = new Set(r.getCachedZSortedEles().drag.map((e: any) => e.id()));
    const upper = cy.elements().filter((e: any) => drag.has(e.id())).map((e: any) => e.id()).sort();
    const dimmed = getComputedStyle(cy.container().querySelector('canvas[data-id="layer2-node"]')).opacity;
    return { callees, callers, lit, edges, upper, allLit: cy.elements('.lit').map((e: any) => e.id()).sort(), dimmed };
  });
  assert.equal(got.upper, got.allLit, 'the lit elements, and only they, are drawn on the upper canvas');
  assert.is(got.dimmed, '0.2', 'the rest is dimmed');
  assert.equal(got.callees, callees);
  assert.equal(got.callers, callers);
  assert.equal(got.lit, [...new Set([id, ...callers, ...callees])].sort(), 'everything else is faded');
  assert.equal(got.edges, m.edges.filter((e) => e.source === id || e.target === id).map((e) => e.id).sort());
  const listed = await page.$$eval('#details ul.peers button[data-select^="w:"], #details ul.peers button[data-select^="i:"]', (bs) => bs.map((b) => (b as HTMLElement).dataset.select!).filter((x) => !x.includes('>')));
  assert.equal([...new Set(listed)].sort(), [...new Set([...callers, ...callees])].sort());
  // Clearing the selection lights everything again.
  await page.evaluate(() => (window as any).netmapperView.view.select(''));
  // What was lit may stay on the upper canvas, unlit, until the lower one is next drawn (a moment later).
  await page.waitForFunction(() => (window as any).netmapperView.view.cy.renderer().getCachedZSortedEles().drag.length === 0, null, { timeout: 5000 });
  const cleared = await page.evaluate(() => {
    const v = (window as any).netmapperView.view;
    return { lit: v.cy.elements('.lit, .caller, .callee').length, dimmed: getComputedStyle(v.cy.container().querySelector('canvas[data-id="layer2-node"]')).opacity };
  });
  assert.equal(cleared, { lit: 0, dimmed: '1' });
  // Selecting a second node: what the first one lit may wait, faded, on the upper canvas until the lower one is
  // drawn again (a moment later); then the upper canvas holds exactly the new neighbourhood, and nothing stays faded.
  await page.evaluate((id) => (window as any).netmapperView.view.select(id), id);
  await page.evaluate((next) => (window as any).netmapperView.view.select(next), callees[0]);
  await page.waitForFunction(() => {
    const cy = (window as any).netmapperView.view.cy;
    const upper = new Set(cy.renderer().getCachedZSortedEles().drag.map((e: any) => e.id()));
    const lit = cy.elements('.lit');
    return upper.size === lit.length && lit.every((e: any) => upper.has(e.id()));
  }, null, { timeout: 5000 });
  const second = await page.evaluate(() => { const cy = (window as any).netmapperView.view.cy; return { faded: cy.elements('.faded').length, selected: cy.$(':selected').map((e: any) => e.id()) }; });
  assert.equal(second, { faded: 0, selected: [callees[0]] });
  // An edge click shows its details.
  const e = m.edges.find((x) => x.source === id)!;
  await page.evaluate((eid) => (window as any).netmapperView.view.select(eid), e.id);
  const text = await page.textContent('#details') ?? '';
  for (const s of ['First seen', 'Last seen', 'Seen by', e.firstSeen.slice(0, 10)]) assert.match(text, s);
  // A Kafka edge and an HTTP edge: their topics / paths in the details, and on the edge's label, drawn at this zoom.
  const kafkaEdge = m.edges.find((x) => x.topics?.length)!, httpEdge = m.edges.find((x) => x.paths?.length)!;
  assert.ok(kafkaEdge && httpEdge, 'the synthetic map has both');
  for (const [edge, heading, lines, label] of [
    [kafkaEdge, 'Kafka topics', kafkaEdge.topics!.map((t) => `${t.name}: ${t.operations.join(', ')}`), kafkaEdge.topics![0]!.name],
    [httpEdge, 'HTTP paths', httpEdge.paths!.map((p) => `${p.methods.join(', ')} ${p.path}`), httpEdge.paths![0]!.path],
  ] as const) {
    await page.evaluate((eid) => { const v = (window as any).netmapperView.view; v.select(eid); v.cy.zoom(1.5); v.cy.center(v.cy.getElementById(eid)); }, edge.id);
    assert.equal(await page.$$eval('#details h4', (hs) => hs.map((x) => x.textContent)), [heading], edge.id);
    assert.equal(await page.$$eval('#details h4 + ul li', (lis) => lis.map((l) => l.textContent)), [...lines], edge.id);
    const drawnLabel = await page.evaluate((eid) => {
      const ele = (window as any).netmapperView.view.cy.getElementById(eid);
      return { label: ele.style('label') as string, px: parseFloat(ele.renderedStyle('font-size')), min: parseFloat(ele.style('min-zoomed-font-size')) };
    }, edge.id);
    assert.is(drawnLabel.label, label, `${edge.id}: the edge label`);
    assert.ok(drawnLabel.px >= drawnLabel.min, `${edge.id}: the label is drawn at zoom 1.5 (${JSON.stringify(drawnLabel)})`);
  }
  await page.screenshot({ path: `${SCREENSHOTS}/web-selected.png` });
  await page.close();
});

test('the namespace filter and the time window change what is drawn', async () => {
  const page = await newPage();
  await page.selectOption('#namespaces', ['ns-2']);
  const m2 = await graph('?namespaces=ns-2');
  await page.waitForFunction((n) => (window as any).netmapperView.view.cy.edges().length === n, m2.edges.length, { timeout: 10_000 });
  let d = await drawn(page);
  assert.equal(d.edges, m2.edges.map((e) => e.id).sort());
  assert.ok(d.edges.every((e) => e.startsWith('w:ns-2/')));
  await page.selectOption('#since', '15m');
  const m3 = await graph('?namespaces=ns-2&since=15m');
  assert.ok(m3.edges.length < m2.edges.length, 'the synthetic map spans two hours');
  await page.waitForFunction((n) => (window as any).netmapperView.view.cy.edges().length === n, m3.edges.length, { timeout: 10_000 });
  d = await drawn(page);
  assert.equal(d.edges, m3.edges.map((e) => e.id).sort());
  // Hide Internet and exclude a label.
  await page.selectOption('#since', '');
  await page.selectOption('#namespaces', []);
  await page.check('#exclude-internet');
  await page.fill('#exclude-labels', 'tier=batch');
  await page.press('#exclude-labels', 'Enter');
  const m4 = await graph('?excludeInternet=true&excludeLabels=tier=batch');
  await page.waitForFunction((n) => (window as any).netmapperView.view.cy.edges().length === n, m4.edges.length, { timeout: 10_000 });
  d = await drawn(page);
  assert.not.ok(d.leaves.some((x) => x.startsWith('i:')));
  assert.equal(d.leaves, m4.nodes.map((n) => n.id).sort());
  // A bad filter is shown, not swallowed.
  await page.fill('#exclude-labels', 'a=b=c');
  await page.press('#exclude-labels', 'Enter');
  await page.waitForFunction(() => document.getElementById('filter-error')!.textContent!.includes('excludeLabels'), null, { timeout: 10_000 });
  await page.close();
});

test('the URL round-trips the view: filters, search, selection, folded groups, zoom and pan', async () => {
  const page = await newPage();
  await page.selectOption('#namespaces', ['ns-1', 'ns-3']);
  await page.selectOption('#since', '1h');
  await page.fill('#search', 'app-9');
  await page.press('#search', 'Enter');
  await page.evaluate(() => (window as any).netmapperView.view.toggleGroup('ns-3'));
  await page.waitForTimeout(500);     // the viewport is written to the URL 300 ms after it settles
  const url = page.url();
  const before = await page.evaluate(() => { const v = (window as any).netmapperView.view; return { sel: v.selected(), collapsed: v.collapsed(), zoom: v.cy.zoom(), pan: v.cy.pan() }; });
  const edges = (await drawn(page)).edges;
  assert.match(url, /namespaces=ns-1%2Cns-3/);
  const again = await newPage(url);
  const after = await again.evaluate(() => { const v = (window as any).netmapperView.view; return { sel: v.selected(), collapsed: v.collapsed(), zoom: v.cy.zoom(), pan: v.cy.pan() }; });
  assert.is(before.sel, 'g:ns-3', 'folding the namespace of the selected workload selects the namespace');
  assert.is(after.sel, before.sel);
  assert.equal(after.collapsed, before.collapsed);
  assert.ok(Math.abs(after.zoom - before.zoom) < 0.01 && Math.abs(after.pan.x - before.pan.x) < 1 && Math.abs(after.pan.y - before.pan.y) < 1, JSON.stringify({ before, after }));
  assert.equal((await drawn(again)).edges, edges);
  assert.equal(await again.$eval('#namespaces', (s) => [...(s as HTMLSelectElement).selectedOptions].map((o) => o.value)), ['ns-1', 'ns-3']);
  assert.is(await again.inputValue('#since'), '1h');
  assert.is(await again.inputValue('#search'), 'app-9');
  await page.close();
  await again.close();
});

test('exports: PNG and SVG of the view, ClientIntents YAML and JSON with the filters', async () => {
  const page = await newPage(`${map.base}?namespaces=ns-0`);
  const [png] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
  const pngBytes = readFileSync((await png.path())!);
  assert.equal([...pngBytes.subarray(1, 4)], [0x50, 0x4e, 0x47]);
  const [svg] = await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
  const svgText = readFileSync((await svg.path())!, 'utf8');
  assert.match(svgText, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svgText, '>ns-0</tspan>');
  const href = await page.getAttribute('#export-yaml', 'href');
  assert.is(href, 'api/v1/clientintents?format=yaml&namespaces=ns-0');
  const yaml = await (await fetch(new URL(href!, map.base))).text();
  assert.match(yaml, 'kind: ClientIntents');
  assert.not.match(yaml, 'namespace: ns-1\n');
  assert.is(await page.getAttribute('#export-json', 'href'), 'api/v1/clientintents?format=json&namespaces=ns-0');
  await page.close();
});

test('keyboard alone: / to search, Enter to select, Tab to a neighbour, Enter to go there, Escape to clear', async () => {
  const page = await newPage();
  await page.locator('body').press('/');
  assert.is(await page.evaluate(() => document.activeElement?.id), 'search');
  await page.keyboard.type('app-23');
  await page.keyboard.press('Enter');
  assert.is(await selected(page), 'w:ns-5/app-23');
  let target: string | undefined;
  for (let i = 0; i < 60 && !target; i++) {
    await page.keyboard.press('Tab');
    target = await page.evaluate(() => { const a = document.activeElement as HTMLElement; return a?.closest('#details') && a.dataset.select?.startsWith('w:') && !a.dataset.select.includes('>') ? a.dataset.select : undefined; });
  }
  assert.ok(target, 'Tab reaches a neighbour in the details panel');
  await page.keyboard.press('Enter');
  assert.is(await selected(page), target);
  assert.ok((await screenPosition(page, target!)).inside, 'the chosen neighbour is on screen');
  await page.keyboard.press('Escape');
  assert.is(await selected(page), '');
  await page.close();
});

test('axe-core finds no serious or critical accessibility violations', async () => {
  const ctx = await browser.newContext({ viewport: VIEWPORT, bypassCSP: true });
  const page = await ctx.newPage();
  await openMap(page, map.base);
  await page.evaluate(readFileSync(AXE, 'utf8'));
  await page.evaluate(() => (window as any).netmapperView.view.select('w:ns-0/app-0'));
  const res = await page.evaluate(async () => (window as any).axe.run(document, { resultTypes: ['violations'] }));
  const bad = res.violations.filter((v: any) => v.impact === 'serious' || v.impact === 'critical');
  assert.equal(bad.map((v: any) => `${v.id}: ${v.help} (${v.nodes.map((n: any) => n.target.join(' ')).join('; ')})`), []);
  await ctx.close();
});

test('a report posted to a real controller while the page is open appears without a reload, marked new', async () => {
  const cfg = { ...parseConfig(['--auth', 'none', '--cluster-snapshot', SHOP, '--bind-address', '127.0.0.1', '--log-level', 'error', '--min-server-age', '0s'], {}, false), port: 0, metricsPort: 0 };   // no fixed :9090 that a concurrent suite may hold
  const ctl = await startController(cfg);
  const base = `http://127.0.0.1:${ctl.port}/`;
  const post = (records: unknown[]) => fetch(`${base}api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ version: 1, node: 'node-1', sentAt: new Date().toISOString(), records }) });
  const tcp = (srcIp: string, dst: string, port: number) => ({ source: 'tcp', srcIp, destination: dst, destinationIp: dst, destinationPort: port, lastSeen: new Date().toISOString(), count: 1 });
  try {
    assert.is((await post([tcp('10.244.0.10', '10.96.0.20', 80)])).status, 200);
    const page = await browser.newPage({ viewport: VIEWPORT });
    await openMap(page, base);
    await page.evaluate(() => { (window as any).sameDocument = true; });
    const before = await drawn(page);
    assert.is(before.edges.length, 1);
    const positions = () => page.evaluate(() => Object.fromEntries((window as any).netmapperView.view.cy.nodes('.workload').map((n: any) => [n.id(), n.position()])));
    const placed = await positions();
    const res = await post([tcp('10.244.0.40', '10.244.0.30', 5432)]);
    assert.equal(await res.json(), { accepted: 1, resolved: 1, unresolved: {}, skipped: {} });
    await page.waitForFunction(() => (window as any).netmapperView.view.cy.edges().length === 2, null, { timeout: 10_000 });
    const after = await drawn(page);
    const added = after.edges.filter((e) => !before.edges.includes(e));
    assert.equal(added, ['w:shop/report>w:data/db']);
    assert.ok(await page.evaluate(() => (window as any).sameDocument === true), 'no reload');
    const fresh = await page.evaluate(() => (window as any).netmapperView.view.cy.$('.fresh').map((e: any) => e.id()).sort());
    assert.equal(fresh, ['g:data', 'w:data/db', 'w:shop/report', 'w:shop/report>w:data/db'].filter((x) => x !== 'g:data'));
    assert.match(await page.textContent('#fresh-count') ?? '', '2 workloads and 1 connection');
    // What was there stayed where it was; the newcomers were placed around it.
    const now = await positions();
    for (const [id, p] of Object.entries(placed)) assert.equal(now[id], p, id);
    // The new namespace's box does not overlap the old one's.
    const [shop, data] = await page.evaluate(() => ['g:shop', 'g:data'].map((g) => (window as any).netmapperView.view.cy.getElementById(g).boundingBox({})));
    assert.ok(shop.x2 <= data.x1 || data.x2 <= shop.x1 || shop.y2 <= data.y1 || data.y2 <= shop.y1, JSON.stringify({ shop, data }));
    await page.evaluate(() => (window as any).netmapperView.view.fit());
    await page.screenshot({ path: `${SCREENSHOTS}/web-live.png` });
    await page.close();
  } finally {
    await ctl.close();
  }
});

test('netmapper replay serve: the bundled Online Boutique capture in the browser', async () => {
  const stop = new AbortController();
  const quiet = { stdout: { write: () => true }, stderr: { write: () => true }, env: {} };
  let done: Promise<number> | undefined;
  const url = await new Promise<string>((resolve) => { done = runReplay(['serve', '--port', '0'], quiet, false, { signal: stop.signal, onListening: resolve }); });
  try {
    const page = await browser.newPage({ viewport: VIEWPORT });
    await openMap(page, url);
    const m = await (await fetch(`${url}api/v1/graph.json`)).json() as GraphModel;
    const d = await drawn(page);
    assert.equal(d.leaves, m.nodes.map((n) => n.id).sort());
    assert.ok(d.leaves.includes('w:otterize-ecom-demo/frontend'));
    await page.fill('#search', 'frontend');
    await page.press('#search', 'Enter');
    assert.is(await selected(page), 'w:otterize-ecom-demo/frontend');
    await page.screenshot({ path: `${SCREENSHOTS}/web-replay-boutique.png` });
    await page.close();
  } finally {
    stop.abort();
    assert.is(await done, 0);
  }
});

test('screenshots at 12, 60, 300 and 1,000 workloads (folded past 250)', async () => {
  for (const n of [12, 60, 300, 1000]) {
    const srv = n === 60 ? map : await serveSyntheticMap({ workloads: n, edges: n * 3, namespaces: Math.min(20, Math.ceil(n / 4)) });
    try {
      const page = await browser.newPage({ viewport: VIEWPORT });
      const t = await openMap(page, srv.base);
      const d = await drawn(page);
      assert.is(d.collapsed.length > 0, n > 250, `${n}: folded`);
      await page.screenshot({ path: `${SCREENSHOTS}/web-${n}.png` });
      if (n >= 300) {
        await page.evaluate(() => (window as any).netmapperView.view.toggleGroup('ns-1', false));
        await page.evaluate(() => { const v = (window as any).netmapperView.view; v.cy.fit(v.cy.getElementById('g:ns-1'), 40); });
        await page.screenshot({ path: `${SCREENSHOTS}/web-${n}-ns-1-open.png` });
      }
      console.log(`web map ${n} workloads: first render ${Math.round(t.firstRender)} ms after navigation start (layout ${Math.round(t.layout ?? 0)} ms)`);
      await page.close();
    } finally {
      if (srv !== map) await srv.close();
    }
  }
});

test.run();
