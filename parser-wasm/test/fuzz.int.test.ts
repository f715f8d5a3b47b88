// Bounded, seeded fuzz run in a child process with a hard timeout: a trap, an unexpected
// exception, counters that do not add up, or a hang (an endless loop in WASM) fails the test.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { suiteNeeds } from '../../fixtures/test-support/needs.ts';
suiteNeeds('decoder fuzz', []);

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TIMEOUT_MS = 120_000;

function runFuzz(args: string[]): Promise<{ code: number | null; out: string; err: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'parser-wasm/scripts/fuzz.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timedOut = false;
    child.stdout.on('data', (c) => { out += c; });
    child.stderr.on('data', (c) => { err += c; });
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, TIMEOUT_MS);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, out, err, timedOut }); });
  });
}

for (const seed of [1, 20261121]) {
  test(`fuzz seed ${seed}: 60k mutated/random frames and 300 mutated files, no trap, no hang, counters add up`, async () => {
    const r = await runFuzz(['--seed', String(seed), '--frames', '60000', '--files', '300']);
    assert.not.ok(r.timedOut, `fuzz run did not finish in ${TIMEOUT_MS} ms (a hang)`);
    assert.is(r.code, 0, `fuzz failed: ${r.err.slice(-2000)}`);
    const summary = JSON.parse(r.out.trim().split('\n').pop()!);
    assert.is(summary.seed, seed);
    assert.is(summary.frames, 60000);
    assert.is(summary.files, 300);
    // The mutations must actually reach the DNS layer and its error paths, not only the link layer.
    assert.ok(summary.records > 100, `only ${summary.records} records`);
    for (const reason of ['dns-truncated', 'dns-bad-pointer', 'dns-label-too-long', 'truncated', 'bad-ip-header']) {
      assert.ok(summary.skipped[reason] > 0, `no '${reason}' skips: ${JSON.stringify(summary.skipped)}`);
    }
  });
}

test.run();
