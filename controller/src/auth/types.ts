// What the HTTP layer asks of report authentication: who sent this bearer token, and which reporter
// roles (policy.ts) does that identity hold?

import { ROLE_NAMES, type ReporterRole } from './policy.ts';

/** A reporter that passed authentication: its identity, its roles, and the key its quota is counted under. */
export interface Reporter {
  user: string;
  roles: readonly ReporterRole[];
  /** The user plus, for projected tokens, the pod the token was issued to (TokenReview `extra`). */
  quotaKey: string;
}

/** `status` 401: no or invalid credentials; 403: valid, but not a reporter. `code` is the metric reason. */
export type AuthResult = ({ ok: true } & Reporter) | { ok: false; status: 401 | 403; code: string; reason: string };

export interface Authenticator {
  /** Bearer token from the request (undefined when none). Throws AuthUnavailableError when the back end cannot be asked. */
  verify(token: string | undefined): Promise<AuthResult>;
  /** For /readyz and logs: `none`, `token-file`, `tokenreview`. */
  readonly mode: string;
}

export const missingToken = (): AuthResult => ({ ok: false, status: 401, code: 'missing-token', reason: 'missing bearer token' });

/** Accepts everything, with every role: for local runs and tests (`--auth none`, an explicit opt-in). */
export function createNoAuth(): Authenticator {
  return { mode: 'none', verify: async () => ({ ok: true, user: 'anonymous', roles: ROLE_NAMES, quotaKey: 'anonymous' }) };
}

/** Compares two strings in time independent of where they first differ (no early exit on a mismatch). */
export function constantTimeEqual(a: string, b: string): boolean {
  const enc = new TextEncoder();
  const x = enc.encode(a), y = enc.encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/** The bearer token of an `Authorization` header (RFC 6750 §2.1), or undefined. */
export const bearerToken = (header: string | undefined): string | undefined => header?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
