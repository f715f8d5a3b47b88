// list / export / visualize / reset in process against the real controller app on loopback.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { parse, parseAllDocuments } from 'yaml';
import { run as list } from './list.ts';
import { run as exportVerb } from './export.ts';
import { run as visualize } from './visualize.ts';
import { run as reset } from './reset.ts';
import { captureIo, startTestController } from '../../../fixtures/test-support/test-controller.ts';
import type { TestController } from '../../../fixtures/test-support/test-controller.ts';
import { loadIntents, readText } from '../../../fixtures/test-support/export-testdata.ts';
import { loadCrdValidator } from '../../../fixtures/test-support/crd-schema.ts';
import { createIntentStore } from '../store/intent-store.ts';
import { syntheticMap } from '../../../fixtures/test-support/synthetic-map.ts';

let ctl: TestController;
let dir: string;
const fixture = loadIntents('internet.intents.json');
fixture[4] = { ...fixture[4], client: { ...fixture[4].client, labels: { tier: 'batch' } } };

test.before(async () => {
  ctl = await startTestController(fixture);
  dir = mkdtempSync(join(tmpdir(), 'netmapper-cli-'));
});
test.after(async () => {
  await ctl?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});
test.before.each(() => {
  ctl.requests.length = 0;
  ctl.override = undefined;
  ctl.seed(fixture);
});

const url = () => ['--mapper-url', ctl.url];

test('list prints the list text', async () => {
  const io = captureIo();
  assert.is(await list([...url()], io), 0);
  assert.is(io.text, readText('internet.list.txt'));
  assert.is(io.err, '');
  assert.equal(ctl.requests, ['GET /api/v1/intents']);
});

test('list --exclude-internet prints exactly the in-cluster map and asks the controller so', async () => {
  const io = captureIo();
  assert.is(await list([...url(), '--exclude-internet'], io), 0);
  assert.is(io.text, readText('internet-excluded.list.txt'));
  assert.equal(ctl.requests, ['GET /api/v1/intents?excludeInternet=true']);
});

test('filters: -n, --server, --exclude-services, --exclude-labels', async () => {
  let io = captureIo();
  assert.is(await list([...url(), '-n', 'shop', '--exclude-services=server,xkcd.com,203.0.113.7'], io), 0);
  // excludeServices matches workloads and domains; a bare IP destination is not a service name.
  assert.is(io.text, 'api in namespace shop calls:\n  - db in namespace data\nclient in namespace shop calls:\n  - 203.0.113.7 (Internet)\n  - google.com (Internet)\n');
  io = captureIo();
  assert.is(await list([...url(), '--server', 'db.data'], io), 0);
  assert.is(io.text, 'api in namespace shop calls:\n  - db in namespace data\n');
  io = captureIo();
  assert.is(await list([...url(), '--exclude-labels', 'tier=batch', '--exclude-internet'], io), 0);
  assert.is(io.text, 'client in namespace shop calls:\n  - server in namespace shop\n');
  assert.equal(ctl.requests, ['GET /api/v1/intents?namespaces=shop', 'GET /api/v1/intents?server=db.data',
    'GET /api/v1/intents?excludeLabels=tier%3Dbatch&excludeInternet=true']);
});

test('an empty map: "No connections found." on stderr, exit 0', async () => {
  const io = captureIo();
  assert.is(await list([...url(), '-n', 'nowhere'], io), 0);
  assert.is(io.text, '');
  assert.is(io.err, 'No connections found.\n');
  const j = captureIo();
  assert.is(await exportVerb([...url(), '-n', 'nowhere', '--format', 'json'], j), 0);
  assert.is(j.text, '[]\n');
  assert.is(j.err, 'No connections found.\n');
});

test("usage errors exit 2 with the reference's messages, before any request", async () => {
  const cases: [typeof list, string[], RegExp][] = [
    [list, ['--format', 'json'], /`json` output format is not supported in 'list' command. Try using 'export' instead/],
    [list, ['--server', 'a.b', '-n', 'b'], /server filter cannot be used with namespaces filter/],
    [exportVerb, ['--server', 'nodot'], /invalid server filter "nodot". Expected format: <server-name>.<namespace>/],
    [exportVerb, ['--output-type', 'dir'], /flag --output-type requires --output to specify output path/],
    [exportVerb, ['--output-version', 'v3'], /unknown --output-version "v3": use v1 or v2/],
    [exportVerb, ['--format', 'xml'], /unknown --format "xml": use yaml or json/],
    [exportVerb, ['-o', 'x', '--output-type', 'many'], /unknown --output-type "many"/],
    [visualize, [], /--output-path \(-o\) is required/],
    [visualize, ['-o', 'x.gif', '--format', 'gif'], /unknown --format "gif"/],
    [visualize, ['-o', 'x.png', '--clusters', 'yes'], /--clusters: expected auto, on or off, got "yes"/],
    [visualize, ['-o', 'x.png', '--dpi', '0'], /--dpi: expected a whole number from 18 to 600, got "0"/],
    [visualize, ['-o', 'x.png', '--dpi', '96.5'], /--dpi: expected a whole number from 18 to 600, got "96.5"/],
    [visualize, ['-o', 'x.png', '--max-size', '100'], /--max-size: expected a whole number from 256 to 16384, got "100"/],
    [visualize, ['-o', 'x.png', '--max-nodes', 'many'], /--max-nodes: expected a whole number from 1 to 100000, got "many"/],
    [list, ['--bogus'], /unknown flag --bogus/],
    [list, ['-n'], /flag -n needs a value/],
    [list, ['extra'], /unexpected argument "extra"/],
    [list, ['--exclude-internet=maybe'], /takes true or false/],
    [reset, ['--mapper-url', 'ftp://x'], /must be http:\/\/ or https:\/\//],
    [reset, ['--mapper-url', 'not a url'], /is not a URL/],
    [reset, ['--mapper-port', '70000'], /not a port number/],
    [reset, ['--timeout', 'soon'], /not a number of seconds/],
  ];
  for (const [verb, argv, message] of cases) {
    const io = captureIo();
    assert.is(await verb([...url(), ...argv], io), 2, argv.join(' '));
    assert.match(io.err, message, argv.join(' '));
    assert.match(io.err, /Run 'netmapper \w+ --help'/);
    assert.is(io.text, '');
  }
  assert.equal(ctl.requests, []);
});

test('--help for every verb', async () => {
  for (const [verb, name] of [[list, 'list'], [exportVerb, 'export'], [visualize, 'visualize'], [reset, 'reset']] as const) {
    const io = captureIo();
    assert.is(await verb(['--help'], io), 0);
    assert.match(io.text, `Usage: netmapper ${name}`);
    assert.match(io.text, '--mapper-url URL');
  }
  const io = captureIo();
  await exportVerb(['-h'], io);
  for (const f of ['-n, --namespaces', '--server NAME.NS', '--exclude-services', '--exclude-labels', '--exclude-internet', '-o, --output PATH', '--output-type', '--output-version v1|v2']) {
    assert.match(io.text, f);
  }
});

test('export to stdout: v2beta1 YAML, v1alpha3 YAML, JSON — the same text the controller route serves', async () => {
  for (const [argv, golden, route] of [
    [[], 'internet.v2.yaml', '/api/v1/clientintents'],
    [['--output-version', 'v1'], 'internet.v1.yaml', '/api/v1/clientintents?version=v1alpha3'],
    [['--format=json'], undefined, '/api/v1/clientintents?format=json'],
  ] as const) {
    const io = captureIo();
    assert.is(await exportVerb([...url(), ...argv], io), 0);
    if (golden) assert.is(io.text, `${readText(golden)}\n`);
    assert.is(io.text, await (await fetch(`${ctl.url}${route}`)).text(), route);
  }
});

test('export -o FILE: no trailing newline, a success line on stderr', async () => {
  const file = join(dir, 'all.yaml');
  const io = captureIo();
  assert.is(await exportVerb([...url(), '-o', file], io), 0);
  assert.is(readFileSync(file, 'utf8'), readText('internet.v2.yaml'));
  assert.is(io.err, `Successfully wrote intents into ${file}\n`);
  assert.is(io.text, '');
});

test('export --output-type dir: one valid file per client, <workload>.<namespace>.yaml', async () => {
  const out = join(dir, 'by-client');
  const io = captureIo();
  assert.is(await exportVerb([...url(), '-o', out, '--output-type', 'dir'], io), 0);
  assert.equal(readdirSync(out).sort(), ['api.shop.yaml', 'client.shop.yaml']);
  const v2 = loadCrdValidator('v2beta1');
  for (const f of readdirSync(out)) {
    const docs = parseAllDocuments(readFileSync(join(out, f), 'utf8'));
    assert.is(docs.length, 1);
    assert.equal(v2(docs[0].toJS()), [], f);
  }
  const v1dir = join(dir, 'v1');
  assert.is(await exportVerb([...url(), '-o', v1dir, '--output-type=dir', '--output-version=v1'], captureIo()), 0);
  const v1 = loadCrdValidator('v1alpha3');
  assert.equal(v1(parse(readFileSync(join(v1dir, 'client.shop.yaml'), 'utf8'))), []);
  const jdir = join(dir, 'json');
  assert.is(await exportVerb([...url(), '-o', jdir, '--output-type', 'dir', '--format', 'json'], captureIo()), 0);
  const [one] = JSON.parse(readFileSync(join(jdir, 'api.shop.json'), 'utf8'));   // a one-element array, as Otterize writes
  assert.is(one.metadata.name, 'api');
  assert.equal(v2(one), []);
});

test('visualize writes png, svg (case-insensitive format), jpg and dot', async () => {
  for (const [format, check] of [
    ['png', (b: Buffer) => b.subarray(1, 4).toString() === 'PNG'],
    ['SVG', (b: Buffer) => b.toString().includes('<svg') && b.toString().includes('>client.shop</text>')],
    ['jpeg', (b: Buffer) => b[0] === 0xff && b[1] === 0xd8 && b.at(-1) === 0xd9],
    ['dot', (b: Buffer) => b.toString().includes('"client.shop" -> "server.shop";')],
  ] as const) {
    const file = join(dir, `map.${format}`);
    const io = captureIo();
    assert.is(await visualize([...url(), '--format', format, '-o', file], io), 0, format);
    assert.ok(check(readFileSync(file)), format);
    assert.is(io.err, `Exported graph as ${format.toLowerCase()} format to path ${file}\n`);
  }
  // Kept for a person to look at: the PNG the CLI wrote.
  assert.is(await visualize([...url(), '-o', join(tmpdir(), 'netmapper-visualize.png')], captureIo()), 0);
});

/** 24 workloads in 3 namespaces: a map past the cluster threshold whose drawing is wide. */
function syntheticIntents() {
  const store = createIntentStore();
  for (const o of syntheticMap({ workloads: 24, edges: 60, namespaces: 3, now: Date.parse('2026-11-21T10:00:00Z') })) store.add(o);
  return store.query();
}

test('visualize --clusters on|off|auto: namespaces as DOT clusters or not', async () => {
  const dot = async (args: string[]) => {
    const file = join(dir, 'clusters.dot');
    const io = captureIo();
    assert.is(await visualize([...url(), '--format', 'dot', '-o', file, ...args], io), 0, io.err);
    return readFileSync(file, 'utf8');
  };
  const on = await dot(['--clusters', 'ON']);
  assert.match(on, /subgraph "cluster_\d+" \{\n {4}label="shop";/);
  assert.match(on, /label="Internet";/);
  assert.match(on, '    "client.shop" [label="client"];');
  const auto = await dot([]);   // 7 nodes: a small map
  assert.not.match(auto, 'subgraph');
  assert.match(auto, '  "client.shop";\n');
  // Past 15 nodes auto draws clusters; off still does not.
  ctl.seed(syntheticIntents());
  assert.match(await dot(['--clusters', 'auto']), /subgraph "cluster_\d+" \{\n {4}label="ns-0";/);
  const off = await dot(['--clusters', 'off']);
  assert.not.match(off, 'subgraph');
  assert.match(off, '  "app-0.ns-0";\n');
});

/** A PNG's width and height (IHDR). */
const pngSize = (b: Buffer) => [b.readUInt32BE(16), b.readUInt32BE(20)];

test('visualize --dpi and --max-size: the PNG scales with the resolution, down to the longest side', async () => {
  const png = async (args: string[]) => {
    const file = join(dir, 'scaled.png');
    const io = captureIo();
    assert.is(await visualize([...url(), '-o', file, ...args], io), 0, io.err);
    return pngSize(readFileSync(file));
  };
  const [w96, h96] = await png(['--dpi', '96']);
  const [w48, h48] = await png(['--dpi', '48']);
  assert.ok(w96 > 256 && Math.abs(w48 - w96 / 2) <= 1 && Math.abs(h48 - h96 / 2) <= 1, JSON.stringify({ w96, h96, w48, h48 }));
  const [w, h] = await png(['--dpi', '96', '--max-size', '256']);
  assert.is(Math.max(w, h), 256);
  assert.ok(Math.abs(w / h - w96 / h96) < 0.02, 'scaled, not cropped');
});

test('visualize: a map too large is refused (exit 1) naming the filters; narrowed by them, it is drawn', async () => {
  const file = join(dir, 'refused.png');
  let io = captureIo();
  assert.is(await visualize([...url(), '-o', file, '--max-nodes', '5'], io), 1);
  assert.match(io.err, /^netmapper visualize: the map has 7 nodes and 5 connections, more than an image can show readably \(at most 5 nodes and 15 connections; largest namespaces: shop 3, Internet 3, data 1\); narrow it with --namespaces, --server, --exclude-labels, --exclude-services or --exclude-internet \(or raise --max-nodes\)/);
  assert.not.ok(readdirSync(dir).includes('refused.png'), 'nothing written');
  io = captureIo();
  assert.is(await visualize([...url(), '-o', file, '--max-nodes', '5', '--exclude-internet'], io), 0, io.err);
  assert.ok(readdirSync(dir).includes('refused.png'));
  // A drawing that fits --max-size only below a readable resolution is refused the same way.
  ctl.seed(syntheticIntents());
  io = captureIo();
  assert.is(await visualize([...url(), '-o', join(dir, 'big.png'), '--max-size', '256'], io), 1);
  assert.match(io.err, /^netmapper visualize: the drawing is \d+ × \d+ px at 192 dpi; fitting it in 256 px would take \d+ dpi and leave the labels unreadable; narrow it with --namespaces/);
  assert.not.ok(readdirSync(dir).includes('big.png'));
});

test('reset POSTs /api/v1/reset and prints nothing; the map is then empty', async () => {
  const io = captureIo();
  assert.is(await reset([...url()], io), 0);
  assert.equal(ctl.requests, ['POST /api/v1/reset']);
  assert.is(io.text + io.err, '');
  const after = captureIo();
  assert.is(await list([...url()], after), 0);
  assert.is(after.err, 'No connections found.\n');
});

test('NETMAPPER_MAPPER_URL is used when --mapper-url is absent', async () => {
  const io = captureIo({ NETMAPPER_MAPPER_URL: `${ctl.url}/` });
  assert.is(await list([], io), 0);
  assert.is(io.text, readText('internet.list.txt'));
});

test('controller failures exit 1 with a clear message', async () => {
  ctl.override = { status: 500, body: '{"error":{"code":"internal","message":"store on fire"}}' };
  let io = captureIo();
  assert.is(await list([...url()], io), 1);
  assert.match(io.err, 'netmapper list: the controller answered 500 for /api/v1/intents: store on fire');
  ctl.override = { status: 200, body: '<html>' };
  io = captureIo();
  assert.is(await exportVerb([...url()], io), 1);
  assert.match(io.err, 'is not JSON');
  ctl.override = { status: 200, body: '{"items":[]}' };
  io = captureIo();
  assert.is(await list([...url()], io), 1);
  assert.match(io.err, 'no `intents` array');
  // A loopback port that was just freed: nothing listens there.
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as AddressInfo).port; s.close(() => resolve(p)); });
  });
  io = captureIo();
  assert.is(await reset(['--mapper-url', `http://127.0.0.1:${port}`], io), 1);
  assert.match(io.err, new RegExp(`could not reach the controller at http://127.0.0.1:${port}/api/v1/reset: .*ECONNREFUSED`));
});

test('--timeout bounds a controller that never answers', async () => {
  const { createServer: httpServer } = await import('node:http');
  const silent = httpServer(() => { /* never answers */ });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  try {
    const io = captureIo();
    assert.is(await list(['--mapper-url', `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, '--timeout', '0.5'], io), 1);
    assert.match(io.err, 'no answer within 0.5 s');
  } finally {
    silent.closeAllConnections();
    silent.close();
  }
});

test('malformed intents from the controller are skipped and counted, the rest listed', async () => {
  ctl.override = { status: 200, body: JSON.stringify({ intents: [{ client: { name: 'x' } }, 42, { ...fixture[3] }, { ...fixture[3], type: 'gossip' }] }) };
  const io = captureIo();
  assert.is(await list([...url()], io), 0);
  assert.is(io.text, 'client in namespace shop calls:\n  - server in namespace shop\n');
  assert.is(io.err, "warning: skipped 3 malformed intent(s) in the controller's answer\n");
});

test.run();
