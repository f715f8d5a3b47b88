// Errors of the cluster view. Each has a stable `code`; "not found" is a value (undefined), never one of these.

export type ClusterErrorCode =
  | 'ERR_SNAPSHOT_READ'       // the file could not be read
  | 'ERR_SNAPSHOT_PARSE'      // the file is not YAML/JSON
  | 'ERR_SNAPSHOT_DOCUMENT'   // a document is not a Kubernetes object or List
  | 'ERR_OBJECT_FIELD'        // an object we keep has a field of the wrong shape
  | 'ERR_OWNER_READ';         // an owner could not be read for a transient reason (5xx, 429, network)

/** A Kubernetes object we keep has a malformed field; `field` is a dotted path such as `status.podIPs[1].ip`. */
export class ObjectFieldError extends Error {
  readonly code: ClusterErrorCode = 'ERR_OBJECT_FIELD';
  override readonly name = 'ObjectFieldError';
  constructor(readonly kind: string, readonly objectName: string, readonly field: string, problem: string) {
    super(`${kind} ${objectName || '(unnamed)'}: ${field} ${problem}`);
  }
}

/** A snapshot file, or one document in it, cannot be used. Names the file, the document (0-based) and the field. */
export class SnapshotError extends Error {
  override readonly name = 'SnapshotError';
  constructor(
    readonly code: ClusterErrorCode,
    readonly file: string,
    readonly documentIndex: number | undefined,
    readonly field: string | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    const where = documentIndex === undefined ? file : `${file} document ${documentIndex}`;
    super(`${where}${field ? ` field ${field}` : ''}: ${message}`, options);
  }
}

/** Reading an owner failed for a reason that may pass (server error, throttling, network). Not "not found":
 *  the walk must not settle on a partial identity, so this rejects instead of answering undefined. */
export class OwnerReadError extends Error {
  readonly code: ClusterErrorCode = 'ERR_OWNER_READ';
  override readonly name = 'OwnerReadError';
  constructor(readonly apiVersion: string, readonly kind: string, readonly namespace: string, readonly ownerName: string, options?: { cause?: unknown }) {
    super(`cannot read ${apiVersion} ${kind} ${namespace}/${ownerName} now: ${(options?.cause as Error)?.message ?? 'unknown error'}`, options);
  }
}
