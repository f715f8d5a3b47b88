// Bearer tokens from a file (one per line; blank lines and `#` comments ignored), re-read on an
// interval so a rotated Secret takes effect without a restart. The file read is injected (Node fs in main.ts).

import { constantTimeEqual, type Authenticator } from './types.ts';

export const TOKEN_FILE_RELOAD_MS = 30_000;

/** Parses the token file's text; throws when no token is in it (a misconfiguration, not "deny all"). */
export function parseTokenFile(text: string, file: string): string[] {
  const tokens = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
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
      if (!token) return { ok: false, reason: 'missing bearer token' };
      let match = false;
      for (const t of tokens) match = constantTimeEqual(t, token) || match;
      return match ? { ok: true } : { ok: false, reason: 'token not accepted' };
    },
  };
}
