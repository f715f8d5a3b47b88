// The GraphQL schema served at `/query`: the type system of Otterize's mapper (network-mapper
// `src/mappergraphql/schema.graphql`, commit 52ab07d), written out here so that its clients' documents
// (the Otterize CLI's queries, the sniffer's and Kafka watcher's report mutations) validate unchanged.
// Type, field, argument and enum names must stay exactly as theirs; descriptions are ours.

import type { GraphQLSchema } from 'graphql';

export const MAPPER_SDL = /* GraphQL */ `
"RFC 3339 date-time."
scalar Time

input Destination {
  "An IP address, or a DNS name (DNS reports)."
  destination: String!
  destinationIP: String
  destinationPort: Int
  TTL: Int
  lastSeen: Time!
  srcPorts: [Int!]
}

input RecordedDestinationsForSrc {
  srcIp: String!
  srcHostname: String!
  destinations: [Destination!]!
}

input CaptureResults { results: [RecordedDestinationsForSrc!]! }
input CaptureTCPResults { results: [RecordedDestinationsForSrc!]! }
input SocketScanResults { results: [RecordedDestinationsForSrc!]! }

type PodLabel {
  key: String!
  value: String!
}

type GroupVersionKind {
  group: String
  version: String!
  kind: String!
}

type TCPDestResolveBugfixData {
  isSrcControlPlane: Boolean!
  resolvedUsingIp: Boolean!
}

type IdentityResolutionData {
  host: String
  podHostname: String
  procfsHostname: String
  port: Int
  isService: Boolean
  uptime: String
  lastSeen: String
  extraInfo: String
  hasLinkerdSidecar: Boolean
  tcpDestResolveFixData: TCPDestResolveBugfixData
}

type OtterizeServiceIdentity {
  name: String!
  namespace: String!
  labels: [PodLabel!]
  nameResolvedUsingAnnotation: Boolean
  "Always null here: resolution details are not kept per identity."
  resolutionData: IdentityResolutionData
  "The root owner's group, version and kind; null when an annotation or label named the workload."
  podOwnerKind: GroupVersionKind
  "The Kubernetes Service the server was reached through, when it was."
  kubernetesService: String
}

enum IntentType { HTTP KAFKA DATABASE AWS S3 }

enum KafkaOperation {
  ALL CONSUME PRODUCE CREATE ALTER DELETE DESCRIBE CLUSTER_ACTION DESCRIBE_CONFIGS ALTER_CONFIGS IDEMPOTENT_WRITE
}

type KafkaConfig {
  name: String!
  operations: [KafkaOperation!]
}

type HttpResource {
  path: String!
  methods: [HttpMethod!]
}

enum HttpMethod { GET POST PUT DELETE OPTIONS TRACE PATCH CONNECT ALL }

type Intent {
  client: OtterizeServiceIdentity!
  server: OtterizeServiceIdentity!
  "null for a plain connection (DNS, TCP, socket scan)."
  type: IntentType
  resolutionData: String
  kafkaTopics: [KafkaConfig!]
  httpResources: [HttpResource!]
  awsActions: [String!]
}

type ServiceIntents {
  client: OtterizeServiceIdentity!
  intents: [OtterizeServiceIdentity!]!
}

input KafkaMapperResult {
  srcIp: String!
  serverPodName: String!
  serverNamespace: String!
  topic: String!
  operation: String!
  lastSeen: Time!
}

input KafkaMapperResults { results: [KafkaMapperResult!]! }

input IstioConnection {
  srcWorkload: String!
  srcWorkloadNamespace: String!
  dstWorkload: String!
  dstServiceName: String!
  dstWorkloadNamespace: String!
  path: String!
  methods: [HttpMethod!]!
  lastSeen: Time!
}

input IstioConnectionResults { results: [IstioConnection!]! }

input NamespacedName {
  name: String!
  namespace: String!
}

input AWSOperation {
  resource: String!
  actions: [String!]!
  srcIp: String
  iamRole: String
  client: NamespacedName
}

input GCPOperation {
  resource: String!
  permissions: [String!]!
  srcIp: String
  client: NamespacedName
}

input ServerFilter {
  name: String!
  namespace: String!
}

input AzureOperation {
  scope: String!
  actions: [String!]!
  dataActions: [String!]!
  clientName: String!
  clientNamespace: String!
}

input TrafficLevelResult {
  srcIP: String!
  dstIP: String!
  bytesSent: Int!
  flows: Int!
}

input TrafficLevelResults { results: [TrafficLevelResult!]! }

type Query {
  "Clients with the servers they call (older Otterize CLIs). Internet destinations are left out."
  serviceIntents(namespaces: [String!], includeLabels: [String!], includeAllLabels: Boolean): [ServiceIntents!]!
  "Every in-cluster intent, sorted by client then server namespace/name. Internet destinations are left out."
  intents(
    namespaces: [String!],
    includeLabels: [String!],
    excludeServiceWithLabels: [String!],
    includeAllLabels: Boolean,
    server: ServerFilter,
  ): [Intent!]!
  health: Boolean!
}

type Mutation {
  resetCapture: Boolean!
  reportCaptureResults(results: CaptureResults!): Boolean!
  reportTCPCaptureResults(results: CaptureTCPResults!): Boolean!
  reportSocketScanResults(results: SocketScanResults!): Boolean!
  reportKafkaMapperResults(results: KafkaMapperResults!): Boolean!
  reportIstioConnectionResults(results: IstioConnectionResults!): Boolean!
  "Cloud-only upstream: accepted, not stored; answers false."
  reportAWSOperation(operation: [AWSOperation!]!): Boolean!
  "Cloud-only upstream: accepted, not stored; answers false."
  reportAzureOperation(operation: [AzureOperation!]!): Boolean!
  "Cloud-only upstream: accepted, not stored; answers false."
  reportGCPOperation(operation: [GCPOperation!]!): Boolean!
  "Cloud-only upstream: accepted, not stored; answers false."
  reportTrafficLevelResults(results: TrafficLevelResults!): Boolean!
}
`;

let built: Promise<GraphQLSchema> | undefined;

/** The schema, built once per process. graphql-js is loaded on first use: it costs most of a second
 *  of start-up on a busy node, and only Otterize's clients need it. */
export function mapperSchema(): Promise<GraphQLSchema> {
  return (built ??= import('graphql').then((g) => g.buildSchema(MAPPER_SDL)));
}

/** Mutations that carry sniffer or watcher data: they need a reporter's credentials, as POST /api/v1/reports does. */
export const REPORT_MUTATIONS: ReadonlySet<string> = new Set([
  'reportCaptureResults', 'reportTCPCaptureResults', 'reportSocketScanResults', 'reportKafkaMapperResults',
  'reportIstioConnectionResults', 'reportAWSOperation', 'reportAzureOperation', 'reportGCPOperation', 'reportTrafficLevelResults',
]);
