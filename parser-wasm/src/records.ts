// The decoder's output as TypeScript sees it: what `decodeFrames`, `decodeFile` and the
// capture iterator yield. Shared by the sniffer, replay and the `netmapper decode` command.

export type RecordKind = 'dns' | 'syn' | 'synack';
export type Transport = 'udp' | 'tcp';

/** One answer-section resource record, in wire order. Names are lower-case, no trailing dot. */
export interface DnsAnswer {
  name: string;
  type: 'A' | 'AAAA' | 'CNAME';
  /** An IP address for A/AAAA, the target name for CNAME. */
  value: string;
  ttl: number;
}

interface RecordBase {
  kind: RecordKind;
  /** Capture time, epoch seconds with fraction. */
  ts: number;
  src: string;
  dst: string;
  sport: number;
  dport: number;
  transport: Transport;
}

/** A DNS response. `src` is the server, `dst` the client that asked. */
export interface DnsRecord extends RecordBase {
  kind: 'dns';
  /** The queried name (question section). */
  name: string;
  rcode: number;
  answers: DnsAnswer[];
}

/** A TCP SYN (client → server) or SYN-ACK (server → client). */
export interface SynRecord extends RecordBase {
  kind: 'syn' | 'synack';
  transport: 'tcp';
}

export type DecodedRecord = DnsRecord | SynRecord;

/** Running totals of a decoder: frames in, records out, frames skipped by reason, and the two extra
 *  totals that make them add up (README "Counters"). The one counters type (DecodeCounters, a subset
 *  without the last two, is gone: the sniffer and the CLI now read the same shape). */
export interface DecoderCounters {
  frames: number;
  bytes: number;
  records: Record<RecordKind, number>;
  /** Skip reason (e.g. 'truncated', 'fragment', 'unsupported-link-type', 'dns-pointer-loop') → count. */
  skipped: Record<string, number>;
  /** Frames that produced at least one record. */
  framesDecoded: number;
  /** Skips that are not a whole frame: a 2nd bad DNS message in a segment, a bad file record. */
  nonFrameSkips: number;
}
