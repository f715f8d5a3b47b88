// The decoder's ABI numbers: batch framing, record and answer layouts, counter slots, skip
// reasons and contract error codes. Mirrored by parser-wasm/src/layout.ts (a test checks they agree).

/** Version of this layout; bump on any change so a stale .wasm is caught at load. */
export const ABI_VERSION: i32 = 2;

// ---- Live batch framing: each frame is a 16-byte header followed by `caplen` bytes. ----
export const BATCH_HDR_SIZE: i32 = 16;
export const BATCH_HDR_CAPLEN: i32 = 0; // u32
export const BATCH_HDR_LINKTYPE: i32 = 4; // u32 (a DLT number)
export const BATCH_HDR_TS: i32 = 8; // f64 epoch seconds

// ---- Output record: fixed 64 bytes, little-endian numbers, addresses in network order. ----
export const REC_SIZE: i32 = 64;
export const REC_KIND: i32 = 0; // u8: KIND_*
export const REC_TRANSPORT: i32 = 1; // u8: 6 tcp, 17 udp
export const REC_IPVER: i32 = 2; // u8: 4 or 6
export const REC_RCODE: i32 = 3; // u8: DNS rcode (header, 4 bits)
export const REC_SPORT: i32 = 4; // u16
export const REC_DPORT: i32 = 6; // u16
export const REC_TS: i32 = 8; // f64
export const REC_SRC: i32 = 16; // 16 bytes (IPv4 in the first 4)
export const REC_DST: i32 = 32; // 16 bytes
export const REC_NAME_OFF: i32 = 48; // u32 offset into the name area
export const REC_NAME_LEN: i32 = 52; // u16
export const REC_ANSWER_COUNT: i32 = 54; // u16
export const REC_ANSWER_START: i32 = 56; // u32 index into the answer area
export const REC_FRAME: i32 = 60; // u32 frame index within the call

export const KIND_DNS: i32 = 1;
export const KIND_SYN: i32 = 2;
export const KIND_SYNACK: i32 = 3;

// ---- Answer: fixed 32 bytes. ----
export const ANS_SIZE: i32 = 32;
export const ANS_TYPE: i32 = 0; // u16: 1 A, 28 AAAA, 5 CNAME
export const ANS_NAME_LEN: i32 = 2; // u16
export const ANS_NAME_OFF: i32 = 4; // u32
export const ANS_TTL: i32 = 8; // u32
export const ANS_VALUE_LEN: i32 = 12; // u16: 4, 16, or the CNAME target's length
export const ANS_VALUE: i32 = 16; // 16 bytes of address, or u32 name offset for CNAME

// ---- Counters: u64 slots. ----
export const CTR_FRAMES: i32 = 0;
export const CTR_BYTES: i32 = 1;
export const CTR_DNS: i32 = 2;
export const CTR_SYN: i32 = 3;
export const CTR_SYNACK: i32 = 4;
/** Frames that produced at least one record. */
export const CTR_FRAMES_DECODED: i32 = 5;
/** Skips that are not a whole frame (a 2nd bad DNS message in one segment, a bad file record). */
export const CTR_NON_FRAME_SKIPS: i32 = 6;
/** Slot of reason r is CTR_REASON_BASE + r. */
export const CTR_REASON_BASE: i32 = 8;
export const CTR_SLOTS: i32 = 40;

// ---- Skip reasons (1-based; names in src/layout.ts REASON_NAMES). ----
export const R_TRUNCATED: i32 = 1;
export const R_UNSUPPORTED_LINK_TYPE: i32 = 2;
export const R_NOT_IP: i32 = 3;
export const R_BAD_IP_HEADER: i32 = 4;
export const R_IP_FRAGMENT: i32 = 5;
export const R_BAD_IPV6_EXT_HEADER: i32 = 6;
export const R_BAD_UDP_HEADER: i32 = 7;
export const R_BAD_TCP_HEADER: i32 = 8;
export const R_NOT_DNS_OR_SYN: i32 = 9;
export const R_DNS_QUERY: i32 = 10;
export const R_DNS_TRUNCATED: i32 = 11;
export const R_DNS_BAD_COUNT: i32 = 12;
export const R_DNS_POINTER_LOOP: i32 = 13;
export const R_DNS_BAD_POINTER: i32 = 14;
export const R_DNS_LABEL_TOO_LONG: i32 = 15;
export const R_DNS_NAME_TOO_LONG: i32 = 16;
export const R_DNS_BAD_RDATA: i32 = 17;
export const R_DNS_TCP_PARTIAL: i32 = 18;
export const R_OUTPUT_OVERFLOW: i32 = 19;
export const R_BAD_CAPTURE_RECORD: i32 = 20;
export const R_CAPTURE_TRUNCATED: i32 = 21;
export const R_OVERSIZED_BLOCK: i32 = 22;
export const R_UNKNOWN_INTERFACE: i32 = 23;
/** A packet time outside what a JavaScript Date holds (a wild pcapng if_tsoffset or huge tick count). */
export const R_BAD_TIMESTAMP: i32 = 24;
export const REASON_COUNT: i32 = 24;

// ---- Capture-file chunk status (captureStatus()). ----
export const CAP_NEED_MORE: i32 = 0; // consumed what it could; give it more bytes
export const CAP_OUTPUT_FULL: i32 = 1; // read the records back, then call again with the rest
export const CAP_SKIP: i32 = 2; // skip captureSkip() bytes of the file after the consumed ones
export const CAP_END: i32 = 3; // stop: end of file or unrecoverable corruption (counted)

// ---- JSON lines status (jsonStatus()). ----
export const JSON_DONE: i32 = 0; // every record written
export const JSON_FULL: i32 = 1; // the region is full: take the bytes, call again from the returned record
export const JSON_HOST: i32 = 2; // the returned record's line is the host's to write

// ---- Contract errors: negative return values (a host bug or a non-capture, never a bad frame). ----
export const E_BAD_LENGTH: i32 = -1; // len larger than the input region
export const E_BAD_BATCH: i32 = -2; // batch framing runs past len
export const E_NOT_A_CAPTURE: i32 = -3; // first bytes are no pcap/pcapng magic
export const E_NOT_SET_UP: i32 = -4; // setup() was not called
