// The benchmark's API server, in its own process so that the controller's memory is measured alone:
// `tsx apiserver-child.ts <pods>` loads the synthetic cluster, serves it, prints `{"url":...}`, and
// exits when its stdin closes (the parent went away).
import { createFakeApiServer } from '../../fixtures/test-support/fake-apiserver.ts';
import { clusterObjects } from './cluster-gen.ts';

const pods = Number(process.argv[2]);
const api = createFakeApiServer({ bookmarkIntervalMs: 10_000, maxEvents: 1000 });
const batch: Record<string, unknown>[] = [];
for (const o of clusterObjects(pods)) {
  batch.push(o);
  if (batch.length >= 10_000) { api.load(batch as never); batch.length = 0; }
}
api.load(batch as never);
const url = await api.start();
process.stdout.write(`${JSON.stringify({ url })}\n`);
process.stdin.resume();
process.stdin.on('end', () => { void api.close().then(() => process.exit(0)); });
process.on('SIGTERM', () => { void api.close().then(() => process.exit(0)); });
