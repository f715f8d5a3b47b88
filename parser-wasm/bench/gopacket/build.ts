// Builds the Go anchor (main.go beside this file) from Debian's packages: no module proxy.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const GOPATH = '/usr/share/gocode';
const SRC = fileURLToPath(new URL('.', import.meta.url));
const GOPACKET = join(GOPATH, 'src/github.com/google/gopacket');
export const GO_PACKAGES = 'golang-go golang-github-google-gopacket-dev golang-golang-x-net-dev golang-golang-x-sys-dev';

/** The binary's path in `outDir`, or why it could not be built (no Go, no gopacket, a compile error). */
export function buildGopacketAnchor(outDir: string): { path: string } | { skip: string } {
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) return { skip: `no Go toolchain (apt-get install ${GO_PACKAGES})` };
  if (!existsSync(GOPACKET)) return { skip: `no gopacket under ${GOPATH} (apt-get install ${GO_PACKAGES})` };
  const path = join(outDir, 'gopacket-decode');
  const r = spawnSync('go', ['build', '-o', path, '.'], {
    cwd: SRC, encoding: 'utf8',
    env: { ...process.env, GOPATH, GO111MODULE: 'off', CGO_ENABLED: '0', GOFLAGS: '' },
  });
  if (r.error || r.status !== 0) return { skip: `go build failed: ${(r.stderr || r.error?.message || '').trim()}` };
  return { path };
}
