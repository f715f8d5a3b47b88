import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildElements, COLLAPSE_ALL_OVER, defaultCollapsed } from './elements.ts';
import type { GraphModel } from '../graph-types.ts';
import { INTERNET_GROUP } from './state.ts';

const edge = (source: string, target: string) => ({ id: `${source}>${target}`, source, target, types: ['plain'], firstSeen: '', lastSeen: '', count: 1, sources: ['tcp'] });
const model: GraphModel = {
  revision: 1, generatedAt: '', namespaces: ['a', 'b'], labels: [],
  nodes: [
    { id: 'w:a/x', name: 'x', namespace: 'a', kind: 'Deployment' }, { id: 'w:a/y', name: 'y', namespace: 'a', kind: '' },
    { id: 'w:b/z', name: 'z', namespace: 'b', kind: 'StatefulSet' }, { id: 'i:example.com', name: 'example.com', kind: 'Internet', internet: { ips: [], ports: [] } },
  ],
  edges: [edge('w:a/x', 'w:a/y'), edge('w:a/x', 'w:b/z'), edge('w:a/y', 'w:b/z'), edge('w:b/z', 'i:example.com')],
};
const ids = (els: ReturnType<typeof buildElements>, group: 'nodes' | 'edges') => els.filter((e) => e.group === group).map((e) => e.data.id).sort();

test('expanded: namespaces and Internet are groups holding their nodes; every edge drawn', () => {
  const els = buildElements(model, new Set());
  assert.equal(ids(els, 'nodes'), ['g:a', 'g:b', 'g:internet', 'i:example.com', 'w:a/x', 'w:a/y', 'w:b/z']);
  assert.equal(ids(els, 'edges'), model.edges.map((e) => e.id).sort());
  assert.is(els.find((e) => e.data.id === 'w:a/x')!.data.parent, 'g:a');
  assert.is(els.find((e) => e.data.id === 'i:example.com')!.data.parent, 'g:internet');
  // The kind is the shape (a class), not a second line of the label.
  assert.is(els.find((e) => e.data.id === 'w:b/z')!.data.label, 'z');
  assert.match(els.find((e) => e.data.id === 'w:b/z')!.classes!, /\bkind-StatefulSet\b/);
});

test('the two directions between two drawn workloads are marked twoway (drawn bent apart), one direction is not', () => {
  const m: GraphModel = { ...model, edges: [...model.edges, edge('w:a/y', 'w:a/x')] };
  const cls = (els: ReturnType<typeof buildElements>, id: string) => els.find((e) => e.data.id === id)!.classes!;
  const els = buildElements(m, new Set());
  assert.match(cls(els, 'w:a/x>w:a/y'), /\btwoway\b/);
  assert.match(cls(els, 'w:a/y>w:a/x'), /\btwoway\b/);
  assert.not.match(cls(els, 'w:a/x>w:b/z'), /\btwoway\b/);
});

test('folded: the group stands for its nodes; lines to them merge per other namespace, lines inside are not drawn', () => {
  const els = buildElements(model, new Set(['a']), new Set(['w:a/y>w:b/z']));
  assert.equal(ids(els, 'nodes'), ['g:a', 'g:b', 'g:internet', 'i:example.com', 'w:b/z']);
  // b is open: the line goes to its box, not to z; z's line to the open Internet group is its own.
  assert.equal(ids(els, 'edges'), ['m:g:a>g:b', 'w:b/z>i:example.com']);
  const meta = els.find((e) => e.data.id === 'm:g:a>g:b')!;
  assert.equal(meta.data.edges, ['w:a/x>w:b/z', 'w:a/y>w:b/z']);
  assert.is(meta.data.label, '2');
  assert.match(meta.classes!, 'fresh', 'a fresh edge inside makes the merged line fresh');
  assert.not.ok(els.some((e) => e.data.id === 'w:a/x>w:a/y'));
  assert.match(els.find((e) => e.data.id === 'g:a')!.data.label as string, '2 workloads');
});

test('folded: calls both ways between two drawn ends are one line with an arrow at each end', () => {
  const m: GraphModel = { ...model, edges: [...model.edges, edge('w:b/z', 'w:a/y')] };
  const els = buildElements(m, new Set(['a']));
  const lines = els.filter((e) => e.group === 'edges' && (e.data.source === 'g:a' || e.data.target === 'g:a'));
  assert.equal(lines.map((e) => e.data.id), ['m:g:a<>g:b']);
  assert.equal(lines[0].data.edges, ['w:a/x>w:b/z', 'w:a/y>w:b/z', 'w:b/z>w:a/y']);
  assert.is(lines[0].data.label, '3');
  assert.match(lines[0].classes!, /\bboth\b/);
  // One way stays one way, its id naming the direction.
  assert.not.match(buildElements(model, new Set(['a'])).find((e) => e.data.id === 'm:g:a>g:b')!.classes!, /\bboth\b/);
});

test('folded Internet: each open namespace has one line to it, from its box', () => {
  const m: GraphModel = { ...model, edges: [...model.edges, edge('w:a/x', 'i:example.com'), edge('w:a/y', 'i:example.com')] };
  const els = buildElements(m, new Set([INTERNET_GROUP]));
  assert.equal(ids(els, 'edges'), ['m:g:a>g:internet', 'm:g:b>g:internet', 'w:a/x>w:a/y', 'w:a/x>w:b/z', 'w:a/y>w:b/z']);
  assert.equal(els.find((e) => e.data.id === 'm:g:a>g:internet')!.data.edges, ['w:a/x>i:example.com', 'w:a/y>i:example.com']);
});

test('folded by default: everything past COLLAPSE_ALL_OVER workloads, else nothing this small', () => {
  assert.equal(defaultCollapsed(model), []);
  const big: GraphModel = { ...model, nodes: Array.from({ length: COLLAPSE_ALL_OVER + 1 }, (_, i) => ({ id: `w:n${i % 3}/w${i}`, name: `w${i}`, namespace: `n${i % 3}`, kind: '' })) };
  assert.equal(defaultCollapsed(big), ['n0', 'n1', 'n2']);
});

test.run();
