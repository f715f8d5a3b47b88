import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { toClientIntents } from './client-intents.ts';
import { renderDot } from './graph-dot.ts';
import { encodeJpeg, renderJpg, renderPng, renderSvg } from './graph-image.ts';
import { loadIntents } from '../../../fixtures/test-support/export-testdata.ts';
import { launchChromium } from '../../../fixtures/test-support/chromium.ts';
import type { Browser, Page } from 'playwright-core';
import { suiteNeeds } from '../../../fixtures/test-support/needs.ts';
suiteNeeds('graph images', ['chromium']);

const docs = toClientIntents([...loadIntents('reference.intents.json'), ...loadIntents('internet.intents.json')]);
const dot = renderDot(docs);

let browser: Browser;
let page: Page;
test.before(async () => { browser = await launchChromium(); page = await browser.newPage(); });
test.after(async () => { await browser?.close(); });

/** Decodes images in Chromium; returns each one's size and the stats the tests need, computed
 *  in the page (shipping megapixels back as JSON is slow). `diff` is the mean absolute RGB
 *  difference of every image from the first; `dark` counts pixels with red < 64. */
async function decode(images: { bytes: Uint8Array; mime: string }[], probes: [number, number][] = []) {
  const input = images.map((i) => [Buffer.from(i.bytes).toString('base64'), i.mime]);
  return page.evaluate(async ({ input, probes }) => {
    const out = [];
    let first: Uint8ClampedArray | undefined;
    for (const [data, type] of input) {
      const bmp = await createImageBitmap(await (await fetch(`data:${type};base64,${data}`)).blob());
      const ctx = new OffscreenCanvas(bmp.width, bmp.height).getContext('2d')!;
      ctx.drawImage(bmp, 0, 0);
      const px = ctx.getImageData(0, 0, bmp.width, bmp.height).data;
      let dark = 0;
      let diff = 0;
      for (let i = 0; i < px.length; i += 4) {
        if (px[i] < 64) dark++;
        if (first && first.length === px.length) for (let c = 0; c < 3; c++) diff += Math.abs(px[i + c] - first[i + c]);
      }
      first ??= px;
      const at = probes.map(([x, y]) => Array.from(px.slice((y * bmp.width + x) * 4, (y * bmp.width + x) * 4 + 4)));
      out.push({ w: bmp.width, h: bmp.height, dark, diff: diff / (px.length / 4 * 3), at });
    }
    return out;
  }, { input, probes });
}

test('DOT: rankdir=LR, one node per name.namespace, one edge per target', () => {
  assert.match(dot, /rankdir=LR;/);
  assert.is((dot.match(/ -> /g) ?? []).length, docs.reduce((n, d) => n + d.targets.length, 0));
  for (const n of ['"client.demo"', '"kafka.kafka"', '"kubernetes.default"', '"db.data"', '"google.com (Internet)"']) assert.ok(dot.includes(`  ${n}`), n);
  assert.ok(dot.includes('"api.shop" -> "db.data";'));
});

test('DOT quotes names so odd characters cannot break the graph', () => {
  const odd = renderDot([{ name: 'a"b', namespace: 'n', workload: { name: 'a"b' }, targets: [{ kubernetes: { name: 'x\\y' } }] }]);
  assert.ok(odd.includes('"a\\"b.n" -> "x\\\\y.n";'), odd);
});

test('an empty map still gives a valid, empty image', async () => {
  const empty = renderDot([]);
  assert.not.match(empty, '->');
  assert.match(await renderSvg(empty), '<svg');
  assert.equal([...(await renderPng(empty)).subarray(1, 4)], [0x50, 0x4e, 0x47]);
  assert.equal([...(await renderJpg(empty)).subarray(0, 2)], [0xff, 0xd8]);
});

test('SVG from Graphviz WASM has a node and a label per workload', async () => {
  const svg = await renderSvg(dot);
  assert.match(svg, /^<\?xml|<svg/);
  for (const label of ['client.demo', 'web.demo', 'xkcd.com (Internet)']) assert.ok(svg.includes(`>${label}</text>`), label);
  assert.is((svg.match(/class="edge"/g) ?? []).length, 9);
});

test('PNG decodes in Chromium, white background, dark label pixels present', async () => {
  const png = await renderPng(dot);
  assert.equal([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const [img] = await decode([{ bytes: png, mime: 'image/png' }], [[0, 0]]);
  assert.ok(img.w > 400 && img.h > 400, `${img.w}x${img.h}`);
  assert.equal(img.at[0], [255, 255, 255, 255]);
  assert.ok(img.dark > 1000, `dark pixels: ${img.dark}`);
});

test('JPG decodes in Chromium to the same picture as the PNG', async () => {
  const [png, jpg] = [await renderPng(dot), await renderJpg(dot)];
  assert.equal([...jpg.subarray(0, 2)], [0xff, 0xd8]);
  assert.equal([...jpg.subarray(-2)], [0xff, 0xd9]);
  const [a, b] = await decode([{ bytes: png, mime: 'image/png' }, { bytes: jpg, mime: 'image/jpeg' }]);
  assert.equal([b.w, b.h], [a.w, a.h]);
  assert.ok(b.diff < 2, `mean abs difference ${b.diff}`);
  assert.ok(Math.abs(b.dark - a.dark) < a.dark * 0.2, `dark pixels png ${a.dark} jpg ${b.dark}`);
});

test('JPEG encoder: colours, odd sizes and transparency survive a Chromium decode', async () => {
  const w = 37; const h = 21;
  const px = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const i = (y * w + x) * 4;
    px.set(x < 12 ? [220, 30, 30, 255] : x < 24 ? [30, 200, 60, 255] : [40, 60, 230, y < 10 ? 255 : 0], i);
  }
  const [img] = await decode([{ bytes: encodeJpeg(px, w, h, 95), mime: 'image/jpeg' }], [[5, 5], [18, 15], [30, 4], [30, 17]]);
  assert.equal([img.w, img.h], [w, h]);
  const want = [[220, 30, 30], [30, 200, 60], [40, 60, 230], [255, 255, 255]]; // the last was transparent: white
  want.forEach((rgb, k) => assert.ok(rgb.every((v, i) => Math.abs(v - img.at[k][i]) <= 12), `${img.at[k]} vs ${rgb}`));
  assert.throws(() => encodeJpeg(px, 0, 5), /outside/);
  assert.throws(() => encodeJpeg(px, w, h + 1), /too few/);
});

test.run();
