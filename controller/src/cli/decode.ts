// `netmapper decode CAPTURE...`: one JSON object per record on stdout, one summary line on stderr.
import { stat } from 'node:fs/promises';
import { scanCapture } from '../../../parser-wasm/src/capture-file.ts';
import { CaptureFormatError } from '../../../parser-wasm/src/errors.ts';
import { emptyCounters, type DecoderCounters } from '../../../parser-wasm/src/read-back.ts';

const USAGE = `Usage: netmapper decode CAPTURE...

Decodes pcap and pcapng files (format detected by magic number) and prints one JSON object
per line for every DNS response, TCP SYN and SYN-ACK found:
  {"kind":"dns"|"syn"|"synack","ts":...,"src":IP,"dst":IP,"sport":N,"dport":N,"transport":"udp"|"tcp",
   "name":...,"rcode":N,"answers":[{"name","type":"A"|"AAAA"|"CNAME","value","ttl"}]}   (dns only)
Then one summary line on stderr: frames read, records, and skipped frames by reason.

Flags:
  -h, --help   show this help
`;

export function formatSummary(c: DecoderCounters, files: number): string {
  const records = c.records.dns + c.records.syn + c.records.synack;
  const skipped = Object.entries(c.skipped).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join(' ');
  return `decode: ${files} file(s), ${c.frames} frames read, ${records} records (dns=${c.records.dns} syn=${c.records.syn} synack=${c.records.synack}), skipped: ${skipped || 'none'}`;
}

function add(total: DecoderCounters, c: DecoderCounters): void {
  total.frames += c.frames;
  total.bytes += c.bytes;
  total.framesDecoded += c.framesDecoded;
  total.nonFrameSkips += c.nonFrameSkips;
  for (const k of ['dns', 'syn', 'synack'] as const) total.records[k] += c.records[k];
  for (const [k, v] of Object.entries(c.skipped)) total.skipped[k] = (total.skipped[k] ?? 0) + v;
}

/** Resolves once stdout is done with `chunk` (it may be a view of WASM memory that the next chunk overwrites). */
function write(chunk: Buffer): Promise<void> {
  return new Promise<void>((resolve, reject) => process.stdout.write(chunk, (err) => (err ? reject(err) : resolve())));
}

export async function run(args: string[]): Promise<number> {
  // `--` ends the flags: everything after it is a file, even `-x`.
  const dashes = args.indexOf('--');
  const flags = dashes < 0 ? args : args.slice(0, dashes);
  const argv = dashes < 0 ? args : [...flags, ...args.slice(dashes + 1)];
  if (flags.includes('-h') || flags.includes('--help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const unknown = flags.find((a) => a.startsWith('-') && a !== '-');
  if (unknown) {
    process.stderr.write(`netmapper decode: unknown flag '${unknown}'\n\n${USAGE}`);
    return 2;
  }
  if (argv.length === 0) {
    process.stderr.write(`netmapper decode: no capture file given\n\n${USAGE}`);
    return 2;
  }
  const total = emptyCounters();
  let status = 0;
  for (const path of argv) {
    // A FIFO or a device would be read forever (or block): refused, as replay refuses them.
    const kind = await stat(path).then((s) => (s.isFile() ? undefined : 'not a regular file'), () => undefined);
    if (kind) { status = 1; process.stderr.write(`netmapper decode: ${path}: ${kind}\n`); continue; }
    // One step per decoded chunk: its lines are one string, written once; nothing per record.
    const it = scanCapture(path, { materialize: false, jsonLines: true });
    try {
      for (;;) {
        const step = await it.next();
        if (step.done) {
          add(total, step.value);
          break;
        }
        if (step.value.json?.length) await write(step.value.json);
      }
    } catch (err) {
      status = 1;
      const msg = err instanceof CaptureFormatError ? err.message
        : (err as NodeJS.ErrnoException).code === 'ENOENT' ? `${path}: no such file`
        : `${path}: ${err instanceof Error ? err.message : String(err)}`;
      process.stderr.write(`netmapper decode: ${msg}\n`);
    }
  }
  process.stderr.write(formatSummary(total, argv.length) + '\n');
  return status;
}
