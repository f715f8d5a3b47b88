// The access check per operation kind, for routes that carry several kinds on one path (Otterize's
// GraphQL at /query: report mutations, queries, the reset mutation). Each kind needs exactly what its
// REST route needs: `report` a reporter identity (and its roles go to ingest through `c.get('reporter')`),
// `read` and `reset` the SubjectAccessReview of GET /api/v1/intents and POST /api/v1/reset
// (policy.ts OPERATION_ATTRIBUTES), so the viewer and admin ClusterRoles cover GraphQL too.
// Plug in as the GraphQL routes' `authorize` hook.

import type { Context } from 'hono';
import { AuthUnavailableError } from '../../common/errors.ts';
import { OPERATION_ATTRIBUTES, type OperationKind } from './policy.ts';
import { bearerToken, type Authenticator } from './types.ts';
import type { UserAccess } from './user-access.ts';

export interface OperationAccessDeps {
  auth: Authenticator;
  access: UserAccess;
  /** The TCP peer of the request (never a forwarding header). */
  remoteAddress?: (c: Context) => string | undefined;
  /** Counts refusals by reason (`netmapper_access_denied_total` / `netmapper_reports_rejected_total`). */
  onDenied?: (kind: OperationKind, reason: string, message: string) => void;
}

const refuse = (c: Context, status: 401 | 403 | 503, code: string, message: string): Response => {
  if (status === 401) c.header('WWW-Authenticate', 'Bearer realm="netmapper"');   // RFC 6750 §3
  return c.json({ errors: [{ message, extensions: { code } }] }, status);
};

/** `(c, kind)` → undefined when allowed (the caller and, for reports, the reporter set on `c`), else the refusal. */
export function createOperationAccess(deps: OperationAccessDeps) {
  return async function authorize(c: Context, kind: OperationKind): Promise<Response | undefined> {
    const token = bearerToken(c.req.header('authorization'));
    try {
      if (kind === 'report') {
        const r = await deps.auth.verify(token);
        if (!r.ok) { deps.onDenied?.(kind, r.code, r.reason); return refuse(c, r.status, r.code, r.reason); }
        c.set('reporter', r);
        c.set('caller', r.user);
        return undefined;
      }
      const { path, verb } = OPERATION_ATTRIBUTES[kind];
      const d = await deps.access.check({ token, remoteAddress: deps.remoteAddress?.(c), path, verb });
      if (!d.ok) { deps.onDenied?.(kind, d.code, d.reason); return refuse(c, d.status, d.code, d.reason); }
      c.set('caller', d.via === 'rbac' ? `user ${JSON.stringify(d.user)}` : d.user);
      return undefined;
    } catch (err) {
      if (err instanceof AuthUnavailableError) { deps.onDenied?.(kind, 'auth-unavailable', err.message); return refuse(c, 503, 'auth-unavailable', err.message); }
      throw err;
    }
  };
}
