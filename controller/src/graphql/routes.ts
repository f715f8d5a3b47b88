// `/query`: Otterize's mapper API (GraphQL over HTTP, graphql-js) on our store and ingest. POST with a
// JSON body `{query, variables, operationName}`, or GET with the same as URL parameters (queries only).
// Status codes follow gqlgen, which the Otterize CLI relies on: a document that does not parse or
// validate, or variables that do not fit their types, answer 422 (the CLI then falls back to its older
// query); errors while executing answer 200 with `errors`.

import { Hono, type Context } from 'hono';
import type { DocumentNode, GraphQLError, OperationDefinitionNode } from 'graphql';
import type { Authenticator } from '../auth/types.ts';
import type { Ingest } from '../ingest.ts';
import type { Metrics } from '../../common/metrics.ts';
import type { IntentStore } from '../store/intent-store.ts';
import type { Reporter } from '../auth/types.ts';
import { createRootValue, type GraphqlContext } from './resolvers.ts';
import { mapperSchema, REPORT_MUTATIONS } from './schema.ts';

export { GRAPHQL_PATH } from '../auth/policy.ts';   // one path, declared with the access rules
import { GRAPHQL_PATH } from '../auth/policy.ts';
import { isObject } from '../../common/is-object.ts';
import { DEFAULT_BODY_LIMIT, readBodyText, TOO_LARGE } from '../report-body.ts';
/** A query document longer than this is refused before parsing (the CLI's are about 1 KB). */
const MAX_DOCUMENT = 100_000;
/** Lexer tokens per document (graphql-js `maxTokens`); the CLI's Intents query has about 150. */
const MAX_TOKENS = 10_000;
/** Root fields per operation: each `intents` reads the whole store, so aliases must not multiply it. */
const MAX_ROOT_FIELDS = 16;

/** What an operation needs, as the REST routes see it: `report` (POST /api/v1/reports), `read` (GET
 *  /api/v1/intents and the exports), `reset` (POST /api/v1/reset). */
export type GraphqlAccess = 'report' | 'read' | 'reset';

export interface GraphqlRouteDeps {
  ingest: Ingest;
  store: IntentStore;
  /** Report mutations need what POST /api/v1/reports needs: a bearer token this accepts. */
  auth: Authenticator;
  /** The access check of the REST route each operation stands for; a Response refuses the request.
   *  Default: `report` verifies the bearer token with `auth`; `read` and `reset` pass (as their routes today). */
  authorize?: (c: Context, access: GraphqlAccess) => Promise<Response | undefined>;
  metrics?: Metrics;
  now?: () => Date;
  bodyLimit?: number;
  log?: (msg: string) => void;
  /** After `resetCapture` (app.ts: audit log and netmapper_resets_total, as POST /api/v1/reset). */
  onReset?: (caller: string | undefined, removed: number) => void | Promise<void>;
}

interface GraphqlRequest { query: string; variables?: Record<string, unknown>; operationName?: string }

type Status = 200 | 400 | 401 | 405 | 413 | 415 | 422 | 503;
const errorBody = (message: string, code?: string) => ({ errors: [{ message, ...(code ? { extensions: { code } } : {}) }], data: null });

/** What kind of access an operation needs: `report` for the report mutations, else `read` (queries) or `reset`. */
export function accessOf(op: OperationDefinitionNode): GraphqlAccess {
  if (op.operation !== 'mutation') return 'read';
  const fields = op.selectionSet.selections.map((s) => (s.kind === 'Field' ? s.name.value : ''));
  return fields.some((f) => REPORT_MUTATIONS.has(f)) ? 'report' : 'reset';
}

export function createGraphqlRoutes(deps: GraphqlRouteDeps): Hono {
  const now = deps.now ?? (() => new Date());
  const requests = deps.metrics?.counter('netmapper_graphql_requests_total', 'Requests to /query, by operation kind and outcome.');
  const rootValue = createRootValue({
    ingest: deps.ingest, store: deps.store, now,
    ignored: deps.metrics?.counter('netmapper_graphql_reports_ignored_total', 'Cloud-only report mutations (AWS, GCP, Azure, traffic levels) accepted and dropped.'),
    ...(deps.onReset ? { onReset: deps.onReset } : {}),
  });
  const app = new Hono();

  const answer = (c: Context, status: Status, body: unknown, kind = 'none', outcome = 'error') => {
    requests?.inc({ kind, outcome });
    return c.json(body, status);
  };

  /** The default access check: report mutations as POST /api/v1/reports (bearer token), the rest open. */
  async function verifyReporter(c: Context, access: GraphqlAccess): Promise<Response | undefined> {
    if (access !== 'report') return undefined;
    const token = c.req.header('authorization')?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
    let res;
    try {
      res = await deps.auth.verify(token);
    } catch (err) {
      return c.json(errorBody((err as Error).message, 'auth-unavailable'), 503);
    }
    if (res.ok) return undefined;
    c.header('WWW-Authenticate', 'Bearer realm="netmapper"');   // RFC 6750 §3
    deps.log?.(`GraphQL report refused (unauthorized): ${res.reason}`);
    return c.json(errorBody(res.reason, 'unauthorized'), 401);
  }
  const authorize = deps.authorize ?? verifyReporter;

  async function run(c: Context, req: GraphqlRequest, method: 'GET' | 'POST') {
    if (typeof req.query !== 'string' || req.query === '') return answer(c, 422, errorBody('no query document', 'GRAPHQL_PARSE_FAILED'));
    if (req.query.length > MAX_DOCUMENT) return answer(c, 422, errorBody(`query document longer than ${MAX_DOCUMENT} characters`, 'GRAPHQL_PARSE_FAILED'));
    const [{ execute, getOperationAST, parse, validate }, schema] = await Promise.all([import('graphql'), mapperSchema()]);
    let doc: DocumentNode;
    try {
      doc = parse(req.query, { maxTokens: MAX_TOKENS });
    } catch (err) {
      return answer(c, 422, { errors: [(err as GraphQLError).toJSON()], data: null });
    }
    const invalid = validate(schema, doc);
    if (invalid.length > 0) return answer(c, 422, { errors: invalid.map((e) => ({ ...e.toJSON(), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })), data: null });
    const op = getOperationAST(doc, req.operationName);
    if (!op) return answer(c, 422, errorBody(req.operationName ? `no operation named ${JSON.stringify(req.operationName)}` : 'several operations: name one in operationName', 'GRAPHQL_VALIDATION_FAILED'));
    if (op.selectionSet.selections.length > MAX_ROOT_FIELDS) {
      return answer(c, 422, errorBody(`more than ${MAX_ROOT_FIELDS} root fields in one operation`, 'GRAPHQL_VALIDATION_FAILED'));
    }
    const kind = accessOf(op);
    // GraphQL over HTTP: a GET must not change anything.
    if (method === 'GET' && op.operation !== 'query') {
      c.header('Allow', 'POST');
      return answer(c, 405, errorBody('GET requests only allow query operations'), kind);
    }
    const refused = await authorize(c, kind);
    if (refused) { requests?.inc({ kind, outcome: 'refused' }); return refused; }
    // What the access hook set on the context (the reporter and its roles, the caller) reaches the resolvers.
    const get = (k: string) => (c as unknown as { get(k: string): unknown }).get(k);
    const contextValue: GraphqlContext = { reporter: get('reporter') as Reporter | undefined, caller: get('caller') as string | undefined };
    const result = await execute({ schema, document: doc, rootValue, contextValue, variableValues: req.variables, operationName: req.operationName });
    // No `data` at all: the variables did not fit their types (gqlgen answers 422 too).
    if (!('data' in result) || result.data === undefined) return answer(c, 422, { errors: result.errors?.map((e) => e.toJSON()), data: null }, kind);
    for (const e of result.errors ?? []) if (e.originalError) deps.log?.(`GraphQL ${kind} error: ${e.originalError.stack ?? e.message}`);
    return answer(c, 200, result.errors?.length ? { errors: result.errors.map((e) => e.toJSON()), data: result.data } : { data: result.data }, kind, result.errors?.length ? 'error' : 'ok');
  }

  const bodyLimit = deps.bodyLimit ?? DEFAULT_BODY_LIMIT;
  app.post(GRAPHQL_PATH,
    async (c) => {
      // Bounded as the report route's body is (report-body.ts), and read once.
      const text = await readBodyText(c.req, bodyLimit);
      if (text === TOO_LARGE) return answer(c, 413, errorBody(`body larger than ${bodyLimit} bytes`, 'too-large'));
      const type = c.req.header('content-type');
      if (type !== undefined && !/^application\/(graphql-response\+)?json\b/i.test(type)) {
        return answer(c, 415, errorBody(`content-type must be application/json, got ${JSON.stringify(type)}`, 'unsupported-media-type'));
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (err) {
        return answer(c, 400, errorBody(`body is not valid JSON: ${(err as Error).message}`, 'bad-json'));
      }
      if (!isObject(body)) return answer(c, 400, errorBody('body must be a JSON object {query, variables, operationName}', 'bad-request'));
      const b = body as Record<string, unknown>;
      if (b.variables !== undefined && b.variables !== null && (typeof b.variables !== 'object' || Array.isArray(b.variables))) {
        return answer(c, 400, errorBody('variables must be a JSON object', 'bad-request'));
      }
      return run(c, {
        query: b.query as string,
        variables: (b.variables ?? undefined) as Record<string, unknown> | undefined,
        operationName: typeof b.operationName === 'string' && b.operationName !== '' ? b.operationName : undefined,
      }, 'POST');
    });

  app.get(GRAPHQL_PATH, async (c) => {
    const p = new URL(c.req.url).searchParams;
    let variables: Record<string, unknown> | undefined;
    const v = p.get('variables');
    if (v) {
      try { variables = JSON.parse(v); } catch (err) { return answer(c, 400, errorBody(`variables is not valid JSON: ${(err as Error).message}`, 'bad-json')); }
      if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) return answer(c, 400, errorBody('variables must be a JSON object', 'bad-request'));
    }
    return run(c, { query: p.get('query') ?? '', variables, operationName: p.get('operationName') || undefined }, 'GET');
  });

  return app;
}
