// The web map's browser bundle: controller/src/web/client/*.ts (Cytoscape.js + fCoSE, no CDN), bundled by esbuild
// into app.js, fcose.js and app.css by `npm run build` (controller/scripts/build.mjs → dist/web/, options in
// bundle-options.mjs). The controller only reads the prebuilt files: esbuild is a build tool, never loaded at run
// time, so the image can prune it. Tests that serve the page in-process bundle it with build-assets.ts.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** app.js and app.css; fcose.js, the layout extension the page loads when a namespace is drawn open. */
export interface WebAssets { js: string; css: string; fcose?: string }

export const WEB_ASSET_FILES = { js: 'app.js', css: 'app.css', fcose: 'fcose.js' } as const;

declare const NETMAPPER_DIST: boolean | undefined;

/** dist/web beside the bundled controller; from a source checkout, the repository's dist/web (`npm run build`).
 *  NETMAPPER_WEB_DIR overrides. */
export function prebuiltDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.NETMAPPER_WEB_DIR ?? fileURLToPath(new URL(typeof NETMAPPER_DIST !== 'undefined' ? './web/' : '../../../dist/web/', import.meta.url));
}

let cached: { dir: string; assets: WebAssets } | undefined;

/** The prebuilt assets of `dir`, read once per process. Throws, naming the fix, when they were never built. */
export async function loadWebAssets(dir = prebuiltDir()): Promise<WebAssets> {
  if (cached?.dir === dir) return cached.assets;
  const js = join(dir, WEB_ASSET_FILES.js);
  if (!existsSync(js)) throw new Error(`the web map's assets are not built (no ${js}): run \`npm run build\`, or point NETMAPPER_WEB_DIR at a built dist/web`);
  const assets = { js: readFileSync(js, 'utf8'), css: readFileSync(join(dir, WEB_ASSET_FILES.css), 'utf8'), fcose: readFileSync(join(dir, WEB_ASSET_FILES.fcose), 'utf8') };
  cached = { dir, assets };
  return assets;
}
