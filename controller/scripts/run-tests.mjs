// The test tiers. Usage: node controller/scripts/run-tests.mjs unit|integration|all
//   unit         every *.test.ts except *.int.test.ts: uvu, one run per package (no root, no tools, fast)
//   integration  every *.int.test.ts, each in its own process; a suite whose needs are missing prints
//                `SKIP <suite>: <reason>` and counts as skipped (under CI=true it fails instead)
//   all          typecheck + unit + integration + as-pect (what .ci/test runs)
// Ends with one line `N passed, N failed` (plus skipped suites, if any); exit 1 on any failure.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PACKAGES = ['parser-wasm', 'sniffer', 'controller', 'chart', 'fixtures'];
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'build', '.tools']);
const UNIT_PATTERN = '(^|/)[^/]+(?<!\\.int)\\.test\\.ts$';
/** Per process: uvu has no per-test timeout. */
const SUITE_TIMEOUT_MS = 30 * 60_000;

const strip = (s) => s.replace(/\x1b\[[0-9;]*m/g, '');
const totals = { passed: 0, failed: 0, skippedSuites: [] };

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (SKIP_DIRS.has(name) || name.startsWith('.test-dist-')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.int.test.ts')) out.push(p);
  }
  return out;
}

/** Runs a command, echoing its output; resolves with exit code and text. */
function run(cmd, args, { timeoutMs = SUITE_TIMEOUT_MS, quiet = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    const on = (d) => { text += d; if (!quiet) process.stdout.write(d); };
    child.stdout.on('data', on);
    child.stderr.on('data', on);
    const timer = setTimeout(() => { text += `\n(timed out after ${timeoutMs} ms)\n`; child.kill('SIGKILL'); }, timeoutMs);
    child.on('close', (code, signal) => { clearTimeout(timer); resolve({ code: code ?? (signal ? 1 : 0), text: strip(text) }); });
  });
}

/** Adds a uvu run's totals; a runner that failed without a failing test (an import error) counts one failure. */
function countUvu(name, { code, text }) {
  const total = Number(/^ {2}Total:\s+(\d+)/m.exec(text)?.[1] ?? 0);
  const passed = Number(/^ {2}Passed:\s+(\d+)/m.exec(text)?.[1] ?? 0);
  totals.passed += passed;
  totals.failed += total - passed;
  if (code !== 0 && total - passed === 0) { totals.failed += 1; console.log(`${name}: exited ${code} before reporting a failure`); }
}

async function typecheck() {
  console.log('=== typecheck');
  const r = await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.json'], { quiet: true });
  if (r.code === 0) { totals.passed += 1; console.log('typecheck: ok'); } else { totals.failed += 1; console.log('typecheck: FAILED'); console.log(r.text.split('\n').slice(0, 50).join('\n')); }
}

async function unit() {
  for (const pkg of PACKAGES) {
    console.log(`=== unit ${pkg}`);
    countUvu(`unit ${pkg}`, await run(process.execPath, ['--import', 'tsx', join(ROOT, 'node_modules/uvu/bin.js'), pkg, UNIT_PATTERN]));
  }
}

async function integration() {
  for (const file of walk(ROOT).sort()) {
    const name = relative(ROOT, file);
    console.log(`=== integration ${name}`);
    const r = await run(process.execPath, ['--import', 'tsx', file]);
    const skip = /^SKIP (.*)$/m.exec(r.text);
    if (skip && r.code === 0 && !/^ {2}Total:/m.test(r.text)) { totals.skippedSuites.push(skip[1]); continue; }
    countUvu(name, r);
  }
}

async function aspect() {
  console.log('=== as-pect');
  const r = await run(process.execPath, [join(ROOT, 'node_modules/@as-pect/cli/bin/asp.js'), '--config', 'as-pect.config.js', '--no-logo']);
  const m = [...r.text.matchAll(/^ *\[Tests\]: *(\d+) *\/ *(\d+)/gm)].at(-1);
  const [pass, total] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  totals.passed += pass;
  totals.failed += total - pass;
  if (r.code !== 0 && total - pass === 0) { totals.failed += 1; console.log(`as-pect: exited ${r.code} before reporting a failure`); }
}

const mode = process.argv[2] ?? 'unit';
const steps = { unit: [unit], integration: [integration], all: [typecheck, unit, integration, aspect] }[mode];
if (!steps) { console.error(`usage: run-tests.mjs unit|integration|all (got ${mode})`); process.exit(2); }
for (const step of steps) await step();
if (totals.skippedSuites.length) console.log(`\nskipped suites (${totals.skippedSuites.length}):\n${totals.skippedSuites.map((s) => `  ${s}`).join('\n')}`);
// Leading newline: as-pect ends its output without one.
console.log(`\n${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed === 0 ? 0 : 1);
