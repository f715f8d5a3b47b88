// The decoder's error classes: each has a stable `code`. A malformed frame is never an error
// (it is counted); these are for files that are not captures and for broken contracts.

/** Thrown for a file that is not a capture at all: names the file and what was expected. */
export class CaptureFormatError extends Error {
  readonly code = 'ERR_NOT_A_CAPTURE';
  readonly path: string;
  constructor(path: string, found: string, options?: { cause?: unknown }) {
    super(`${path}: not a capture file: expected a pcap (magic a1b2c3d4 or a1b23c4d, either byte order) or pcapng (0a0d0d0a) header, found ${found}`, options);
    this.name = 'CaptureFormatError';
    this.path = path;
  }
}

/** The WASM module broke its contract (a negative return code) or the host misused it: a bug. */
export class DecoderContractError extends Error {
  readonly code = 'ERR_DECODER_CONTRACT';
  readonly wasmCode: number;
  constructor(message: string, wasmCode: number, options?: { cause?: unknown }) {
    super(`decoder contract broken: ${message} (code ${wasmCode})`, options);
    this.name = 'DecoderContractError';
    this.wasmCode = wasmCode;
  }
}

/** parser-wasm/build/decoder.wasm is missing or was built from another layout. */
export class DecoderBuildError extends Error {
  readonly code = 'ERR_DECODER_BUILD';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DecoderBuildError';
  }
}
