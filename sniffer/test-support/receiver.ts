// A stand-in controller for the live tests, run as a child inside the test's node namespace (the
// sniffer there cannot reach the root namespace's loopback). It accepts POST /api/v1/reports only
// with the expected bearer token, and prints each accepted report as one JSON line on stdout.
// Usage: receiver.ts <port> <token>

import { createServer } from 'node:http';

const [portText, token] = process.argv.slice(2);
const server = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (d: string) => { body += d; });
  req.on('end', () => {
    if (req.method !== 'POST' || req.url !== '/api/v1/reports') { res.writeHead(404).end(); return; }
    if (req.headers.authorization !== `Bearer ${token}`) {
      process.stdout.write(JSON.stringify({ unauthorized: req.headers.authorization ?? null }) + '\n');
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"code":"unauthorized","message":"bad token"}');
      return;
    }
    let report: unknown;
    try { report = JSON.parse(body); } catch { res.writeHead(400).end(); return; }
    process.stdout.write(JSON.stringify({ report }) + '\n');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: 1 }));
  });
});
server.listen(Number(portText), '127.0.0.1', () => process.stdout.write(JSON.stringify({ listening: Number(portText) }) + '\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
