// Test helper: reads an Intent[] fixture, filling the bookkeeping fields the formats ignore.
import { readFileSync } from 'node:fs';
import type { Intent } from '../../model.ts';

export function testdataPath(name: string): string {
  return new URL(name, import.meta.url).pathname;
}

export function readText(name: string): string {
  return readFileSync(testdataPath(name), 'utf8');
}

export function loadIntents(name: string): Intent[] {
  const raw = JSON.parse(readText(name)) as Partial<Intent>[];
  return raw.map((i) => ({ firstSeen: '2026-11-21T10:00:00Z', lastSeen: '2026-11-21T10:05:00Z', count: 1, sources: ['dns'], ...i }) as Intent);
}
