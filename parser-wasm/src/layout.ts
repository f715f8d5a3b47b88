// The decoder ABI's numbers as TypeScript sees them: a mirror of parser-wasm/assembly/layout.ts.
// layout.test.ts checks every value here against the constants the .wasm exports.

export const ABI_VERSION = 2;

export const BATCH_HDR_SIZE = 16;
export const BATCH_HDR_CAPLEN = 0;
export const BATCH_HDR_LINKTYPE = 4;
export const BATCH_HDR_TS = 8;

export const REC_SIZE = 64;
export const REC_KIND = 0;
export const REC_TRANSPORT = 1;
export const REC_IPVER = 2;
export const REC_RCODE = 3;
export const REC_SPORT = 4;
export const REC_DPORT = 6;
export const REC_TS = 8;
export const REC_SRC = 16;
export const REC_DST = 32;
export const REC_NAME_OFF = 48;
export const REC_NAME_LEN = 52;
export const REC_ANSWER_COUNT = 54;
export const REC_ANSWER_START = 56;
export const REC_FRAME = 60;

export const KIND_DNS = 1;
export const KIND_SYN = 2;
export const KIND_SYNACK = 3;

export const ANS_SIZE = 32;
export const ANS_TYPE = 0;
export const ANS_NAME_LEN = 2;
export const ANS_NAME_OFF = 4;
export const ANS_TTL = 8;
export const ANS_VALUE_LEN = 12;
export const ANS_VALUE = 16;

export const CTR_FRAMES = 0;
export const CTR_BYTES = 1;
export const CTR_DNS = 2;
export const CTR_SYN = 3;
export const CTR_SYNACK = 4;
export const CTR_FRAMES_DECODED = 5;
export const CTR_NON_FRAME_SKIPS = 6;
export const CTR_REASON_BASE = 8;
export const CTR_SLOTS = 40;

export const R_TRUNCATED = 1;
export const R_UNSUPPORTED_LINK_TYPE = 2;
export const R_NOT_IP = 3;
export const R_BAD_IP_HEADER = 4;
export const R_IP_FRAGMENT = 5;
export const R_BAD_IPV6_EXT_HEADER = 6;
export const R_BAD_UDP_HEADER = 7;
export const R_BAD_TCP_HEADER = 8;
export const R_NOT_DNS_OR_SYN = 9;
export const R_DNS_QUERY = 10;
export const R_DNS_TRUNCATED = 11;
export const R_DNS_BAD_COUNT = 12;
export const R_DNS_POINTER_LOOP = 13;
export const R_DNS_BAD_POINTER = 14;
export const R_DNS_LABEL_TOO_LONG = 15;
export const R_DNS_NAME_TOO_LONG = 16;
export const R_DNS_BAD_RDATA = 17;
export const R_DNS_TCP_PARTIAL = 18;
export const R_OUTPUT_OVERFLOW = 19;
export const R_BAD_CAPTURE_RECORD = 20;
export const R_CAPTURE_TRUNCATED = 21;
export const R_OVERSIZED_BLOCK = 22;
export const R_UNKNOWN_INTERFACE = 23;
/** A packet time outside what a JavaScript Date holds (a wild pcapng if_tsoffset or huge tick count). */
export const R_BAD_TIMESTAMP = 24;
export const REASON_COUNT = 24;

/** Stable kebab-case names of the skip reasons, indexed by reason number. */
export const REASON_NAMES: readonly string[] = [
  '',
  'truncated',
  'unsupported-link-type',
  'not-ip',
  'bad-ip-header',
  'ip-fragment',
  'bad-ipv6-ext-header',
  'bad-udp-header',
  'bad-tcp-header',
  'not-dns-or-syn',
  'dns-query',
  'dns-truncated',
  'dns-bad-count',
  'dns-pointer-loop',
  'dns-bad-pointer',
  'dns-label-too-long',
  'dns-name-too-long',
  'dns-bad-rdata',
  'dns-tcp-partial',
  'output-overflow',
  'bad-capture-record',
  'capture-truncated',
  'oversized-block',
  'unknown-interface',
  'bad-timestamp',
];

/** Reasons that mean "not interesting" (nothing wrong with the input), as opposed to malformed. */
export const UNINTERESTING_REASONS: ReadonlySet<string> = new Set(['not-ip', 'not-dns-or-syn', 'dns-query']);

export const CAP_NEED_MORE = 0;
export const CAP_OUTPUT_FULL = 1;
export const CAP_SKIP = 2;
export const CAP_END = 3;

export const JSON_DONE = 0;
export const JSON_FULL = 1;
export const JSON_HOST = 2;

export const E_BAD_LENGTH = -1;
export const E_BAD_BATCH = -2;
export const E_NOT_A_CAPTURE = -3;
export const E_NOT_SET_UP = -4;
