// The web map's browser bundle: controller/src/web/client/*.ts (Cytoscape.js + fCoSE, no CDN) bundled by
// esbuild into app.js and app.css. `npm run build` writes them to dist/web/ (controller/scripts/build.mjs, with the
// same options from bundle-options.mjs); the controller serves that prebuilt copy when it is there, else bundles in
// memory once (source checkouts and tests).

import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WEB_ENTRY, webBundleOptions } from './bundle-options.mjs';

export interface WebAssets { js: string; css: string }

export const WEB_ASSET_FILES = { js: 'app.js', css: 'app.css' } as const;

/**
 * Bundles the page's script and style (esbuild, imported only here so a built controller never needs it).
 * With `outDir`, also writes app.js and app.css there. Example: `await buildWebAssets('dist/web')`.
 */
export async function buildWebAssets(outDir?: string): Promise<WebAssets> {
  const esbuild = await import('esbuild');
  const res = await esbuild.build({ ...webBundleOptions('out'), write: false });
  const pick = (ext: string) => res.outputFiles.find((f) => f.path.endsWith(ext))?.text ?? '';
  const assets = { js: pick('.js'), css: pick('.css') };
  if (!assets.js) throw new Error(`esbuild produced no script from ${WEB_ENTRY}`);
  if (outDir) {
    await mkdir(outDir, { recursive: true });
    await writeFile(join(outDir, WEB_ASSET_FILES.js), assets.js);
    await writeFile(join(outDir, WEB_ASSET_FILES.css), assets.css);
  }
  return assets;
}

/** Where a build puts the assets beside the bundled controller (dist/controller.js → dist/web/);
 *  NETMAPPER_WEB_DIR overrides. */
export function prebuiltDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.NETMAPPER_WEB_DIR ?? fileURLToPath(new URL('./web/', import.meta.url));
}

let cached: Promise<WebAssets> | undefined;

/** The prebuilt assets when present, else the bundle built in memory (once per process). */
export function loadWebAssets(dir = prebuiltDir()): Promise<WebAssets> {
  cached ??= (async () => {
    const js = join(dir, WEB_ASSET_FILES.js);
    if (existsSync(js)) return { js: readFileSync(js, 'utf8'), css: readFileSync(join(dir, WEB_ASSET_FILES.css), 'utf8') };
    return buildWebAssets();
  })();
  cached.catch(() => { cached = undefined; });
  return cached;
}

