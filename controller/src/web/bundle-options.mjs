// The esbuild options of the web map's browser bundle (client/main.ts → app.js + app.css), in one place for both
// builders: `npm run build` (controller/scripts/build.mjs, plain Node) and the controller's in-memory fallback
// (assets.ts). Plain JavaScript so the build script can import it without a TypeScript loader.
import { fileURLToPath } from 'node:url';

/** The bundle's entry. */
export const WEB_ENTRY = fileURLToPath(new URL('./client/main.ts', import.meta.url));
/** fCoSE on its own (fcose.js), loaded by the page when a namespace is drawn open (client/fcose-loader.ts). */
export const FCOSE_ENTRY = fileURLToPath(new URL('./client/fcose-chunk.ts', import.meta.url));

/** Options for esbuild's build(): IIFEs for browsers (app.js, fcose.js), minified, with the stylesheet beside them. */
export function webBundleOptions(outdir) {
  return {
    entryPoints: { app: WEB_ENTRY, fcose: FCOSE_ENTRY },
    bundle: true, outdir, format: 'iife', platform: 'browser', target: 'es2022',
    minify: true, legalComments: 'none', logLevel: 'silent', charset: 'utf8',
  };
}
