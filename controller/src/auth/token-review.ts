// Kubernetes TokenReview: the sniffers send their projected service-account token (audience
// `netmapper`); the API server says whether it is valid. Answers are cached briefly, bounded.

import { AuthUnavailableError } from '../../common/errors.ts';
import type { Authenticator } from './types.ts';

/** The part of a TokenReview status we read (authentication.k8s.io/v1). */
export interface TokenReviewStatus {
  authenticated?: boolean;
  user?: { username?: string };
  audiences?: string[];
  error?: string;
}

export interface TokenReviewDeps {
  /** Creates a TokenReview for `token` with `audiences` and returns its status (main.ts: client-node). */
  review: (token: string, audiences: string[]) => Promise<TokenReviewStatus>;
  audience: string;
  /** Allowed service accounts (`system:serviceaccount:<ns>:<name>`); empty: any authenticated token. */
  allowedUsers?: readonly string[];
  cacheTtlMs?: number;
  cacheMax?: number;
  now?: () => number;
}

export const TOKEN_REVIEW_CACHE_TTL_MS = 60_000;
export const TOKEN_REVIEW_CACHE_MAX = 1024;

export function createTokenReviewAuth(deps: TokenReviewDeps): Authenticator {
  const now = deps.now ?? Date.now;
  const ttl = deps.cacheTtlMs ?? TOKEN_REVIEW_CACHE_TTL_MS;
  const max = deps.cacheMax ?? TOKEN_REVIEW_CACHE_MAX;
  const allowed = new Set(deps.allowedUsers ?? []);
  const cache = new Map<string, { at: number; result: { ok: true; user?: string } | { ok: false; reason: string } }>();

  async function ask(token: string) {
    let status: TokenReviewStatus;
    try {
      status = await deps.review(token, [deps.audience]);
    } catch (cause) {
      throw new AuthUnavailableError(`TokenReview failed: ${(cause as Error).message}`, { cause });
    }
    const user = status.user?.username;
    if (!status.authenticated) return { ok: false as const, reason: status.error ? `token rejected: ${status.error}` : 'token rejected' };
    // The API server echoes the audiences the token is valid for; ours must be among them.
    if (status.audiences && !status.audiences.includes(deps.audience)) return { ok: false as const, reason: `token is not for audience ${deps.audience}` };
    if (allowed.size && (!user || !allowed.has(user))) return { ok: false as const, reason: `user ${user ?? '(none)'} is not allowed` };
    return { ok: true as const, user };
  }

  return {
    mode: 'tokenreview',
    async verify(token) {
      if (!token) return { ok: false, reason: 'missing bearer token' };
      const t = now();
      const hit = cache.get(token);
      if (hit && t - hit.at < ttl) return hit.result;
      const result = await ask(token);
      cache.delete(token);
      if (cache.size >= max) cache.delete(cache.keys().next().value as string);
      cache.set(token, { at: t, result });
      return result;
    },
  };
}
