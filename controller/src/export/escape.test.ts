// Names the controller did not choose (an annotation value may hold anything; old snapshots predate the
// ingest check) through every text format: one entry stays one line, no control character reaches the
// output raw, and what is data round-trips. SVG and the web page: escape.int.test.ts.
import { parseAllDocuments } from 'yaml';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { printable, UNPRINTABLE } from '../../common/printable.ts';
import { BIDI, ESC, HOSTILE, SPOOF } from '../../../fixtures/test-support/hostile-names.ts';
import { toClientIntents } from './client-intents.ts';
import { renderDot } from './graph-dot.ts';
import { renderJson } from './json.ts';
import { renderList } from './list-text.ts';
import { renderYamlV1 } from './yaml-v1.ts';
import { renderYamlV2 } from './yaml-v2.ts';

const docs = toClientIntents(HOSTILE, { includeInternet: true });
/** Raw control characters other than the line feeds that end lines. */
const raw = (text: string) => [...text.matchAll(UNPRINTABLE)].map((m) => m[0]).filter((c) => c !== '\n');

test('printable: unchanged when clean; escapes are unambiguous', () => {
  assert.is(printable('web.shop'), 'web.shop');
  assert.is(printable('a\nb\\n'), 'a\\nb\\\\n');
  assert.is(printable('\u001b[31m\u202e\u0085'), '\\x1b[31m\\u202e\\x85');
});

test('list: one line per entry, names escaped, nothing raw', () => {
  const text = renderList(docs);
  assert.equal(raw(text), []);
  const lines = text.trimEnd().split('\n');
  assert.equal(lines, [
    'ok in namespace shop calls:',
    '  - db\\u202etxt-exe in namespace data',
    '    - Kafka topic: orders\\u2028x, operations: [consume]',
    'web\\nadmin in namespace prod calls in namespace shop calls:',
    '  - cart\\x1b[2J\\x1b[31mred in namespace shop',
    '    - path /a\\r\\nX-Injected: 1, methods: [GET]',
    '  - a\\nb.example.net (Internet)',
  ]);
});

test('YAML v2 and v1: parse back to the same names, no raw control character', () => {
  for (const text of [renderYamlV2(docs), renderYamlV1(docs)]) {
    assert.equal(raw(text), []);
    const parsed = parseAllDocuments(text).map((d) => d.toJS());
    const names = parsed.map((d) => d.metadata?.name ?? d.spec?.service?.name);
    assert.ok(names.includes(SPOOF), JSON.stringify(names));
    assert.ok(JSON.stringify(parsed).includes(JSON.stringify(ESC).slice(1, -1)), 'the escape sequence survives as data');
  }
});

test('JSON: parses back to the same names, no raw control character', () => {
  const text = renderJson(docs);
  assert.equal(raw(text), []);
  const parsed = JSON.parse(text) as { metadata: { name: string } }[];
  assert.ok(parsed.some((d) => d.metadata.name === SPOOF));
  assert.ok(text.includes('\\u001b'));
});

test('DOT: every statement on its own line, every ID well quoted, Graphviz escapes inert', () => {
  const text = renderDot(docs);
  assert.equal(raw(text), []);
  const statements = text.trim().split('\n').slice(5, -1);
  const ID = '"(?:[^"\\\\]|\\\\.)*"';
  for (const s of statements) assert.match(s, new RegExp(`^  ${ID}( -> ${ID})?( \\[[^\\]]*\\])?;$`), s);
  assert.ok(text.includes('"web\\\\nadmin in namespace prod calls.shop"'), 'the newline is the text \\n, not Graphviz\'s line break');
});

test.run();
