// What the HTTP layer asks of authentication: is this bearer token allowed to send reports?

export type AuthResult = { ok: true; user?: string } | { ok: false; reason: string };

export interface Authenticator {
  /** Bearer token from the request (undefined when none). Throws AuthUnavailableError when the back end cannot be asked. */
  verify(token: string | undefined): Promise<AuthResult>;
  /** For /readyz and logs: `none`, `token-file`, `tokenreview`. */
  readonly mode: string;
}

/** Accepts everything: for local runs and tests (`--auth none`). */
export function createNoAuth(): Authenticator {
  return { mode: 'none', verify: async () => ({ ok: true }) };
}

/** Compares two strings in time independent of where they first differ (no early exit on a mismatch). */
export function constantTimeEqual(a: string, b: string): boolean {
  const enc = new TextEncoder();
  const x = enc.encode(a), y = enc.encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
