// validate.ts's hand-written checks against ajv on the JSON Schema they stand for
// (test-support/ajv-reference.ts): the same verdict and the same Problem — field, key and message —
// on every record of every fixture capture, every golden intent, and tens of thousands of mutations
// of valid values (wrong types, missing and extra fields, bad IPs and dates, strings at and past
// every limit in UTF-16 and in code points, nested junk), each alone and several at once.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HOSTILE } from '../../fixtures/test-support/hostile-names.ts';
import { replayReports } from '../../sniffer/src/replay.ts';
import type { Problem } from './checks.ts';
import {
  ConnectionRecordSchema, HttpRecordSchema, IntentSchema, IntentsResponseSchema, KafkaRecordSchema, ReportAcceptedSchema, ReportEnvelopeSchema,
} from './json-schema.ts';
import { referenceCheck } from './test-support/ajv-reference.ts';
import { connectionPasses, httpPasses, kafkaPasses } from './record-passes.ts';
import { checkEnvelope, checkRecord, firstProblem, validateIntent, validateIntentsResponse, validateReportAccepted, type Validator } from './validate.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const AT = '2026-11-21T10:00:00.000Z';

/** A deterministic PRNG (mulberry32), so a failure names a case that reproduces. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const emoji = '\u{1F600}';
/** Values worth putting anywhere: every type, every limit of the contract (in UTF-16 units and in code points), bad IPs and times. */
const JUNK: unknown[] = [
  null, true, false, 0, -0, -1, 1, 1.5, 2, 65535, 65536, 2 ** 31 - 1, 2 ** 31, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 1, 1e300, -1e300,
  '', ' ', 'x', '0', 'dns', 'tcp', 'socket', 'kafka', 'istio', 'internet', 'plain', 'http', 'GET', 'get', 'consume', 'Consume',
  '10.0.0.1', '::1', '::ffff:10.0.0.1', 'FD00::1', '010.0.0.1', '256.1.1.1', '1.2.3', '1.2.3.4.5', 'fe80::1%eth0', ':::', '1.2.3.4 ',
  AT, '2026-11-21T10:00:00Z', '2026-11-21T10:00:00.123456789Z', '2026-11-21T10:00:00.1234567891Z', '2026-02-29T00:00:00Z', '2024-02-29T00:00:00Z',
  '2026-11-21 10:00:00Z', '2026-11-21T10:00:00+01:00', '2026-11-21T24:00:00Z', '2026-11-21T23:59:60Z', '2026-11-21t10:00:00z', 'yesterday',
  `${AT.slice(0, 19)}.${'1'.repeat(20)}Z`,
  'a\nb', 'a\u0000', 'a\u0085b', '\u202eabc', 'a\u2028b', 'a\u2066', 'tab\there', '\ud800', `${emoji}x`, 'caf\u00e9',
  ...[16, 17, 40, 41, 45, 46, 64, 65, 255, 256, 2048, 2049].flatMap((n) => ['a'.repeat(n), emoji.repeat(n), `${emoji.repeat(n - 1)}\ud800`]),
  'x'.repeat(10_000),
  [], [1], ['GET'], ['get', 'POST'], [''], ['a\nb'], Array(16).fill('GET'), Array(17).fill('GET'), [null], ['dns'], ['consume'], [443, 'x'],
  {}, { a: 1 }, { name: 'n', namespace: 'ns', kind: '' }, { domain: 'x' }, { ips: [] }, { ips: ['1.2.3.4'], ports: [] }, { a: { b: [1, { c: null }] } },
];
/** Keys to add beside a value's own: unknown names, digits, JSON-pointer escapes, line terminators (ajv's `u` patterns stop there). */
const EXTRA_KEYS = ['extra', '5', 'a/b', 'a~1b', '~0', 'x\ny', 'x\u2028y', '', 'constructor', 'name'];

type Path = (string | number)[];
function pathsOf(v: unknown, at: Path = []): Path[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => [[...at, i], ...pathsOf(x, [...at, i])]);
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => [[...at, k], ...pathsOf(x, [...at, k])]);
  return [];
}
/** A copy of `v` with the value at `path` replaced (`remove`: deleted). */
function mutate(v: unknown, path: Path, value: unknown, remove = false): unknown {
  const copy = structuredClone(v) as Record<string | number, unknown>;
  let o = copy;
  for (const s of path.slice(0, -1)) o = o[s] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (!remove) o[last] = value;
  else if (Array.isArray(o)) o.splice(last as number, 1);
  else delete o[last];
  return copy;
}
const objectsIn = (v: unknown): Path[] => [[], ...pathsOf(v)].filter((p) => { const x = p.reduce<any>((o, s) => o[s], v); return x && typeof x === 'object' && !Array.isArray(x); });

/** Every value once mutated at every path (each junk value, removal), plus extra keys on every object, plus `random` several-at-once mutations. */
function mutations(seeds: readonly unknown[], random: number, seed: number): unknown[] {
  const out: unknown[] = [...seeds];
  for (const s of seeds) {
    for (const p of pathsOf(s)) {
      out.push(mutate(s, p, undefined, true));
      for (const j of JUNK) out.push(mutate(s, p, j));
    }
    for (const p of objectsIn(s)) for (const k of EXTRA_KEYS) for (const j of [1, 'x', null, {}]) out.push(mutate(s, [...p, k], j));
  }
  const rnd = prng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  for (let n = 0; n < random; n++) {
    let v = pick(seeds);
    for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) {
      const ps = pathsOf(v);
      if (ps.length === 0) break;
      v = rnd() < 0.2 ? mutate(v, pick(ps), undefined, true) : mutate(v, pick(ps), pick(JUNK));
    }
    out.push(v);
  }
  return out;
}

const show = (v: unknown): string => { const s = JSON.stringify(v); return s.length > 300 ? `${s.slice(0, 300)}…` : s; };
/** Asserts that `check` and ajv on `schema` agree on every value; returns how many refused. */
function agree(label: string, schema: object, check: (v: unknown) => Problem | undefined, values: readonly unknown[]): number {
  const reference = referenceCheck(schema);
  let refused = 0;
  for (const v of values) {
    const want = reference(v), got = check(v);
    if (want) refused++;
    if (JSON.stringify(got) !== JSON.stringify(want)) assert.unreachable(`${label}: ${show(v)}\n  ajv:  ${JSON.stringify(want)}\n  hand: ${JSON.stringify(got)}`);
  }
  return refused;
}
const asCheck = (fn: Validator<any>) => (v: unknown): Problem | undefined => (fn(v) ? undefined : firstProblem(fn));

const CONNECTIONS = [
  { source: 'dns', srcIp: '10.0.0.1', destination: 'cart.shop.svc.cluster.local', destinationIp: '10.96.0.10', ttl: 30, lastSeen: AT, count: 3 },
  { source: 'tcp', srcIp: 'fd00::1', destination: 'fd00::2', destinationIp: 'fd00::2', destinationPort: 443, lastSeen: AT, count: 1 },
  { source: 'socket', srcIp: '10.0.0.1', srcHostname: 'web-7d9f', destination: '10.0.0.2', destinationIp: '10.0.0.2', destinationPort: 8080, lastSeen: '2026-11-21T10:00:00Z', count: 9 },
];
const KAFKA = [{ source: 'kafka', srcIp: '10.0.0.5', serverPodName: 'kafka-0', serverNamespace: 'kafka', topic: 'orders', operation: 'Read', lastSeen: AT }];
const HTTP = [
  { source: 'istio', srcWorkload: 'web', srcWorkloadNamespace: 'shop', dstWorkload: 'cart', dstWorkloadNamespace: 'shop', dstServiceName: 'cart', path: '/api/cart', methods: ['GET', 'POST'], lastSeen: AT },
  { source: 'istio', srcWorkload: 'web', srcWorkloadNamespace: 'shop', dstWorkload: 'cart', dstWorkloadNamespace: 'shop', path: '/', methods: [], lastSeen: AT },
];
const RECORDS = [...CONNECTIONS, ...KAFKA, ...HTTP];

/** Every report of every fixture capture, as the sniffer would send it (JSON and back). */
async function fixtureReports(): Promise<unknown[]> {
  const captures = ['online-boutique', 'otterize-tutorial', 'kafka-tutorial'].map((d) => join(ROOT, 'fixtures', d, 'capture.pcap'))
    .concat(readdirSync(join(ROOT, 'fixtures', 'pcap')).filter((f) => f.endsWith('.pcap')).map((f) => join(ROOT, 'fixtures', 'pcap', f)));
  const out: unknown[] = [];
  for (const c of captures) for await (const r of replayReports([c], { node: 'fixture' })) out.push(JSON.parse(JSON.stringify(r)));
  return out;
}

test('records of every fixture capture: the same verdict and Problem as ajv', async () => {
  const reports = await fixtureReports();
  const records = reports.flatMap((r) => (r as { records: unknown[] }).records);
  assert.ok(records.length > 500, `${records.length} fixture records`);
  assert.is(agree('envelope', ReportEnvelopeSchema, checkEnvelope, reports), 0);
  assert.is(agree('connection', ConnectionRecordSchema, checkRecord.tcp, records), 0);
  // Each fixture record once broken at each field, and a few hundred at several fields.
  const sample = records.filter((_, i) => i % Math.ceil(records.length / 40) === 0);
  assert.ok(agree('connection', ConnectionRecordSchema, checkRecord.tcp, mutations(sample, 500, 1)) > 0);
});

test('every kind of record, mutated one field and several at a time: the same verdict and Problem as ajv', () => {
  const values = mutations(RECORDS, 20_000, 2);
  // Each check also meets the other kinds' records: wrong sources, missing fields of every kind.
  const refused = [
    agree('connection', ConnectionRecordSchema, checkRecord.dns, values),
    agree('kafka', KafkaRecordSchema, checkRecord.kafka, values),
    agree('istio', HttpRecordSchema, checkRecord.istio, values),
  ];
  for (const n of refused) assert.ok(n > values.length / 2 && n < values.length, `${n} of ${values.length} refused`);
  assert.is(checkRecord.socket, checkRecord.dns);
});

test('the fast verdicts pass the ordinary records and never one that ajv refuses', () => {
  const kinds = [[connectionPasses, ConnectionRecordSchema], [kafkaPasses, KafkaRecordSchema], [httpPasses, HttpRecordSchema]] as const;
  for (const [passes, schema] of kinds) {
    const reference = referenceCheck(schema);
    const seeds = RECORDS.filter((r) => reference(r) === undefined);
    assert.ok(seeds.length > 0 && seeds.every((r) => passes(r)), passes.name);
    let passed = 0;
    for (const v of mutations(RECORDS, 5_000, 7)) {
      if (!v || typeof v !== 'object' || Array.isArray(v) || !passes(v as Record<string, unknown>)) continue;
      passed++;
      if (reference(v)) assert.unreachable(`${passes.name} passed what ajv refuses: ${show(v)}`);
    }
    assert.ok(passed > 100, `${passes.name}: ${passed} passed`);
  }
});

test('the report envelope, mutated: the same verdict and Problem as ajv', () => {
  const envelopes = [{ version: 1, node: 'node-a', sentAt: AT, records: [] }, { version: 1, node: 'n', sentAt: '2026-11-21T10:00:00+02:00', records: RECORDS }];
  const values = [...mutations(envelopes, 5_000, 3), null, [], 'x', 1, [envelopes[0]]];
  const refused = agree('envelope', ReportEnvelopeSchema, checkEnvelope, values);
  assert.ok(refused > values.length / 4 && refused < values.length, `${refused} of ${values.length}`);
});

test('golden intents and their mutations: the same verdict and Problem as ajv', () => {
  const goldens = [
    ...['list-example', 'internet', 'reference'].flatMap((n) => JSON.parse(readFileSync(join(ROOT, 'controller/src/export/testdata', `${n}.intents.json`), 'utf8')) as unknown[]),
    ...HOSTILE,
  ];
  const valid = goldens.map((g) => ({ firstSeen: AT, lastSeen: AT, count: 1, sources: ['dns'], ...(g as object) }));
  const labelled = { client: { name: 'a', namespace: 'b', kind: 'Pod', labels: { app: 'a', '7': 'x' }, nameResolvedUsingAnnotation: true, group: 'apps', version: 'v1' },
    server: { name: 's', namespace: 'b', kind: 'Deployment', kubernetesService: 'svc' }, type: 'plain', firstSeen: AT, lastSeen: AT, count: 0, sources: ['tcp', 'socket'] };
  const values = [...goldens, ...mutations([...valid, labelled], 10_000, 4)];
  const refused = agree('intent', IntentSchema, asCheck(validateIntent), values);
  assert.ok(refused > values.length / 3 && refused < values.length, `${refused} of ${values.length}`);
});

test('the intents answer and the report answer, mutated: the same verdict and Problem as ajv', () => {
  agree('intents response', IntentsResponseSchema, asCheck(validateIntentsResponse), mutations([{ intents: [] }, { intents: [1, 'x'] }], 1_000, 5));
  const accepted = { accepted: 3, skipped: { 'bad-srcIp': 1 }, resolved: 2, unresolved: { 'no-pod': 1, 'x\ny': 2 } };
  agree('report accepted', ReportAcceptedSchema, asCheck(validateReportAccepted), mutations([accepted], 2_000, 6));
});

test.run();
