// How the live sniffer POSTs its reports: node:http (node:https for an https:// controller, loaded
// only then), with Node's keep-alive global agent. The reporter's default is the global fetch, but
// fetch loads Node's bundled undici: measured ~12 MB more resident memory in a process that sends
// one small POST a second, which the sniffer (one per node, RSS goal < 100 MB) cannot spare.

import type { PostReport } from './reporter.ts';

type RequestFn = typeof import('node:http').request;

async function requestFor(protocol: string): Promise<RequestFn> {
  return protocol === 'https:' ? (await import('node:https')).request : (await import('node:http')).request;
}

/** A PostReport over node:http(s): the status, headers and whole body, or a rejection on a network error or abort. */
export function createHttpPost(): PostReport {
  return async (url, init) => {
    const target = new URL(url);
    const request = await requestFor(target.protocol);
    const body = Buffer.from(init.body);
    return new Promise((resolve, reject) => {
      const req = request(target, { method: init.method, headers: { ...init.headers, 'content-length': String(body.length) }, signal: init.signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            ok: status >= 200 && status < 300,
            status,
            headers: { get: (name) => { const v = res.headers[name.toLowerCase()]; return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v; } },
            text: () => Promise.resolve(text),
          });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  };
}
