// The layout's arrows, checked on every run: a static import that points the wrong way fails here,
// naming the file and the import. Production files only (tests may compose across the seams).
//   sniffer/          → parser-wasm/, controller/contract, controller/common only
//   controller/src/   (except cli/) → never sniffer/
//   controller/contract, controller/common → never controller/src or sniffer/
//   parser-wasm/src   → never controller/ or sniffer/

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function* files(dir: string): Generator<string> {
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) { if (e.name !== 'node_modules' && e.name !== 'test-support' && e.name !== 'testdata') yield* files(p); }
    else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) yield p;
  }
}

/** Repository-relative targets of a file's relative imports. */
export function importsOf(file: string, text = readFileSync(join(ROOT, file), 'utf8')): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    if (spec?.startsWith('.')) out.push(relative(ROOT, resolve(ROOT, dirname(file), spec)));
  }
  return out;
}

const under = (p: string, dir: string): boolean => p === dir || p.startsWith(`${dir}/`);

/** The rule a (file → target) pair breaks, or undefined. */
export function violation(file: string, target: string): string | undefined {
  if (under(file, 'sniffer') && (under(target, 'controller') && !under(target, 'controller/contract') && !under(target, 'controller/common'))) {
    return 'the sniffer imports only parser-wasm/, controller/contract and controller/common';
  }
  if (under(file, 'controller/src') && !under(file, 'controller/src/cli') && under(target, 'sniffer')) return 'the controller core never imports the sniffer';
  if ((under(file, 'controller/contract') || under(file, 'controller/common')) && (under(target, 'controller/src') || under(target, 'sniffer'))) {
    return 'contract and common import nothing from controller/src or sniffer/';
  }
  if (under(file, 'parser-wasm') && (under(target, 'controller') || under(target, 'sniffer'))) return 'the decoder library imports neither deployable';
  return undefined;
}

test('the rules catch each wrong arrow', () => {
  assert.ok(violation('sniffer/src/x.ts', 'controller/src/contract.ts'));
  assert.ok(violation('controller/src/ingest.ts', 'sniffer/src/replay.ts'));
  assert.ok(violation('controller/common/ip.ts', 'controller/src/resolve/ip.ts'));
  assert.ok(violation('controller/contract/schema.ts', 'sniffer/src/x.ts'));
  assert.ok(violation('parser-wasm/src/x.ts', 'controller/common/ip.ts'));
  assert.not.ok(violation('controller/src/cli/replay/replay-captures.ts', 'sniffer/src/replay.ts'));
  assert.not.ok(violation('sniffer/src/x.ts', 'controller/contract/schema.ts'));
  assert.equal(importsOf('sniffer/src/x.ts', "import { a } from '../../controller/src/app.ts';\nconst m = await import('./y.ts');"), ['controller/src/app.ts', 'sniffer/src/y.ts']);
});

test('no production file imports against the layout', () => {
  const bad: string[] = [];
  let scanned = 0, imports = 0;
  for (const dir of ['sniffer', 'controller', 'parser-wasm/src']) {
    for (const f of files(dir)) {
      scanned++;
      for (const t of importsOf(f)) { imports++; const v = violation(f, t); if (v) bad.push(`${f} → ${t}: ${v}`); }
    }
  }
  assert.ok(scanned > 80 && imports > 300, `scanned ${scanned} files, ${imports} imports: the walk is broken`);
  assert.equal(bad, []);
});

/** Value imports of ajv, TypeBox or the contract's TypeBox schemas in `text` (type-only imports are erased at build). */
export const validatorLibraryImports = (text: string): string[] =>
  [...text.matchAll(/(?:^|\n)\s*import\s+(?!type\s)[^'"]*?from\s*['"]((?:ajv|@sinclair\/typebox|[^'"]*json-schema\.ts)[^'"]*)['"]|import\(\s*['"]((?:ajv|@sinclair\/typebox|[^'"]*json-schema\.ts)[^'"]*)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!);

test('no run-time module loads ajv or TypeBox: every command imports the contract, and they cost start-up time (json-schema.ts is for types and tests)', () => {
  assert.equal(validatorLibraryImports("import { Type } from '@sinclair/typebox/type';\nimport type { Static } from '@sinclair/typebox/type';\nconst a = await import('ajv');\nimport { X } from './json-schema.ts';\nimport type { Y } from './json-schema.ts';"), ['@sinclair/typebox/type', 'ajv', './json-schema.ts']);
  const bad: string[] = [];
  for (const dir of ['sniffer', 'controller', 'parser-wasm/src']) {
    for (const f of files(dir)) if (f !== 'controller/contract/json-schema.ts') for (const lib of validatorLibraryImports(readFileSync(join(ROOT, f), 'utf8'))) bad.push(`${f} → ${lib}`);
  }
  assert.equal(bad, []);
});

test.run();
