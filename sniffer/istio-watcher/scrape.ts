// HTTP GET of a sidecar's Prometheus endpoint (`http://<pod IP>:15020/stats/prometheus` by default),
// bounded in time and size, and a small pool that runs at most N scrapes at once. A failure is a value
// with a reason (the metrics count it), never a throw.

export interface ScrapeOptions {
  timeoutMs: number;
  /** Bodies past this many bytes are cut off and the scrape fails with `too-large`. */
  maxBytes: number;
  signal?: AbortSignal;
}

export type ScrapeFailure = 'timeout' | 'refused' | 'unreachable' | 'http-status' | 'too-large' | 'network' | 'aborted';
export type ScrapeResult = { body: string; bytes: number } | { failure: ScrapeFailure; detail: string };

const NETWORK_CODES: Record<string, ScrapeFailure> = {
  ECONNREFUSED: 'refused', EHOSTUNREACH: 'unreachable', ENETUNREACH: 'unreachable', ECONNRESET: 'network',
  UND_ERR_SOCKET: 'network', UND_ERR_CONNECT_TIMEOUT: 'timeout', UND_ERR_HEADERS_TIMEOUT: 'timeout', UND_ERR_BODY_TIMEOUT: 'timeout',
};

function classify(err: unknown, timedOut: boolean, stopped: boolean): { failure: ScrapeFailure; detail: string } {
  if (stopped) return { failure: 'aborted', detail: 'stopping' };
  if (timedOut) return { failure: 'timeout', detail: 'no complete answer in time' };
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (err as { code?: string }).code ?? '';
  return { failure: NETWORK_CODES[code] ?? 'network', detail: cause?.message ?? (err as Error).message ?? String(err) };
}

/** Fetches `url`; the body is read as a stream and stops at `maxBytes`. */
export async function scrape(url: string, opts: ScrapeOptions): Promise<ScrapeResult> {
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  try {
    const res = await fetch(url, { signal, headers: { accept: 'text/plain;version=0.0.4' }, redirect: 'error' });
    if (!res.ok || !res.body) {
      await res.body?.cancel().catch(() => {});
      return { failure: 'http-status', detail: `HTTP ${res.status}` };
    }
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > opts.maxBytes) {
      await res.body.cancel().catch(() => {});
      return { failure: 'too-large', detail: `content-length ${declared} > ${opts.maxBytes}` };
    }
    const chunks: Uint8Array[] = [];
    let bytes = 0;
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > opts.maxBytes) {
        await reader.cancel().catch(() => {});
        return { failure: 'too-large', detail: `body over ${opts.maxBytes} bytes` };
      }
      chunks.push(value);
    }
    return { body: Buffer.concat(chunks).toString('utf8'), bytes };
  } catch (err) {
    return classify(err, timeout.aborted, opts.signal?.aborted === true);
  }
}

/** Runs `work` over `items` with at most `limit` in flight; results in input order. */
export async function mapPooled<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** `http://10.0.0.7:15020/stats/prometheus`, `http://[fd00::7]:15020/stats/prometheus`. */
export function sidecarUrl(ip: string, port: number, path: string): string {
  return `http://${ip.includes(':') ? `[${ip}]` : ip}:${port}${path}`;
}
