// The error shape of every role: `name` (the class), a stable kebab-case `code` (the same style the
// HTTP API sends in `{ error: { code } }`), and an optional `cause`. Role-specific errors extend
// NetmapperError. (parser-wasm, a library below every role, keeps Node-style `ERR_*` codes.)

/** Base class: a `code` that never changes between releases, and an optional cause. */
export class NetmapperError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A report body that does not match the contract; `field` is a JSON path such as `records[3].srcIp`. */
export class ReportValidationError extends NetmapperError {
  readonly field: string;
  constructor(field: string, message: string) {
    super('invalid-report', `${field}: ${message}`);
    this.field = field;
  }
}

/** A bad query parameter on a GET route; `field` is the parameter name. */
export class QueryParamError extends NetmapperError {
  readonly field: string;
  constructor(field: string, message: string) {
    super('invalid-query', `${field}: ${message}`);
    this.field = field;
  }
}

/** A bad flag or environment variable; `setting` is the flag name (`--port`). Exit code 2 at start-up.
 *  The message is prefixed with the setting unless it already names it. */
export class ConfigError extends NetmapperError {
  readonly setting: string;
  constructor(setting: string, message: string, options?: { cause?: unknown }) {
    super('invalid-config', message.includes(setting) ? message : `${setting}: ${message}`, options);
    this.setting = setting;
  }
}

/** A store snapshot file that cannot be read back; it is set aside, never silently dropped. */
export class SnapshotCorruptError extends NetmapperError {
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super('snapshot-corrupt', `${file}: ${message}`, options);
  }
}

/** The authentication back end (TokenReview) could not be asked; distinct from "token rejected". */
export class AuthUnavailableError extends NetmapperError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('auth-unavailable', message, options);
  }
}

/** The store's write-ahead log could not be written: nothing is acknowledged until it can (HTTP 503). */
export class StoreWriteError extends NetmapperError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('store-unavailable', message, options);
  }
}
