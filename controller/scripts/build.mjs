// `npm run build`: every role as plain JavaScript in dist/ (esbuild, ESM, code splitting so each
// command loads only what it runs), with decoder.wasm beside the entries. Node runs dist/ directly.
// Usage: node controller/scripts/build.mjs [--bundle-deps] [--outdir DIR] [--metafile]
//   --bundle-deps  bundle every npm package but the native ones (default: packages stay external and
//                  load from node_modules, except @kubernetes/client-node: see BUNDLED_PACKAGES)
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { webBundleOptions } from '../src/web/bundle-options.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WASM = join(ROOT, 'parser-wasm', 'build', 'decoder.wasm');

/** dist/<name>.js ← source, one line per role in entries.json; a new role (kafka-watcher, istio-watcher) is one more line. */
/** netmapper_build_info's version and revision: package.json, and $NETMAPPER_REVISION or the checkout's HEAD. */
function buildStamp() {
  const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
  let revision = process.env.NETMAPPER_REVISION || 'unknown';
  if (!process.env.NETMAPPER_REVISION) {
    const r = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status === 0) revision = r.stdout.trim();
  }
  return { version, revision };
}

export const ENTRIES = JSON.parse(readFileSync(join(ROOT, 'controller', 'scripts', 'entries.json'), 'utf8'));

const REQUIRE_SHIM = "import { createRequire as __nmCreateRequire } from 'node:module'; const require = __nmCreateRequire(import.meta.url);";

/** `netmapper replay` with no arguments replays this (the README's main command). */
const DEFAULT_FIXTURE = { dir: 'fixtures/online-boutique', snapshot: 'cluster.yaml', capture: 'capture.pcap' };

/**
 * Copies the default fixture into dist/, the snapshot as JSON: the snapshot loader reads JSON with
 * JSON.parse, which takes a few ms where YAML parsing of the same 130 KB took ~300 ms of a replay.
 */
function writeDefaultFixture(outdir) {
  const src = join(ROOT, DEFAULT_FIXTURE.dir);
  const dest = join(outdir, 'fixtures', 'online-boutique');
  mkdirSync(dest, { recursive: true });
  const docs = parseAllDocuments(readFileSync(join(src, DEFAULT_FIXTURE.snapshot), 'utf8'));
  for (const d of docs) if (d.errors.length) throw new Error(`${DEFAULT_FIXTURE.dir}/${DEFAULT_FIXTURE.snapshot}: ${d.errors[0].message}`);
  const values = docs.map((d) => d.toJS()).filter((v) => v != null);
  writeFileSync(join(dest, 'cluster.json'), JSON.stringify(values.length === 1 ? values[0] : values));
  copyFileSync(join(src, DEFAULT_FIXTURE.capture), join(dest, 'capture.pcap'));
}

/** Native addons and packages that load files beside themselves: never bundled. */
const ALWAYS_EXTERNAL = ['cap', '@resvg/resvg-js'];

/**
 * Bundled even when packages stay external:
 * - @kubernetes/client-node 2.x depends on undici 8, which crashes on import under Node 20
 *   (zlib.createZstdDecompress). The repo's `overrides` pins undici 7, but overrides apply only at the
 *   root: an installed package would get undici 8. Bundling client-node with everything it imports
 *   takes the overridden undici from this repo's node_modules.
 * - the pure-JS packages commands load at start-up (prom-client, the YAML parsers, Hono; the contract's
 *   ajv and TypeBox were among them until its validators were written by hand): from node_modules,
 *   Node's resolver (stat, realpath, package.json reads) and CommonJS wrapper compiled ~700 KB over
 *   9 packages per start — measured, `netmapper replay` took
 *   0.60–0.65 CPU-s with them external and 0.33–0.35 bundled.
 */
const BUNDLED_PACKAGES = ['@kubernetes/client-node', 'yaml', 'js-yaml', 'prom-client', 'hono', '@hono/node-server'];

const isBare = (spec) => !spec.startsWith('.') && !spec.startsWith('/') && !spec.startsWith('node:');
const packageOf = (spec) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');

/** Keeps npm packages external, except BUNDLED_PACKAGES and whatever they import. */
const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (!isBare(args.path) || args.kind === 'entry-point') return undefined;
      const pkg = packageOf(args.path);
      if (ALWAYS_EXTERNAL.includes(pkg)) return { path: args.path, external: true };
      if (BUNDLED_PACKAGES.includes(pkg) || args.importer.includes('/node_modules/')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

export async function buildDist({ outdir = join(ROOT, 'dist'), bundleDeps = false, metafile = false } = {}) {
  if (!existsSync(WASM)) throw new Error(`${relative(ROOT, WASM)} is missing: run 'npm run build:wasm' first`);
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const entryPoints = Object.entries(ENTRIES)
    .filter(([, src]) => existsSync(join(ROOT, src)))
    .map(([out, src]) => ({ out, in: join(ROOT, src) }));
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    ...(bundleDeps ? { external: ALWAYS_EXTERNAL } : { plugins: [externalPackages] }),
    define: { NETMAPPER_DIST: 'true', NETMAPPER_BUILD: JSON.stringify(buildStamp()) },
    // Bundled CommonJS packages call require(): give the ESM output one.
    banner: { js: `#!/usr/bin/env node\n${REQUIRE_SHIM}` },
    chunkNames: 'chunk-[hash]',
    sourcemap: false,
    minifySyntax: true,
    legalComments: 'none',
    metafile,
    logLevel: 'warning',
  });
  copyFileSync(WASM, join(outdir, 'decoder.wasm'));
  // The sniffer's capture-drop reader (sniffer/native/build.mjs), when it could be built here.
  const packetStats = join(ROOT, 'sniffer', 'native', 'build', 'packet-stats.node');
  if (existsSync(packetStats)) copyFileSync(packetStats, join(outdir, 'packet-stats.node'));
  // The web map's browser bundle, served by the controller from dist/web (controller/src/web/assets.ts).
  await build(webBundleOptions(join(outdir, 'web')));
  writeDefaultFixture(outdir);
  writeFileSync(join(outdir, 'package.json'), '{"type":"module"}\n');
  if (metafile) writeFileSync(join(outdir, 'meta.json'), JSON.stringify(result.metafile));
  return { outdir, entries: entryPoints.map((e) => e.out) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { 'bundle-deps': { type: 'boolean' }, outdir: { type: 'string' }, metafile: { type: 'boolean' } } });
  const t0 = performance.now();
  const { outdir, entries } = await buildDist({ outdir: values.outdir && resolve(values.outdir), bundleDeps: values['bundle-deps'], metafile: values.metafile });
  process.stderr.write(`build: ${entries.map((e) => `${e}.js`).join(', ')} + decoder.wasm in ${relative(process.cwd(), outdir) || '.'} (${Math.round(performance.now() - t0)} ms)\n`);
}
