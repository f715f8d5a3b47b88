// The live web view in real headless Chromium, served by a real @hono/node-server on 127.0.0.1.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { createExportRoutes } from '../export/routes.ts';
import { createArrayReader } from '../../../fixtures/test-support/array-reader.ts';
import { loadIntents } from '../../../fixtures/test-support/export-testdata.ts';
import { launchChromium } from '../../../fixtures/test-support/chromium.ts';
import type { Browser } from 'playwright-core';
import type { Intent } from '../model.ts';
import { suiteNeeds } from '../../../fixtures/test-support/needs.ts';
suiteNeeds('web page', ['chromium']);

/** Where the screenshot goes, for a person to look at (not compared by the test). */
const SCREENSHOT = process.env.NETMAPPER_SCREENSHOT_DIR ?? '/tmp/netmapper-web';

const intents: Intent[] = [...loadIntents('reference.intents.json'), ...loadIntents('internet.intents.json')];
let server: ReturnType<typeof serve>;
let base = '';
let browser: Browser;

test.before(async () => {
  const app = createExportRoutes({ intents: createArrayReader(intents) });
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => { base = `http://127.0.0.1:${info.port}/`; resolve(); });
  });
  browser = await launchChromium();
});

test.after(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
});

test('renders the graph nodes and edges and the table, then follows a new edge', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const external: string[] = [];
  page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) external.push(r.url()); });
  await page.goto(base, { timeout: 15_000 });
  await page.waitForSelector('#graph svg g.node', { timeout: 15_000 });
  const nodes = await page.$$eval('#graph svg g.node title', (ts) => ts.map((t) => t.textContent));
  for (const n of ['client.demo', 'web.demo', 'kafka.kafka', 'kubernetes.default', 'api.shop', 'db.data', 'google.com (Internet)']) {
    assert.ok(nodes.includes(n), `node ${n} in ${nodes}`);
  }
  assert.is(await page.$$eval('#graph svg g.edge', (es) => es.length), 9);
  const rows = await page.$$eval('#edges tr', (trs) => trs.map((tr) => Array.from(tr.children).map((td) => td.textContent)));
  assert.is(rows.length, 9);
  assert.ok(rows.some((r) => r.join('|') === 'client.demo|web.demo|Deployment|/orders GET'), JSON.stringify(rows));
  assert.ok(rows.some((r) => r.join('|') === 'client.shop|xkcd.com|Internet|80, 443'), JSON.stringify(rows));
  assert.match(await page.textContent('#status') ?? '', /3 clients, 9 connections/);
  mkdirSync(SCREENSHOT, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOT}/web-view.png`, fullPage: true });

  // The page polls: a new edge shows up without a reload.
  intents.push({ ...intents[0], client: { name: 'late', namespace: 'demo', kind: 'Job' }, type: 'plain', httpResources: undefined });
  await page.waitForFunction(() => Array.from(document.querySelectorAll('#graph svg g.node title')).some((t) => t.textContent === 'late.demo'), null, { timeout: 15_000 });

  // Filters from the header reach the API.
  await page.check('#excludeInternet');
  await page.waitForFunction(() => !document.querySelector('#graph svg')?.textContent?.includes('Internet'), null, { timeout: 15_000 });
  await page.fill('#namespaces', 'shop');
  await page.press('#namespaces', 'Enter');
  await page.waitForFunction(() => document.querySelectorAll('#edges tr').length === 2, null, { timeout: 15_000 });
  await page.screenshot({ path: `${SCREENSHOT}/web-view-filtered.png`, fullPage: true });
  assert.equal(external, []);
  await page.close();
});

test('a failing API shows an error, not a blank page', async () => {
  const page = await browser.newPage();
  await page.route('**/api/v1/graph.svg*', (r) => r.fulfill({ status: 500, body: 'boom' }));
  await page.goto(base, { timeout: 15_000 });
  await page.waitForFunction(() => document.getElementById('status')?.className === 'error', null, { timeout: 15_000 });
  assert.match(await page.textContent('#status') ?? '', /update failed: graph: HTTP 500 boom/);
  await page.close();
});

test.run();
