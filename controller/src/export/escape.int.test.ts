// Hostile names (escape.test.ts's, plus markup) through the two formats a browser reads: the SVG
// (Graphviz WASM, parsed by Chromium's XML parser) and the live web page served by the export routes
// (its scripts run in Chromium). Nothing a name holds may become markup or run. The page test asks
// only what any version of the page must keep: the names appear as text, nothing injected exists.
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../../fixtures/test-support/chromium.ts';
import { createArrayReader } from '../../../fixtures/test-support/array-reader.ts';
import { suiteNeeds } from '../../../fixtures/test-support/needs.ts';
import type { Intent } from '../model.ts';
import { toClientIntents } from './client-intents.ts';
import { HOSTILE } from '../../../fixtures/test-support/hostile-names.ts';
import { renderDot } from './graph-dot.ts';
import { renderSvg } from './graph-image.ts';
import { createExportRoutes } from './routes.ts';
suiteNeeds('formats escape hostile names (SVG, web page)', ['chromium']);
const { ensureBuilt } = await import('../../../fixtures/test-support/built.ts');
ensureBuilt();   // the web page's assets are served from dist/web

const AT = '2026-11-21T10:00:00.000Z';
const MARKUP = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = '</script><script>window.__pwned=2</script>';
const intents: Intent[] = [
  ...HOSTILE,
  { client: { name: MARKUP, namespace: 'shop', kind: '' }, server: { name: 'db', namespace: 'data', kind: 'StatefulSet' }, type: 'plain', firstSeen: AT, lastSeen: AT, count: 1, sources: ['tcp'] },
  { client: { name: 'web', namespace: 'shop', kind: 'Deployment' }, server: { name: SCRIPT, namespace: 'data', kind: 'StatefulSet' }, type: 'plain', firstSeen: AT, lastSeen: AT, count: 1, sources: ['tcp'] },
];
let browser: Browser;
test.before(async () => { browser = await launchChromium(); });
test.after(async () => { await browser?.close(); });

test('SVG: well-formed XML, the names are text, no element or handler came from a name', async () => {
  const svg = await renderSvg(renderDot(toClientIntents(intents, { includeInternet: true })));
  const page = await browser.newPage();
  const r = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const titles = Array.from(doc.querySelectorAll('title')).map((t) => t.textContent);
    const texts = Array.from(doc.querySelectorAll('text')).map((t) => t.textContent);
    return { error: doc.querySelector('parsererror')?.textContent ?? null, foreign: doc.querySelectorAll('img, script, foreignObject').length, handlers: Array.from(doc.querySelectorAll('*')).filter((e) => Array.from(e.attributes).some((a) => a.name.startsWith('on'))).length, titles, texts };
  }, svg);
  assert.is(r.error, null);
  assert.is(r.foreign, 0);
  assert.is(r.handlers, 0);
  assert.ok(r.titles.includes(`${MARKUP}.shop`), JSON.stringify(r.titles));
  // The drawn label: the newline as the two characters \n on one line (Graphviz's own \n escape inert).
  assert.ok(r.texts.includes('web\\nadmin in namespace prod calls.shop'), JSON.stringify(r.texts));
  assert.ok(r.texts.includes(`${MARKUP}.shop`));
  assert.not.ok(r.texts.some((t) => /[\u0000-\u001f\u202e]/.test(t ?? '')), 'no raw control or bidi character drawn');
  await page.close();
});

test('web page: names shown as text, no injected element, no injected script ran', async () => {
  const app = createExportRoutes({ intents: createArrayReader(intents) });
  let base = '';
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => { base = `http://127.0.0.1:${info.port}/`; resolve(s); });
  });
  try {
    const page = await browser.newPage();
    await page.goto(base, { timeout: 15_000 });
    // The page draws on a canvas; names become HTML in the details panel when a node is selected (the
    // place markup would be injected). Select every node, and read what the panel shows.
    type View = { view: { cy: { nodes(s: string): { map<T>(f: (n: { id(): string }) => T): T[] } }; select(id: string): void } };
    await page.waitForFunction(() => ((window as unknown as { netmapperView?: View }).netmapperView?.view.cy.nodes('.workload').map((n) => n.id()).length ?? 0) > 0, null, { timeout: 30_000 });
    const ids = await page.evaluate(() => (window as unknown as { netmapperView: View }).netmapperView.view.cy.nodes('.workload').map((n) => n.id()));
    let details = '';
    for (const id of ids) {
      await page.evaluate((x) => (window as unknown as { netmapperView: View }).netmapperView.view.select(x), id);
      details += `${await page.textContent('#details') ?? ''}\n`;
    }
    const r = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: number }).__pwned ?? null,
      injected: document.querySelectorAll('img[src="x"], script:not([src])').length,
    }));
    assert.is(r.pwned, null);
    assert.is(r.injected, 0);
    assert.ok(details.includes(MARKUP), details);
    assert.ok(details.includes(SCRIPT), 'a closing script tag in a name is text');
    await page.close();
  } finally {
    await new Promise((r) => server.close(r));
  }
});

test.run();
