// The root resolvers of `/query`: queries read the intent store, report mutations go through the same
// ingest as `POST /api/v1/reports`, `resetCapture` empties the store as `POST /api/v1/reset` does.

import { REPORT_VERSION } from '../../contract/schema.ts';
import type { Counter } from '../../common/metrics.ts';
import type { Reporter } from '../auth/types.ts';
import type { Ingest } from '../ingest.ts';
import type { IntentQuery } from '../model.ts';
import type { IntentStore } from '../store/intent-store.ts';
import {
  connectionRecords, istioRecords, kafkaRecords,
  type ConnectionMutation, type GqlIstioConnection, type GqlKafkaResult, type GqlRecordedDestinations, type RawRecord,
} from './from-graphql.ts';
import { compareGqlIntents, toGqlIntent, toGqlServiceIntents, type GqlIntent } from './to-graphql.ts';

export interface ResolverDeps {
  ingest: Ingest;
  store: IntentStore;
  now: () => Date;
  /** Cloud-only reports (AWS, GCP, Azure, traffic levels), accepted and dropped. */
  ignored?: Counter;
  /** After `resetCapture`: who asked (the access hook's caller) and how many intents went. */
  /** Called after a reset; the answer waits for it (the controller makes the reset durable there). */
  onReset?: (caller: string | undefined, removed: number) => void | Promise<void>;
}

interface IntentsArgs {
  namespaces?: string[] | null;
  includeLabels?: string[] | null;
  excludeServiceWithLabels?: string[] | null;
  includeAllLabels?: boolean | null;
  server?: { name: string; namespace: string } | null;
}

/** The arguments of `intents` as our store's query; Internet destinations always left out. */
export function intentQueryFromArgs(a: IntentsArgs): IntentQuery {
  const q: IntentQuery = { excludeInternet: true };
  if (a.namespaces?.length) q.namespaces = [...a.namespaces];
  if (a.includeLabels?.length) q.includeLabels = [...a.includeLabels];
  if (a.includeAllLabels) q.includeAllLabels = true;
  if (a.excludeServiceWithLabels?.length) q.excludeLabels = [...a.excludeServiceWithLabels];
  if (a.server) q.server = { name: a.server.name, namespace: a.server.namespace };
  return q;
}

/** What the access hook found, handed to the resolvers as graphql-js's contextValue. */
export interface GraphqlContext { reporter?: Reporter; caller?: string }

export function createRootValue(deps: ResolverDeps): Record<string, unknown> {
  const { ingest, store } = deps;

  function queryIntents(a: IntentsArgs): GqlIntent[] {
    return store.query(intentQueryFromArgs(a)).map(toGqlIntent).filter((i): i is GqlIntent => i !== undefined).sort(compareGqlIntents);
  }

  /** The records go through ingest as POST /api/v1/reports's body would (bad ones skipped and counted there). */
  async function report(records: RawRecord[], ctx?: GraphqlContext): Promise<boolean> {
    if (records.length === 0) return true;
    // The reporter (its roles) as the access hook found it: the ingest gate checks each record's kind against it.
    await ingest({ version: REPORT_VERSION, node: 'graphql', sentAt: deps.now().toISOString(), records }, ctx?.reporter);
    return true;
  }
  const connections = (m: ConnectionMutation) => (args: { results: { results: GqlRecordedDestinations[] } }, ctx?: GraphqlContext) =>
    report(connectionRecords(m, args.results.results), ctx);
  const ignore = (what: string) => () => { deps.ignored?.inc({ mutation: what }); return false; };

  return {
    intents: queryIntents,
    serviceIntents: (a: IntentsArgs) => toGqlServiceIntents(queryIntents({ namespaces: a.namespaces, includeLabels: a.includeLabels, includeAllLabels: a.includeAllLabels })),
    health: () => true,
    resetCapture: async (_args: unknown, ctx?: GraphqlContext) => {
      const removed = store.size();
      store.reset();
      await deps.onReset?.(ctx?.caller, removed);
      return true;
    },
    reportCaptureResults: connections('reportCaptureResults'),
    reportTCPCaptureResults: connections('reportTCPCaptureResults'),
    reportSocketScanResults: connections('reportSocketScanResults'),
    reportKafkaMapperResults: (args: { results: { results: GqlKafkaResult[] } }, ctx?: GraphqlContext) => report(kafkaRecords(args.results.results), ctx),
    reportIstioConnectionResults: (args: { results: { results: GqlIstioConnection[] } }, ctx?: GraphqlContext) => report(istioRecords(args.results.results), ctx),
    reportAWSOperation: ignore('reportAWSOperation'),
    reportAzureOperation: ignore('reportAzureOperation'),
    reportGCPOperation: ignore('reportGCPOperation'),
    reportTrafficLevelResults: ignore('reportTrafficLevelResults'),
  };
}
