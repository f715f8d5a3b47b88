// Errors of the cluster view. Each has a stable `code`; "not found" is a value (undefined), never one of these.

import { NetmapperError } from '../../common/errors.ts';

export type ClusterErrorCode =
  | 'snapshot-read'       // the file could not be read
  | 'snapshot-parse'      // the file is not YAML/JSON
  | 'snapshot-document'   // a document is not a Kubernetes object or List
  | 'object-field'        // an object we keep has a field of the wrong shape
  | 'owner-read';         // an owner could not be read for a transient reason (5xx, 429, network)

/** A Kubernetes object we keep has a malformed field; `field` is a dotted path such as `status.podIPs[1].ip`. */
export class ObjectFieldError extends NetmapperError {
  declare readonly code: ClusterErrorCode;
  constructor(readonly kind: string, readonly objectName: string, readonly field: string, problem: string) {
    super('object-field', `${kind} ${objectName || '(unnamed)'}: ${field} ${problem}`);
  }
}

/** A snapshot file, or one document in it, cannot be used. Names the file, the document (0-based) and the field. */
export class SnapshotError extends NetmapperError {
  declare readonly code: ClusterErrorCode;
  constructor(
    code: ClusterErrorCode,
    readonly file: string,
    readonly documentIndex: number | undefined,
    readonly field: string | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    const where = documentIndex === undefined ? file : `${file} document ${documentIndex}`;
    super(code, `${where}${field ? ` field ${field}` : ''}: ${message}`, options);
  }
}

/** Reading an owner failed for a reason that may pass (server error, throttling, network). Not "not found":
 *  the walk must not settle on a partial identity, so this rejects instead of answering undefined. */
export class OwnerReadError extends NetmapperError {
  declare readonly code: ClusterErrorCode;
  constructor(readonly apiVersion: string, readonly kind: string, readonly namespace: string, readonly ownerName: string, options?: { cause?: unknown }) {
    super('owner-read', `cannot read ${apiVersion} ${kind} ${namespace}/${ownerName} now: ${(options?.cause as Error)?.message ?? 'unknown error'}`, options);
  }
}
