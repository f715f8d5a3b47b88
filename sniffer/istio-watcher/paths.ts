// Path cardinality: `/users/123` and `/users/456` are one path for an intent. Paths are folded by the
// user's templates and regex rules, then (optionally) by built-in id folding, and each client→server
// pair keeps at most `maxPathsPerPair` distinct paths; past that, new paths are dropped and counted,
// so one chatty service cannot fill the controller's store.

export interface PathRule {
  /** Matched against the whole path (after the query string is cut). */
  pattern: RegExp;
  /** Replacement; `$1`… refer to the pattern's groups. */
  replacement: string;
  /** As the user wrote it, for messages. */
  source: string;
}

export interface PathFolderOptions {
  /** `/users/{id}/orders/{order}`: a `{name}` segment matches any one segment. Tried first, in order. */
  templates?: readonly string[];
  /** `REGEX=>REPLACEMENT`, tried after the templates, in order; the first match wins. */
  rules?: readonly string[];
  /** Fold all-digit segments to `{id}`, UUIDs to `{uuid}`, and 16+ hex digits to `{hex}` (default false). */
  foldIds?: boolean;
  /** Distinct paths kept per client→server pair (default 100; 0 = no limit). */
  maxPathsPerPair?: number;
  /** Longest path kept; longer ones are cut and end in `…` (default 512). */
  maxPathLength?: number;
  /** Pairs tracked for the cap (default 100 000); past it the oldest pair's set is forgotten. */
  maxPairs?: number;
}

export class PathRuleError extends Error {
  readonly code = 'ERR_PATH_RULE';
  override name = 'PathRuleError';
}

const TEMPLATE_PARAM = /^\{[A-Za-z_][A-Za-z0-9_-]*\}$/;
const DIGITS = /^\d+$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const LONG_HEX = /^[0-9a-fA-F]{16,}$/;
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Turns a template into a rule; throws PathRuleError naming it when it is not `/segment/{param}/…`. */
export function templateRule(template: string): PathRule {
  if (!template.startsWith('/')) throw new PathRuleError(`path template ${JSON.stringify(template)} must start with /`);
  const parts = template.split('/').slice(1).map((seg) => {
    if (seg.includes('{') || seg.includes('}')) {
      if (!TEMPLATE_PARAM.test(seg)) throw new PathRuleError(`path template ${JSON.stringify(template)}: a parameter must be a whole segment like {id}`);
      return '[^/]+';
    }
    return escapeRegex(seg);
  });
  return { pattern: new RegExp(`^/${parts.join('/')}$`), replacement: template.replace(/\$/g, '$$$$'), source: template };
}

/** Parses `REGEX=>REPLACEMENT`; throws PathRuleError naming the rule when the regex does not compile. */
export function regexRule(text: string): PathRule {
  const at = text.lastIndexOf('=>');
  if (at <= 0) throw new PathRuleError(`path rule ${JSON.stringify(text)} must be REGEX=>REPLACEMENT`);
  const re = text.slice(0, at);
  let pattern: RegExp;
  try {
    pattern = new RegExp(re.startsWith('^') ? re : `^(?:${re})$`);
  } catch (err) {
    throw new PathRuleError(`path rule ${JSON.stringify(text)}: ${(err as Error).message}`, { cause: err });
  }
  return { pattern, replacement: text.slice(at + 2), source: text };
}

export type PathVerdict = { path: string } | { dropped: 'path-cap' };

export interface PathFolder {
  /** The path as stored: query cut, folded, bounded. */
  fold(path: string): string;
  /** Folds `path` and admits it for the pair, or says it is over the pair's cap. */
  admit(pair: string, path: string): PathVerdict;
  readonly pairs: number;
}

export function createPathFolder(opts: PathFolderOptions = {}): PathFolder {
  const rules = [...(opts.templates ?? []).map(templateRule), ...(opts.rules ?? []).map(regexRule)];
  const cap = opts.maxPathsPerPair ?? 100;
  const maxLen = opts.maxPathLength ?? 512;
  const maxPairs = opts.maxPairs ?? 100_000;
  const seen = new Map<string, Set<string>>();

  function fold(raw: string): string {
    // The query string and fragment never name a resource, and may carry secrets.
    let path = raw;
    const q = path.search(/[?#]/);
    if (q >= 0) path = path.slice(0, q);
    if (path === '') path = '/';
    let ruled = false;
    for (const r of rules) {
      if (r.pattern.test(path)) { path = path.replace(r.pattern, r.replacement); ruled = true; break; }
    }
    if (!ruled && opts.foldIds) {
      path = path.split('/').map((seg) => DIGITS.test(seg) ? '{id}' : UUID.test(seg) ? '{uuid}' : LONG_HEX.test(seg) ? '{hex}' : seg).join('/');
    }
    if (path.length > maxLen) path = `${path.slice(0, maxLen - 1)}…`;
    return path;
  }

  return {
    fold,
    admit(pair, raw) {
      const path = fold(raw);
      let set = seen.get(pair);
      if (!set) {
        if (seen.size >= maxPairs) seen.delete(seen.keys().next().value as string);
        seen.set(pair, (set = new Set()));
      }
      if (set.has(path)) return { path };
      if (cap > 0 && set.size >= cap) return { dropped: 'path-cap' };
      set.add(path);
      return { path };
    },
    get pairs() { return seen.size; },
  };
}
