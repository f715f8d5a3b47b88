// Bearer tokens from a file, re-read on an interval so a rotated Secret takes effect without a
// restart. One token per line, optionally followed by the roles it holds: `<token> [role[,role]]`
// (roles from policy.ts; a bare token is a sniffer). Blank lines and `#` comments are ignored.
// The file read is injected (Node fs in main.ts).

import { ROLE_NAMES, type ReporterRole } from './policy.ts';
import { constantTimeEqual, missingToken, type Authenticator } from './types.ts';

export const TOKEN_FILE_RELOAD_MS = 30_000;

export interface FileToken { token: string; roles: ReporterRole[]; line: number }

/** Parses the token file's text; throws when no token is in it (a misconfiguration, not "deny all") or a role is unknown. */
export function parseTokenFile(text: string, file: string): FileToken[] {
  const tokens: FileToken[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const l = raw.trim();
    if (l === '' || l.startsWith('#')) return;
    const [token, roleText, extra] = l.split(/\s+/);
    if (extra !== undefined) throw new Error(`${file}:${i + 1}: expected "<token> [role,role]"`);
    const roles = (roleText ?? 'sniffer').split(',').filter(Boolean);
    for (const r of roles) if (!ROLE_NAMES.includes(r as ReporterRole)) throw new Error(`${file}:${i + 1}: unknown role ${JSON.stringify(r)} (${ROLE_NAMES.join(', ')})`);
    tokens.push({ token: token!, roles: roles as ReporterRole[], line: i + 1 });
  });
  if (tokens.length === 0) throw new Error(`${file}: no token in the file`);
  return tokens;
}

export interface TokenFileDeps {
  file: string;
  read: (file: string) => Promise<string>;
  now?: () => number;
  reloadMs?: number;
}

/** `await createTokenFileAuth({ file, read })`: reads the file once (failing loudly), then on an interval. */
export async function createTokenFileAuth(deps: TokenFileDeps): Promise<Authenticator> {
  const now = deps.now ?? Date.now;
  const reloadMs = deps.reloadMs ?? TOKEN_FILE_RELOAD_MS;
  let tokens = parseTokenFile(await deps.read(deps.file), deps.file);
  let loadedAt = now();
  return {
    mode: 'token-file',
    async verify(token) {
      if (now() - loadedAt >= reloadMs) {
        loadedAt = now();
        // Keep the last good tokens when the file is briefly missing or empty (a Secret being updated).
        try { tokens = parseTokenFile(await deps.read(deps.file), deps.file); } catch { /* keep */ }
      }
      if (!token) return missingToken();
      let match: FileToken | undefined;
      for (const t of tokens) if (constantTimeEqual(t.token, token)) match ??= t;
      if (!match) return { ok: false, status: 401, code: 'invalid-token', reason: 'token not accepted' };
      const user = `token-file:${deps.file}:${match.line}`;
      return { ok: true, user, roles: match.roles, quotaKey: user };
    },
  };
}
