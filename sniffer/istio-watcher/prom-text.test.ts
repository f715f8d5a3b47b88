import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readIstioFixture, sampleLine } from '../../fixtures/test-support/istio-scrapes.ts';
import { parsePrometheusText, type ParseResult } from './prom-text.ts';

const REAL = readIstioFixture('zirain-httpbin-merged.prom');

test('the real merged scrape of an httpbin sidecar parses with nothing skipped', () => {
  const r = parsePrometheusText(REAL);
  assert.equal(r.skipped, {});
  assert.is(r.truncated, false);
  // 857 lines, 341 of them comments, none blank: every other line is a sample.
  assert.is(r.samples.length, 857 - 341);
  const req = r.samples.filter((s) => s.name === 'istio_requests_total');
  assert.is(req.length, 1);
  assert.is(req[0]!.value, 2);
  assert.is(req[0]!.labels.get('destination_service'), 'httpbin.default.svc.cluster.local');
  assert.is(req[0]!.labels.get('source_principal'), 'spiffe://cluster.local/ns/default/sa/sleep');
  assert.is(req[0]!.labels.get('grpc_response_status'), '');
  assert.is(req[0]!.labels.size, 25);
  const uptime = r.samples.find((s) => s.name === 'envoy_server_uptime');
  assert.is(uptime?.value, 65326);
  assert.is(uptime?.labels.size, 0);
  const inf = r.samples.find((s) => s.name === 'istio_agent_pilot_proxy_convergence_time_bucket' && s.labels.get('le') === '+Inf');
  assert.ok(inf);
  assert.is(r.samples.find((s) => s.name === 'istio_agent_process_start_time_seconds')?.value, 1.71339620581e+09);
});

test('a name filter parses only the wanted family and counts the rest as ignored', () => {
  const r = parsePrometheusText(REAL, { names: new Set(['istio_requests_total']) });
  assert.is(r.samples.length, 1);
  assert.is(r.ignored, 857 - 341 - 1);
});

test('label values keep dots, quotes, backslashes, commas, braces, spaces and newlines', () => {
  const values = ['/index.html', '/a"b', '/c\\d', '/x,y}z{', '/with space', 'line\nbreak', '/é/日本', ''];
  const text = values.map((v, i) => sampleLine('m', [['request_path', v], ['i', String(i)]], i)).join('\n');
  const r = parsePrometheusText(text);
  assert.equal(r.skipped, {});
  assert.equal(r.samples.map((s) => s.labels.get('request_path')), values);
  assert.equal(r.samples.map((s) => s.value), values.map((_, i) => i));
});

test('the grammar\'s optional parts: blanks, trailing comma, timestamps, special values, CRLF, # comments', () => {
  const text = [
    '# HELP m help with "quotes"', '# TYPE m counter', '',
    'm{a="1",} 1', 'm { a = "2" , b="x" } 2 1700000000000', 'm 3', 'm{} 4', '\tm{a="5"}\t5\r',
    'm{a="6"} NaN', 'm{a="7"} +Inf', 'm{a="8"} -Inf', 'm{a="9"} 1.5e+3', 'm{a="10"} .5', '# EOF',
  ].join('\n');
  const r = parsePrometheusText(text);
  assert.equal(r.skipped, {});
  assert.equal(r.samples.map((s) => s.value).slice(0, 6), [1, 2, 3, 4, 5, NaN]);
  assert.equal(r.samples.slice(6).map((s) => s.value), [Infinity, -Infinity, 1500, 0.5]);
  assert.is(r.samples[1]!.labels.get('b'), 'x');
  assert.is(r.samples[4]!.labels.get('a'), '5');
});

test('malformed lines are skipped and counted by reason; good lines around them survive', () => {
  const bad: [string, string][] = [
    ['9m 1', 'bad-metric-name'], ['m-x 1', 'bad-metric-name'], ['m{9a="x"} 1', 'bad-label-name'], ['m{a:b="x"} 1', 'bad-label-name'],
    ['m{a} 1', 'bad-label-name'], ['m{a=x} 1', 'bad-label-value'], ['m{a="x} 1', 'bad-label-value'], ['m{a="x" b="y"} 1', 'bad-label-value'],
    ['m{a="\\q"} 1', 'bad-escape'], ['m{a="1",a="2"} 1', 'duplicate-label'], ['m{a="1"}', 'bad-value'], ['m', 'bad-value'],
    ['m{a="1"} one', 'bad-value'], ['m{a="1"} 0x10', 'bad-value'], ['m 1 1.5', 'bad-timestamp'], ['m 1 2 3', 'trailing-garbage'],
  ];
  const text = ['good 1', ...bad.map(([l]) => l), 'good 2'].join('\n');
  const r = parsePrometheusText(text);
  assert.equal(r.samples.map((s) => s.value), [1, 2]);
  const expected: Record<string, number> = {};
  for (const [, reason] of bad) expected[reason] = (expected[reason] ?? 0) + 1;
  assert.equal(r.skipped, expected);
});

test('bounds: a line past maxLineLength is skipped; maxSamples truncates; maxLabels is enforced', () => {
  const long = sampleLine('m', [['request_path', `/${'x'.repeat(200)}`]], 1);
  let r = parsePrometheusText(`m 1\n${long}\nm 2`, { maxLineLength: 100 });
  assert.equal(r.samples.map((s) => s.value), [1, 2]);
  assert.equal(r.skipped, { 'line-too-long': 1 });
  r = parsePrometheusText('m 1\nm 2\nm 3\n', { maxSamples: 2 });
  assert.is(r.samples.length, 2);
  assert.is(r.truncated, true);
  const many = sampleLine('m', Array.from({ length: 5 }, (_, i) => [`l${i}`, 'v'] as [string, string]), 1);
  r = parsePrometheusText(many, { maxLabels: 4 });
  assert.equal(r.skipped, { 'too-many-labels': 1 });
});

test('a label called __proto__ is an ordinary label', () => {
  const r = parsePrometheusText('m{__proto__="x",constructor="y"} 1');
  assert.is(r.samples[0]!.labels.get('__proto__'), 'x');
  assert.is(r.samples[0]!.labels.get('constructor'), 'y');
});

/** A tiny deterministic PRNG (mulberry32), so a failing fuzz case can be replayed from its seed. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INTERESTING = ['"', '\\', '{', '}', ',', '=', '\n', '\r', ' ', '\t', '#', 'e', '.', '-', '+', 'Inf', 'NaN', '\u0000', '\u2028', '\ud800', '{}', '""'];

function mutate(text: string, rand: () => number): string {
  const chars = [...text];
  const edits = 1 + Math.floor(rand() * 8);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rand() * chars.length);
    const op = Math.floor(rand() * 5);
    if (op === 0) chars.splice(at, 1);
    else if (op === 1) chars.splice(at, 0, INTERESTING[Math.floor(rand() * INTERESTING.length)]!);
    else if (op === 2) chars[at] = String.fromCharCode(Math.floor(rand() * 128));
    else if (op === 3) chars.splice(at, Math.floor(rand() * 50));   // cut a run
    else chars.splice(at, 0, ...chars.slice(Math.max(0, at - 40), at));   // duplicate a run
  }
  return chars.join('');
}

function checkInvariants(r: ParseResult, input: string, maxSamples: number, maxLabels: number) {
  assert.ok(r.samples.length <= maxSamples, 'sample bound');
  for (const s of r.samples) {
    assert.ok(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(s.name), `metric name ${JSON.stringify(s.name)}`);
    assert.ok(s.labels.size <= maxLabels, 'label bound');
    for (const [k, v] of s.labels) {
      assert.ok(/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k), `label name ${JSON.stringify(k)}`);
      assert.ok(v.length <= input.length, 'a value is never longer than the input');
    }
    assert.type(s.value, 'number');
  }
}

test('fuzz: 3000 mutated real scrapes (the istio_requests_total block) never throw and keep every bound', () => {
  const start = REAL.indexOf('# TYPE istio_requests_total');
  const base = REAL.slice(start - 2000, start + 4000);
  const rand = rng(0x15710);
  const maxSamples = 50, maxLabels = 32;
  let kept = 0, skippedLines = 0;
  for (let i = 0; i < 3000; i++) {
    const input = mutate(base, rand);
    let r: ParseResult;
    try {
      r = parsePrometheusText(input, { maxSamples, maxLabels, maxLineLength: 4096 });
    } catch (err) {
      throw new Error(`case ${i} threw: ${(err as Error).message}\n${JSON.stringify(input.slice(0, 300))}`);
    }
    checkInvariants(r, input, maxSamples, maxLabels);
    kept += r.samples.length;
    skippedLines += Object.values(r.skipped).reduce((a, b) => a + (b ?? 0), 0);
  }
  // The mutations must actually hit both paths, or the fuzz proves nothing.
  assert.ok(kept > 3000 * 5, `samples kept: ${kept}`);
  assert.ok(skippedLines > 1000, `lines skipped: ${skippedLines}`);
});

test('fuzz: random bytes and pathological shapes stay linear and bounded', () => {
  const rand = rng(7);
  for (let i = 0; i < 300; i++) {
    const len = Math.floor(rand() * 3000);
    let s = '';
    for (let j = 0; j < len; j++) s += String.fromCharCode(Math.floor(rand() * 256));
    checkInvariants(parsePrometheusText(s, { maxSamples: 10, maxLabels: 8 }), s, 10, 8);
  }
  // One enormous line with an unterminated quote, and a million-label line: skipped quickly.
  const t0 = performance.now();
  const huge = `m{a="${'\\"'.repeat(500_000)}} 1\n`;
  assert.equal(parsePrometheusText(huge).skipped, { 'line-too-long': 1 });
  const wide = `m{${Array.from({ length: 5000 }, (_, i) => `l${i}="v"`).join(',')}} 1`;
  assert.equal(parsePrometheusText(wide, { maxLineLength: 1 << 20 }).skipped, { 'too-many-labels': 1 });
  assert.ok(performance.now() - t0 < 2000, 'pathological inputs parse fast');
});

test.run();
