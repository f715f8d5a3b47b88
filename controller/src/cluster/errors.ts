// Errors of the cluster view. Each has a stable `code`; "not found" is a value (undefined), never one of these.

import { NetmapperError } from '../../common/errors.ts';

export type ClusterErrorCode =
  | 'ERR_SNAPSHOT_READ'       // the file could not be read
  | 'ERR_SNAPSHOT_PARSE'      // the file is not YAML/JSON
  | 'ERR_SNAPSHOT_DOCUMENT'   // a document is not a Kubernetes object or List
  | 'ERR_OBJECT_FIELD'        // an object we keep has a field of the wrong shape
  | 'ERR_OWNER_READ';         // an owner could not be read for a transient reason (5xx, 429, network)

/** A Kubernetes object we keep has a malformed field; `field` is a dotted path such as `status.podIPs[1].ip`. */
export class ObjectFieldError extends NetmapperError {
  declare readonly code: ClusterErrorCode;
  constructor(readonly kind: string, readonly objectName: string, readonly field: string, problem: string) {
    super('ERR_OBJECT_FIELD', `${kind} ${objectName || '(unnamed)'}: ${field} ${problem}`);
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
    super('ERR_OWNER_READ', `cannot read ${apiVersion} ${kind} ${namespace}/${ownerName} now: ${(options?.cause as Error)?.message ?? 'unknown error'}`, options);
  }
}
