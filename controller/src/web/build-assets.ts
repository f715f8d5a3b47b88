// Build-time only: bundles the web map in memory with esbuild (the same options `npm run build` uses), for tests and
// benchmarks that serve the page in-process without a dist/. Never imported by a runtime entry.

import { build } from 'esbuild';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WEB_ASSET_FILES, type WebAssets } from './assets.ts';
import { WEB_ENTRY, webBundleOptions } from './bundle-options.mjs';

/** Bundles app.js and app.css; with `outDir`, also writes them there. Example: `await buildWebAssets('/tmp/web')`. */
export async function buildWebAssets(outDir?: string): Promise<WebAssets> {
  const res = await build({ ...webBundleOptions('out'), write: false });
  const pick = (name: string) => res.outputFiles.find((f) => f.path.endsWith(`/${name}`))?.text ?? '';
  const assets = { js: pick(WEB_ASSET_FILES.js), css: pick(WEB_ASSET_FILES.css), fcose: pick(WEB_ASSET_FILES.fcose) };
  if (!assets.js || !assets.fcose) throw new Error(`esbuild produced no script from ${WEB_ENTRY}`);
  if (outDir) {
    await mkdir(outDir, { recursive: true });
    for (const k of ['js', 'css', 'fcose'] as const) await writeFile(join(outDir, WEB_ASSET_FILES[k]), assets[k]);
  }
  return assets;
}
