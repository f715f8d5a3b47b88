// Loads parser-wasm/build/decoder.wasm: compiled once per process, one instance per decoder.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ABI_VERSION, REC_SIZE, ANS_SIZE } from './layout.ts';
import { DecoderBuildError } from './errors.ts';

export interface DecoderExports {
  memory: WebAssembly.Memory;
  setup(input: number, records: number, answers: number, names: number): number;
  inputPtr(): number;
  recordsPtr(): number;
  answersPtr(): number;
  namesPtr(): number;
  countersPtr(): number;
  recordCount(): number;
  answerCount(): number;
  nameBytes(): number;
  decodeBatch(start: number, len: number): number;
  captureBegin(): void;
  captureChunk(start: number, len: number, eof: number): number;
  captureStatus(): number;
  captureSkip(): number;
  recordsPerCall(n: number): void;
  jsonReserve(bytes: number): number;
  jsonWrite(from: number): number;
  jsonBytes(): number;
  jsonStatus(): number;
  [constant: string]: unknown;
}

/** Region sizes. The input must hold the largest capture record (1 MiB) plus its header. */
export const DEFAULT_INPUT_BYTES = 4 << 20;
export const MIN_INPUT_BYTES = (1 << 20) + 64;
export const RECORD_SLOTS = 16384;
export const ANSWER_SLOTS = 65536;
export const NAME_BYTES = 8 << 20;
/** Records handed to JS per WASM call: small batches of objects stay in V8's young generation. */
export const RECORDS_PER_CALL = 256;

/** Set by the build (esbuild `define`): the code runs from dist/, with decoder.wasm beside it. */
declare const NETMAPPER_DIST: boolean | undefined;

export const WASM_PATH = fileURLToPath(new URL(typeof NETMAPPER_DIST !== 'undefined' ? './decoder.wasm' : '../build/decoder.wasm', import.meta.url));

const PAGE = 65536;

let compiled: Promise<WebAssembly.Module> | undefined;

function compile(): Promise<WebAssembly.Module> {
  compiled ??= readFile(WASM_PATH).then(
    (bytes) => WebAssembly.compile(new Uint8Array(bytes)),
    (err: unknown) => {
      compiled = undefined;
      throw new DecoderBuildError(`${WASM_PATH} cannot be read: run 'npm run build:wasm' first`, { cause: err });
    },
  );
  return compiled;
}

/**
 * A fresh instance with its regions reserved; `inputBytes` at least MIN_INPUT_BYTES. `extraBytes`:
 * room for regions reserved later (the JSON output region), grown together with the others.
 */
export async function instantiate(inputBytes = DEFAULT_INPUT_BYTES, extraBytes = 0): Promise<DecoderExports> {
  const module = await compile();
  const instance = await WebAssembly.instantiate(module, {
    env: {
      abort(_msg: number, _file: number, line: number, col: number) {
        throw new DecoderBuildError(`decoder.wasm aborted at ${line}:${col}`);
      },
    },
  });
  const exp = instance.exports as unknown as DecoderExports;
  const version = (exp.ABI_VERSION as WebAssembly.Global | undefined)?.value;
  if (version !== ABI_VERSION) {
    throw new DecoderBuildError(`${WASM_PATH} has ABI version ${String(version)}, expected ${ABI_VERSION}: rebuild with 'npm run build:wasm'`);
  }
  const input = Math.max(inputBytes, MIN_INPUT_BYTES);
  // One growth to the final size instead of one per region: each growth makes V8 account a new
  // buffer of the whole memory as external memory, and a few of them in a row cost three GCs
  // ("external memory pressure") at start-up. Regions are page-aligned at most: a page each of slack.
  const want = exp.memory.buffer.byteLength + input + RECORD_SLOTS * REC_SIZE + ANSWER_SLOTS * ANS_SIZE + NAME_BYTES + extraBytes + 8 * PAGE;
  const pages = Math.ceil(want / PAGE) - exp.memory.buffer.byteLength / PAGE;
  if (pages > 0) exp.memory.grow(pages);
  const rc = exp.setup(input, RECORD_SLOTS, ANSWER_SLOTS, NAME_BYTES);
  if (rc !== 0) throw new DecoderBuildError(`decoder.wasm setup failed with code ${rc}`);
  exp.recordsPerCall(Number(process.env.NETMAPPER_DECODER_RECORDS_PER_CALL ?? RECORDS_PER_CALL));
  return exp;
}
