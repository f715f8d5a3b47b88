// /healthz and /metrics on the health port. Plain node:http: two fixed routes, nothing else.

import { createServer, type Server } from 'node:http';
import type { Metrics } from '../../controller/common/metrics.ts';

export interface HealthServer {
  close(): Promise<void>;
  readonly port: number;
}

/** `healthy()` returns undefined when fine, else the reason (served with 503). */
export function startHealthServer(opts: { port: number; host?: string; metrics: Metrics; healthy: () => string | undefined }): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (path === '/healthz') {
      const problem = opts.healthy();
      res.writeHead(problem ? 503 : 200, { 'content-type': 'text/plain' }).end(problem ? `unhealthy: ${problem}\n` : 'ok\n');
    } else if (path === '/metrics') {
      opts.metrics.render().then(
        (text) => res.writeHead(200, { 'content-type': opts.metrics.contentType }).end(text),
        (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics: ${err.message}\n`));
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err) => reject(new Error(`cannot serve --health-port ${opts.port}: ${err.message}`, { cause: err })));
    server.listen(opts.port, opts.host, () => {
      const addr = server.address();
      resolve({
        port: typeof addr === 'object' && addr ? addr.port : opts.port,
        close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
      });
    });
  });
}
