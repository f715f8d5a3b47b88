// Kubernetes TokenReview for reporters: the sniffers and watchers send their projected service-account
// token (audience `netmapper`); the API server says whose it is; that user must be one of the
// configured reporter identities, and its role says which record kinds it may send. Answers are
// cached briefly, bounded.

import { AuthUnavailableError } from '../../common/errors.ts';
import type { ReporterRole } from './policy.ts';
import { createTtlCache } from './ttl-cache.ts';
import { missingToken, type AuthResult, type Authenticator } from './types.ts';

/** The part of a TokenReview status we read (authentication.k8s.io/v1). */
export interface TokenReviewStatus {
  authenticated?: boolean;
  user?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
  audiences?: string[];
  error?: string;
}

/** Creates a TokenReview for `token` (with `audiences`, or the API server's own when empty) and returns its status. */
export type TokenReviewer = (token: string, audiences: string[]) => Promise<TokenReviewStatus>;

export interface TokenReviewDeps {
  review: TokenReviewer;
  audience: string;
  /** username → role; anyone else with a valid token is refused (403). */
  identities: Readonly<Record<string, ReporterRole>>;
  cacheTtlMs?: number;
  cacheMax?: number;
  now?: () => number;
}

export const TOKEN_REVIEW_CACHE_TTL_MS = 60_000;
export const TOKEN_REVIEW_CACHE_MAX = 1024;
/** Projected tokens name the pod they were issued to (KEP-4193); quotas count per pod when present. */
export const POD_NAME_EXTRA = 'authentication.kubernetes.io/pod-name';

/** Asks the API server through `review`; an error reaching it is AuthUnavailableError, not "rejected". */
export async function reviewToken(review: TokenReviewer, token: string, audiences: string[]): Promise<TokenReviewStatus> {
  try {
    return await review(token, audiences);
  } catch (cause) {
    throw new AuthUnavailableError(`TokenReview failed: ${(cause as Error).message}`, { cause });
  }
}

export function createTokenReviewAuth(deps: TokenReviewDeps): Authenticator {
  const cache = createTtlCache<AuthResult>(deps.cacheTtlMs ?? TOKEN_REVIEW_CACHE_TTL_MS, deps.cacheMax ?? TOKEN_REVIEW_CACHE_MAX, deps.now);

  async function ask(token: string): Promise<AuthResult> {
    const status = await reviewToken(deps.review, token, [deps.audience]);
    if (!status.authenticated) return { ok: false, status: 401, code: 'invalid-token', reason: status.error ? `token rejected: ${status.error}` : 'token rejected' };
    // The API server echoes the audiences the token is valid for; ours must be among them.
    if (status.audiences && !status.audiences.includes(deps.audience)) return { ok: false, status: 401, code: 'wrong-audience', reason: `token is not for audience ${deps.audience}` };
    const user = status.user?.username;
    const role = user !== undefined && Object.hasOwn(deps.identities, user) ? deps.identities[user] : undefined;
    if (!user || !role) return { ok: false, status: 403, code: 'not-a-reporter', reason: `user ${JSON.stringify(user ?? '')} is not a configured reporter identity` };
    const pod = status.user?.extra?.[POD_NAME_EXTRA]?.[0];
    return { ok: true, user, roles: [role], quotaKey: pod ? `${user}/${pod}` : user };
  }

  return {
    mode: 'tokenreview',
    async verify(token) {
      if (!token) return missingToken();
      const hit = cache.get(token);
      if (hit) return hit;
      const result = await ask(token);
      cache.set(token, result);
      return result;
    },
  };
}
