// The GraphQL documents Otterize's clients send, as their generated clients hold them (genqlient), so
// tests POST exactly these bytes. Facts of the wire protocol, with their sources:
//   otterize-cli @ 6b6cb04, src/pkg/mapperclient/generated.go (from genqlient.graphql): Intents,
//     ResetCapture, ServiceIntentsUpToMapperV017, ServiceIntentsWithLabels;
//   network-mapper @ 52ab07d, src/sniffer/pkg/mapperclient/generated.go and
//     src/kafka-watcher/pkg/mapperclient/generated.go: the report mutations.
// genqlient sends `{"query": ..., "variables": ..., "operationName": ...}` (variables omitted when none).

export const INTENTS = `
query Intents ($namespaces: [String!], $includedLabels: [String!], $excludeServiceWithLabels: [String!], $server: ServerFilter) {
	intents(namespaces: $namespaces, includeLabels: $includedLabels, excludeServiceWithLabels: $excludeServiceWithLabels, server: $server) {
		client {
			... NamespacedNameWithLabelsFragment
		}
		server {
			... NamespacedNameWithLabelsFragment
		}
		type
		kafkaTopics {
			name
			operations
		}
		httpResources {
			path
			methods
		}
	}
}
fragment NamespacedNameWithLabelsFragment on OtterizeServiceIdentity {
	... NamespacedNameFragment
	... LabelsFragment
	... PodOwnerKind
	kubernetesService
}
fragment NamespacedNameFragment on OtterizeServiceIdentity {
	name
	namespace
}
fragment LabelsFragment on OtterizeServiceIdentity {
	labels {
		key
		value
	}
}
fragment PodOwnerKind on OtterizeServiceIdentity {
	podOwnerKind {
		group
		version
		kind
	}
}
`;

export const RESET_CAPTURE = `
mutation ResetCapture {
	resetCapture
}
`;

export const SERVICE_INTENTS_UP_TO_MAPPER_V017 = `
query ServiceIntentsUpToMapperV017 ($namespaces: [String!]) {
	serviceIntents(namespaces: $namespaces) {
		client {
			... NamespacedNameFragment
		}
		intents {
			... NamespacedNameFragment
		}
	}
}
fragment NamespacedNameFragment on OtterizeServiceIdentity {
	name
	namespace
}
`;

export const SERVICE_INTENTS_WITH_LABELS = `
query ServiceIntentsWithLabels ($namespaces: [String!], $includedLabels: [String!]) {
	serviceIntents(namespaces: $namespaces, includeLabels: $includedLabels) {
		client {
			... NamespacedNameWithLabelsFragment
		}
		intents {
			... NamespacedNameWithLabelsFragment
		}
	}
}
fragment NamespacedNameWithLabelsFragment on OtterizeServiceIdentity {
	... NamespacedNameFragment
	... LabelsFragment
	... PodOwnerKind
	kubernetesService
}
fragment NamespacedNameFragment on OtterizeServiceIdentity {
	name
	namespace
}
fragment LabelsFragment on OtterizeServiceIdentity {
	labels {
		key
		value
	}
}
fragment PodOwnerKind on OtterizeServiceIdentity {
	podOwnerKind {
		group
		version
		kind
	}
}
`;

/** The body genqlient POSTs: Go's json.Marshal of its Request (variables left out when nil). */
export function genqlientBody(opName: string, query: string, variables?: Record<string, unknown>): string {
  return JSON.stringify(variables === undefined ? { query, operationName: opName } : { query, variables, operationName: opName });
}

/** A report mutation as network-mapper's generated client writes it (src/mapperclient/generated.go):
 *  `reportCaptureResults`/CaptureResults, `reportTCPCaptureResults`/CaptureTCPResults,
 *  `reportSocketScanResults`/SocketScanResults (sniffer), `reportKafkaMapperResults`/KafkaMapperResults (Kafka watcher). */
export function reportMutation(name: string, inputType: string, argName = 'results'): string {
  return `\nmutation ${name} ($${argName}: ${inputType}!) {\n\t${name}(${argName}: $${argName})\n}\n`;
}
