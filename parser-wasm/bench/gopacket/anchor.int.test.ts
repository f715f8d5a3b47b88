// The decoder bench's Go anchor must do the same job as `netmapper decode`: on real captures and
// on the generator's capture, both gopacket variants print byte for byte the same JSON lines.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildGopacketAnchor } from './build.ts';
import { generateCapture, seedFrames } from '../generate.ts';
import { suiteNeeds } from '../../../fixtures/test-support/needs.ts';
import { ensureBuilt } from '../../../fixtures/test-support/built.ts';
suiteNeeds('gopacket anchor', ['tool:go']);

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PCAP = join(ROOT, 'fixtures/pcap');
// Where gopacket 1.1.19 cannot read a frame that netmapper decodes, so the outputs differ:
const GOPACKET_CANNOT = new Map([
  ['dnscap__sll2.pcap', 'no LINUX_SLL2 (276) layer in gopacket 1.1.19'],
  ['pcapplusplus__null_loopback.pcap', 'a DLT_NULL header holding an ethertype (the form Wireshark accepts)'],
  ['pcapplusplus__linktype_ipv4.pcap', 'NewPacket has no decoder for LINKTYPE_IPV4 (228)'],
]);

const tmp = mkdtempSync(join(tmpdir(), 'gopacket-anchor-'));
const built = buildGopacketAnchor(tmp);

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.is(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
/** The built command, as users run it. */
const netmapper = (files: string[]) => run(process.execPath, ['dist/netmapper.js', 'decode', ...files]);

if ('skip' in built) {
  // Go is there (suiteNeeds), gopacket's sources are not: the same rule as a missing tool.
  if (process.env.CI === 'true') throw new Error(`gopacket anchor: ${built.skip} (CI=true: integration suites must run)`);
  process.stdout.write(`SKIP gopacket anchor: ${built.skip}\n`);
} else {
  ensureBuilt();
  const anchor = built.path;
  test('both gopacket variants print what netmapper decode prints, capture by capture', () => {
    const files = readdirSync(PCAP).filter((f) => /\.pcap(ng)?$/.test(f) && !GOPACKET_CANNOT.has(f)).map((f) => join(PCAP, f));
    assert.ok(files.length >= 30, `${files.length} captures`);
    // Both print every file's lines in argument order, so one run each compares them all.
    const ours = netmapper(files);
    assert.ok(ours.split('\n').length > 200, 'records compared');
    for (const mode of ['parser', 'packet']) assert.fixture(run(anchor, ['-mode', mode, ...files]), ours, `-mode ${mode}`);
  });

  test("the generator's capture: identical output, client ports gopacket maps to other protocols included", async () => {
    const path = join(tmp, 'gen.pcap');
    await generateCapture(path, 3e6, await seedFrames());
    const ours = netmapper([path]);
    assert.ok(ours.split('\n').length > 10_000);
    for (const mode of ['parser', 'packet']) assert.ok(run(anchor, ['-mode', mode, path]) === ours, `-mode ${mode} differs`);
  });

  test('the documented differences are real (so the exclusion list stays honest)', () => {
    for (const f of GOPACKET_CANNOT.keys()) {
      const ours = netmapper([join(PCAP, f)]);
      assert.ok(ours.length > 0, `${f}: netmapper finds records`);
      const theirs = ['parser', 'packet'].map((mode) => run(anchor, ['-mode', mode, join(PCAP, f)]));
      assert.ok(theirs.some((t) => t !== ours), `${f}: gopacket now agrees; drop it from GOPACKET_CANNOT`);
    }
  });
}

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
