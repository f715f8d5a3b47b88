// Who may read the map or reset it, as Kubernetes add-ons decide it (kube-rbac-proxy's model): the
// caller's bearer token through TokenReview (the API server's own audiences: a user's kubeconfig token),
// then a SubjectAccessReview for that user on the non-resource URL and verb of the request. Answers
// are cached briefly and bounded. Connections on the pod's loopback arrive through `kubectl
// port-forward`, which the API server already authorized (`pods/portforward`): they are trusted unless
// `--trust-loopback=false`. The address checked is the socket's peer, never a forwarding header.

import { AuthUnavailableError } from '../../common/errors.ts';
import { canonicalIp, isLoopback } from '../../common/ip.ts';
import { reviewToken, type TokenReviewer, type TokenReviewStatus } from './token-review.ts';
import { createTtlCache } from './ttl-cache.ts';

/** `rbac`: TokenReview + SubjectAccessReview; `loopback-only`: only loopback callers (no API server at hand);
 *  `none`: anyone (an explicit, logged opt-in). */
export type ReadAuthMode = 'rbac' | 'loopback-only' | 'none';

/** The part of a SubjectAccessReview status we read (authorization.k8s.io/v1). */
export interface SubjectAccessReviewStatus { allowed?: boolean; denied?: boolean; reason?: string; evaluationError?: string }
export interface ReviewedUser { username: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> }
export type SubjectAccessReviewer = (user: ReviewedUser, attrs: { path: string; verb: string }) => Promise<SubjectAccessReviewStatus>;

export interface AccessRequest { token: string | undefined; remoteAddress: string | undefined; path: string; verb: string }
export type AccessDecision =
  | { ok: true; user: string; via: 'loopback' | 'rbac' | 'none' }
  | { ok: false; status: 401 | 403; code: string; reason: string; user?: string };

export interface UserAccessDeps {
  mode: ReadAuthMode;
  trustLoopback: boolean;
  /** Required for `rbac`. */
  review?: TokenReviewer;
  authorize?: SubjectAccessReviewer;
  cacheTtlMs?: number;
  cacheMax?: number;
  now?: () => number;
}

/** Allowed and denied answers alike are reused this long (the API server's webhook authorizer caches longer). */
export const ACCESS_CACHE_TTL_MS = 10_000;
export const ACCESS_CACHE_MAX = 4096;

export interface UserAccess {
  readonly mode: ReadAuthMode;
  readonly trustLoopback: boolean;
  check(req: AccessRequest): Promise<AccessDecision>;
}

/** The socket's peer is on loopback (127.0.0.0/8, ::1, or IPv4-mapped 127/8); a non-address is not. */
export function isLoopbackPeer(address: string | undefined): boolean {
  const ip = address === undefined ? undefined : canonicalIp(address);
  return ip !== undefined && isLoopback(ip);
}

export function createUserAccess(deps: UserAccessDeps): UserAccess {
  if (deps.mode === 'rbac' && (!deps.review || !deps.authorize)) throw new Error('rbac access needs a TokenReview and a SubjectAccessReview client');
  const ttl = deps.cacheTtlMs ?? ACCESS_CACHE_TTL_MS, max = deps.cacheMax ?? ACCESS_CACHE_MAX;
  const users = createTtlCache<TokenReviewStatus>(ttl, max, deps.now);
  const decisions = createTtlCache<AccessDecision>(ttl, max, deps.now);

  async function rbac(token: string, path: string, verb: string): Promise<AccessDecision> {
    let status = users.get(token);
    if (!status) {
      status = await reviewToken(deps.review!, token, []);
      users.set(token, status);
    }
    const u = status.user;
    if (!status.authenticated || !u?.username) return { ok: false, status: 401, code: 'invalid-token', reason: status.error ? `token rejected: ${status.error}` : 'token rejected' };
    let sar: SubjectAccessReviewStatus;
    try {
      sar = await deps.authorize!({ username: u.username, ...(u.uid ? { uid: u.uid } : {}), ...(u.groups ? { groups: u.groups } : {}), ...(u.extra ? { extra: u.extra } : {}) }, { path, verb });
    } catch (cause) {
      throw new AuthUnavailableError(`SubjectAccessReview failed: ${(cause as Error).message}`, { cause });
    }
    if (sar.allowed && !sar.denied) return { ok: true, user: u.username, via: 'rbac' };
    return { ok: false, status: 403, code: 'forbidden', user: u.username, reason: `user ${JSON.stringify(u.username)} may not ${verb} ${path}${sar.reason ? `: ${sar.reason}` : ''}` };
  }

  return {
    mode: deps.mode,
    trustLoopback: deps.trustLoopback,
    async check({ token, remoteAddress, path, verb }) {
      if (deps.mode === 'none') return { ok: true, user: 'anonymous', via: 'none' };
      if (deps.trustLoopback && isLoopbackPeer(remoteAddress)) return { ok: true, user: `loopback (${remoteAddress})`, via: 'loopback' };
      if (deps.mode === 'loopback-only') return { ok: false, status: 401, code: 'loopback-only', reason: 'this controller answers reads and reset on loopback only (--read-auth loopback-only)' };
      if (!token) return { ok: false, status: 401, code: 'missing-token', reason: 'missing bearer token' };
      const key = `${token}\0${verb}\0${path}`;
      const hit = decisions.get(key);
      if (hit) return hit;
      const decision = await rbac(token, path, verb);
      decisions.set(key, decision);
      return decision;
    },
  };
}
