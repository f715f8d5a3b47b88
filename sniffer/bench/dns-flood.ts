// Load generator for the sniffer benchmark: sends real DNS response datagrams (built with
// dns-packet, from port 53) at a paced rate to one client address. Run inside a pod namespace.
// Usage: dns-flood.ts <dst-ip> <dst-port> <rate/s> <seconds> <distinct-names>
// Prints one JSON line: {"sent":N,"seconds":S}.

import { createSocket } from 'node:dgram';
import * as dnsPacket from 'dns-packet';

const [dst, portText, rateText, secondsText, namesText] = process.argv.slice(2);
const port = Number(portText), rate = Number(rateText), seconds = Number(secondsText), names = Number(namesText);

const packets: Buffer[] = [];
for (let i = 0; i < names; i++) {
  const name = `svc-${i}.ns-${i % 17}.bench.test`;
  packets.push(dnsPacket.encode({
    type: 'response', id: i & 0xffff, flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE,
    questions: [{ type: 'A', name }],
    answers: [{ type: 'A', name, ttl: 30, data: `10.232.${(i >> 8) & 0xff}.${i & 0xff}` }],
  }));
}

const sock = createSocket({ type: 'udp4', sendBufferSize: 8 << 20 });
sock.bind(53, () => {
  const start = performance.now();
  let sent = 0, inFlight = 0;
  const done = () => {
    const elapsed = (performance.now() - start) / 1000;
    process.stdout.write(JSON.stringify({ sent, seconds: elapsed }) + '\n');
    sock.close();
  };
  const onSent = () => { inFlight--; };
  const pump = () => {
    const elapsed = (performance.now() - start) / 1000;
    if (elapsed >= seconds) { const wait = () => (inFlight > 0 ? setTimeout(wait, 5) : done()); wait(); return; }
    const due = Math.min(Math.floor(rate * elapsed), Math.floor(rate * seconds));
    // keep the socket's queue short: pacing, not a burst at the end
    while (sent < due && inFlight < 2048) {
      inFlight++;
      sock.send(packets[sent % names]!, port, dst, onSent);
      sent++;
    }
    setImmediate(pump);
  };
  pump();
});
