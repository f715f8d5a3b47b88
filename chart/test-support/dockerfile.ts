// Test support: a small static reader for the Dockerfile, .dockerignore and the import graph of the entry files.
import { builtinModules } from 'node:module';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export interface Instruction { op: string; args: string; line: number }
export interface Stage { from: string; name?: string; instructions: Instruction[] }

/** Splits a Dockerfile into stages of instructions (continuations joined, comments and blank lines dropped). */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    while (line.endsWith('\\') && i + 1 < lines.length) {
      line = line.slice(0, -1);
      i++;
      const next = lines[i].trim();
      if (!next.startsWith('#')) line += ' ' + next;
    }
    const m = /^([A-Za-z]+)\s+(.*)$/s.exec(line);
    if (!m) throw new Error(`Dockerfile line ${start}: cannot parse '${line}'`);
    const op = m[1].toUpperCase();
    const args = m[2].replace(/\s+/g, ' ').trim();
    if (op === 'FROM') {
      const f = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!f) throw new Error(`Dockerfile line ${start}: bad FROM '${args}'`);
      stages.push({ from: f[1], name: f[2], instructions: [] });
    } else {
      if (stages.length === 0) {
        if (op === 'ARG') continue;
        throw new Error(`Dockerfile line ${start}: ${op} before FROM`);
      }
      stages[stages.length - 1].instructions.push({ op, args, line: start });
    }
  }
  return stages;
}

/** The last value an instruction sets in a stage (e.g. USER, WORKDIR), or undefined. */
export function last(stage: Stage, op: string): string | undefined {
  const found = stage.instructions.filter((i) => i.op === op);
  return found.length ? found[found.length - 1].args : undefined;
}

/** A JSON-array (exec form) instruction's argv; throws for the shell form. */
export function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string')) throw new Error(`not an exec-form array: ${args}`);
  return parsed;
}

/** .dockerignore patterns as matchers (Docker semantics: relative to the context root; `**` any depth). */
export function dockerignore(text: string): (path: string) => boolean {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pat = (negate ? l.slice(1) : l).replace(/^\/+|\/+$/g, '');
      const re = pat
        .split('/')
        .map((seg) => (seg === '**' ? '.*' : seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')))
        .join('/')
        .replace(/\.\*\//g, '(?:.*/)?');
      return { negate, re: new RegExp(`^${re}$`) };
    });
  return (path: string) => {
    const parts = path.split('/');
    let excluded = false;
    for (const { negate, re } of rules) {
      // A rule excludes a path when it matches the path or one of its parent directories.
      const hit = parts.some((_, i) => re.test(parts.slice(0, i + 1).join('/')));
      if (hit) excluded = !negate;
    }
    return excluded;
  };
}

const SPECIFIER_RES = [
  // Import and re-export clauses hold no quotes, semicolons, parentheses or backticks; that keeps prose
  // such as "export ... from 'tcpdump'" inside a template string from matching.
  /^\s*import\s+(?!type\s)[^'"`;()]*?\sfrom\s*['"]([^'"]+)['"]/gm,
  /^\s*import\s*['"]([^'"]+)['"]/gm,
  /^\s*export\s+(?:\*|\{)[^'"`;()]*?\sfrom\s*['"]([^'"]+)['"]/gm,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  // require('x') and createRequire(import.meta.url)('x')
  /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\bcreateRequire\([^)]*\)\(\s*['"]([^'"]+)['"]\s*\)/g,
  // A relative module path held in a string and imported later (`const path = './x.ts'; import(path)`).
  /['"](\.\.?\/[^'"\s]+\.(?:ts|js|mjs))['"]/g,
];

function resolveLocal(fromFile: string, spec: string): string | undefined {
  const base = resolve(dirname(fromFile), spec);
  const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/**
 * Follows the relative imports of the entry files (static and dynamic, type-only ones skipped: they are
 * erased at run time) and returns the packages the running program loads, with the file that loads each.
 */
export function runtimePackages(repo: string, entries: string[]): Map<string, string> {
  return importClosure(repo, entries).packages;
}

/** The local files the entry files load (themselves included) and the packages they import. */
export function importClosure(repo: string, entries: string[]): { files: string[]; packages: Map<string, string> } {
  const seen = new Set<string>();
  const packages = new Map<string, string>();
  const queue = entries.map((e) => join(repo, e)).filter((e) => existsSync(e));
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const re of SPECIFIER_RES) {
      for (const m of text.matchAll(re)) {
        const spec = m[1];
        if (spec.startsWith('.') || spec.startsWith('/')) {
          const target = resolveLocal(file, spec);
          if (target) queue.push(target);
          continue;
        }
        if (spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0])) continue;
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        if (!packages.has(name)) packages.set(name, relative(repo, file));
      }
    }
  }
  return { files: [...seen], packages };
}
