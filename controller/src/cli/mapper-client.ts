// The two controller calls the CLI makes: `GET /api/v1/intents` (the map as `{intents: Intent[]}`,
// rendered locally with the same format functions the controller's routes use) and
// `POST /api/v1/reset`. Bounded by a timeout; entries the contract's intent schema refuses are
// skipped and counted, not trusted.

import { API_PATHS } from '../../contract/schema.ts';
import { validateIntent, validateIntentsResponse } from '../../contract/validate.ts';
import { intentsSearchParams } from '../export/query-params.ts';
import type { Intent, IntentQuery } from '../model.ts';

/** Otterize's CLI gives the mapper 10 s per query. */
export const QUERY_TIMEOUT_MS = 10_000;
/** The largest answer we read: a map this big is a bug, not a cluster. */
export const MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

export interface IntentsResult { intents: Intent[]; skipped: number }

/** `authorization`: `Bearer <token>` (connect.ts: --token or the kubeconfig user's), sent when given. */
export async function fetchIntents(baseUrl: string, q: IntentQuery, timeoutMs = QUERY_TIMEOUT_MS, authorization?: string): Promise<IntentsResult> {
  const qs = intentsSearchParams(q).toString();
  const body = await call(`${baseUrl}${API_PATHS.intents}${qs ? `?${qs}` : ''}`, { method: 'GET' }, timeoutMs, authorization);
  let data: unknown;
  try { data = JSON.parse(body); } catch { throw new Error(`the controller's /api/v1/intents answer is not JSON: ${body.slice(0, 120)}`); }
  if (!validateIntentsResponse(data)) throw new Error("the controller's /api/v1/intents answer has no `intents` array");
  const items = data.intents;
  const intents: Intent[] = [];
  let skipped = 0;
  for (const item of items) if (validateIntent(item)) intents.push(item); else skipped++;
  return { intents, skipped };
}

export async function postReset(baseUrl: string, timeoutMs = QUERY_TIMEOUT_MS, authorization?: string): Promise<void> {
  await call(`${baseUrl}${API_PATHS.reset}`, { method: 'POST' }, timeoutMs, authorization);
}

async function call(url: string, init: RequestInit, timeoutMs: number, authorization?: string): Promise<string> {
  let res: Response;
  try {
    // `connection: close`: a port-forwarded stream should not be kept for reuse.
    res = await fetch(url, { ...init, headers: { accept: 'application/json', connection: 'close', ...(authorization ? { authorization } : {}) }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err: any) {
    const why = err?.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : (err?.cause?.message ?? err?.message ?? String(err));
    throw new Error(`could not reach the controller at ${url}: ${why}`);
  }
  const text = await readBounded(res, MAX_RESPONSE_BYTES);
  if (!res.ok) {
    let message = text.slice(0, 300);
    try { const j = JSON.parse(text); message = j.error?.message ?? j.message ?? message; } catch { /* not JSON */ }
    throw new Error(`the controller answered ${res.status} for ${new URL(url).pathname}: ${message}`);
  }
  return text;
}

/** Reads the body, refusing more than `max` bytes whether or not a content-length was sent. */
async function readBounded(res: Response, max: number): Promise<string> {
  const tooBig = () => new Error(`the controller's answer is over the ${max}-byte limit`);
  if (Number(res.headers.get('content-length') ?? 0) > max) throw tooBig();
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) { await reader.cancel(); throw tooBig(); }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
