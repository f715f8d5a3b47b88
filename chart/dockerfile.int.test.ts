// The Dockerfile, checked statically (no Docker engine here): pinned bases, stages, user, and agreement with the chart.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dockerignore, execForm, importClosure, last, parseDockerfile, runtimePackages } from '../fixtures/test-support/dockerfile.ts';
import { ENTRIES, ensureBuilt, entrySource } from '../fixtures/test-support/built.ts';
import { REPO_DIR, one, render } from '../fixtures/test-support/helm.ts';
import { suiteNeeds } from '../fixtures/test-support/needs.ts';
suiteNeeds('chart dockerfile', ['helm']);

const dockerfile = readFileSync(join(REPO_DIR, 'Dockerfile'), 'utf8');
const stages = parseDockerfile(dockerfile);
const build = stages.find((s) => s.name === 'build');
const runtime = stages[stages.length - 1];
const pkg = JSON.parse(readFileSync(join(REPO_DIR, 'package.json'), 'utf8'));
const ignored = dockerignore(readFileSync(join(REPO_DIR, '.dockerignore'), 'utf8'));
const chart = render();
const controller = one(chart, 'Deployment', '-controller');
const sniffer = one(chart, 'DaemonSet');
const runs = (stage: typeof runtime) => stage.instructions.filter((i) => i.op === 'RUN').map((i) => i.args).join('\n');

// node:<major.minor.patch>-<variant>, or any image pinned by digest.
const PINNED = /^(?:[^@\s]+@sha256:[a-f0-9]{64}|node:\d+\.\d+\.\d+-bookworm-slim(?:@sha256:[a-f0-9]{64})?)$/;

test('multi-stage: a build stage and a runtime stage, both on a pinned slim Node 20', () => {
  assert.ok(build, 'a stage named build');
  assert.is(stages.length, 2);
  assert.is.not(runtime, build);
  for (const s of stages) {
    assert.ok(PINNED.test(s.from), `base image '${s.from}' is pinned to an exact release or digest`);
    assert.match(s.from, /^node:20\./, `'${s.from}' is Node 20`);
    assert.not.match(s.from, /:latest|:lts|:current/);
  }
  // The runtime takes the build's output from the build stage, nothing from the context.
  const copies = runtime.instructions.filter((i) => i.op === 'COPY');
  assert.ok(copies.length > 0);
  for (const c of copies) assert.match(c.args, /^--from=build\s/, `runtime COPY takes from build: ${c.args}`);
});

test('build stage: installs locked deps, builds the WASM and dist/, type-checks, then drops dev dependencies', () => {
  const r = runs(build!);
  assert.match(r, 'npm ci');
  assert.match(r, /npm run build(\s|$)/);
  assert.match(pkg.scripts?.build ?? '', 'build:wasm', 'npm run build builds the WASM too');
  assert.match(pkg.scripts?.build ?? '', 'controller/scripts/build.mjs');
  assert.match(r, 'tsc --noEmit');
  assert.match(r, 'test -f dist/decoder.wasm');
  assert.match(r, 'npm prune --omit=dev');
  assert.match(r, /libpcap0\.8-dev|libpcap-dev/);
  // The lock file is copied before the sources so dependency layers are cached.
  const copies = build!.instructions.filter((i) => i.op === 'COPY').map((i) => i.args);
  assert.equal(copies[0], 'package.json package-lock.json ./');
});

test('runtime stage: libpcap with the unversioned libpcap.so, fonts, an init, a non-root user', () => {
  const r = runs(runtime);
  assert.match(r, /apt-get install[^\n]*\blibpcap0\.8\b/);
  assert.match(r, /ln -sf? libpcap\.so\.0\.8 "\$d\/libpcap\.so"/);
  assert.match(r, "ldconfig -p | grep -q 'libpcap\\.so '", 'the build fails if dlopen("libpcap.so") would not resolve');
  assert.match(r, 'fonts-dejavu-core');
  assert.match(r, '--uid 65532');
  assert.is(last(runtime, 'USER'), '65532:65532');
  assert.match(last(runtime, 'ENV') ?? '', 'NODE_ENV=production');
  const copied = runtime.instructions.filter((i) => i.op === 'COPY').map((i) => i.args.split(' ')[1]);
  assert.equal(copied.sort(), ['/app/dist', '/app/node_modules', '/app/package.json'], 'the runtime holds the build, its dependencies and package.json, no sources');
});

test('the block-mode loader path the chart sets is a directory the image fills with a libpcap.so', () => {
  const dir = sniffer.spec.template.spec.containers[0].env.find((e: any) => e.name === 'LD_LIBRARY_PATH').value;
  const r = runs(runtime);
  assert.match(r, `mkdir -p ${dir} `);
  assert.match(r, `libm.so.6 | head -n 1)" ${dir}/libpcap.so`, 'a library without pcap_set_immediate_mode');
  assert.match(r, `test -e ${dir}/libpcap.so`, 'the build fails if the decoy is missing');
});

test("chart and image agree: the entrypoint, the controller's uid, the command left to the image", () => {
  const entrypoint = execForm(last(runtime, 'ENTRYPOINT')!);
  assert.equal(entrypoint, ['/usr/bin/tini', '--', 'node'], 'plain node: the image runs the build, never tsx');
  assert.not.ok(pkg.dependencies?.tsx, 'tsx is not a runtime dependency');
  const cmd = execForm(last(runtime, 'CMD')!);
  for (const w of [controller, sniffer]) {
    const c = w.spec.template.spec.containers[0];
    assert.is(c.command, undefined, `${w.kind} keeps the image's entrypoint`);
    assert.is(c.workingDir, undefined, `${w.kind} keeps the image's WORKDIR`);
  }
  assert.is(controller.spec.template.spec.securityContext.runAsUser, 65532);
  assert.is(cmd[0], controller.spec.template.spec.containers[0].args[0], 'the default CMD is the controller role');
});

test('the entry files the chart runs exist in the repo and reach the image', () => {
  assert.is(last(runtime, 'WORKDIR'), '/app');
  assert.is(last(build!, 'WORKDIR'), '/app');
  const entries = [controller, sniffer].map((w) => w.spec.template.spec.containers[0].args[0] as string);
  assert.equal(entries, ['dist/controller.js', 'dist/sniffer.js']);
  assert.is(pkg.bin?.netmapper, 'dist/netmapper.js');
  assert.is(execForm(last(runtime, 'CMD')!)[0], 'dist/controller.js');
  // Each built entry's source is in the context; dist/ itself is built inside the image.
  for (const e of [...entries, pkg.bin.netmapper]) {
    const src = entrySource(e);
    assert.ok(existsSync(join(REPO_DIR, src)), `${src} (source of ${e}) exists in the repo`);
    assert.not.ok(ignored(src), `${src} is not excluded by .dockerignore`);
  }
  for (const f of ['asconfig.json', 'controller/scripts/build.mjs', 'controller/scripts/entries.json']) assert.not.ok(ignored(f), `${f} reaches the build stage`);
  // The WASM file the build copies beside the entries is the one `npm run build:wasm` writes.
  const asconfig = JSON.parse(readFileSync(join(REPO_DIR, 'asconfig.json'), 'utf8'));
  assert.is(asconfig.targets?.release?.outFile, 'parser-wasm/build/decoder.wasm');
  assert.match(pkg.scripts['build:wasm'], '--target release');
});

test('.dockerignore keeps dependencies, git, tools and build outputs out of the context', () => {
  for (const p of ['node_modules', 'node_modules/cap/build/Release/cap.node', 'controller/node_modules/x', '.git/HEAD', 'parser-wasm/build/decoder.wasm', '.tools/helm/helm', 'dist/controller.js']) {
    assert.ok(ignored(p), `${p} is ignored`);
  }
  for (const p of ['package.json', 'package-lock.json', 'tsconfig.json', 'parser-wasm/assembly/index.ts', 'controller/src/cli/main.ts']) {
    assert.not.ok(ignored(p), `${p} is kept`);
  }
});

test('every package the entry files load at run time is a production dependency', () => {
  const used = runtimePackages(REPO_DIR, Object.values(ENTRIES));
  assert.ok(used.has('hono') && used.has('cap'), 'the walk reaches the controller and the sniffer (it works)');
  // npm prune --omit=dev keeps optional dependencies: cap (libpcap) is one, loaded when capture starts.
  const missing = [...used].filter(([name]) => !pkg.dependencies?.[name] && !pkg.optionalDependencies?.[name]).map(([name, file]) => `${name} (imported by ${file})`);
  assert.equal(missing, [], 'imported at run time but pruned from the image (move them to dependencies)');
});

/** `--name=value` flags of a container's args, as names. */
function flagNames(args: string[]): string[] {
  return args.filter((a) => a.startsWith('--')).map((a) => a.slice(2).split('=')[0]);
}

test('every flag the chart passes is named in the source its entry file loads', () => {
  for (const w of [controller, sniffer]) {
    const args: string[] = w.spec.template.spec.containers[0].args;
    const entry = entrySource(args[0]);
    assert.ok(existsSync(join(REPO_DIR, entry)), `${entry} (source of ${args[0]}) exists in the repo`);
    const source = importClosure(REPO_DIR, [entry]).files.map((f) => readFileSync(f, 'utf8')).join('\n');
    // Flags switched off by default are rendered only when a value changes them; check those too.
    const all = new Set([...flagNames(args), ...flagNames(one(render({ values: ['test-values/all-switched.yaml'] }), w.kind, w.kind === 'Deployment' ? '-controller' : '').spec.template.spec.containers[0].args)]);
    // A quoted name ('store-file', "--port"), or a bare object key for names without a dash (port:).
    const named = (name: string) => new RegExp(`['"\`](--)?${name}['"\`=]`).test(source) || (!name.includes('-') && new RegExp(`\\b${name}\\s*:`).test(source));
    const unknown = [...all].filter((name) => !named(name));
    assert.equal(unknown, [], `${w.kind}: flags the chart passes but ${entry} and its imports never name`);
  }
});

/** True when every directory above `dir` lets other users through, so a non-root uid can read the repo. */
function traversableByOthers(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) return false;
    if (dirname(d) === d) return true;
  }
}

test("the image's entrypoint runs the built CLI with nothing writable, as uid 65532 when it can", () => {
  // What the image does: WORKDIR /app, its ENV, `node dist/<entry>.js`, the controller's user, and
  // no writable temp dir or home (the chart's root filesystem is read-only). /dev/null/x cannot be created
  // by anyone, root included.
  const argv = execForm(last(runtime, 'ENTRYPOINT')!);
  const nodeAt = argv.indexOf('node');
  assert.ok(nodeAt >= 0, 'the entrypoint runs node');
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/dev/null/home', TMPDIR: '/dev/null/tmp' };
  for (const m of (last(runtime, 'ENV') ?? '').matchAll(/(\w+)=(\S+)/g)) env[m[1]] = m[2];
  const asUser = process.getuid?.() === 0 && traversableByOthers(REPO_DIR) ? { uid: 65532, gid: 65532 } : {};
  ensureBuilt();
  const r = spawnSync(process.execPath, [...argv.slice(nodeAt + 1), pkg.bin.netmapper, '--help'], {
    cwd: REPO_DIR, env, ...asUser, encoding: 'utf8', timeout: 60_000,
  });
  assert.is(r.error, undefined, String(r.error));
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, 'Usage: netmapper <command>');
});

test.run();
