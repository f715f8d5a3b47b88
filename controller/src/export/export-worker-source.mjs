// Source checkouts only (tests, `tsx`): the export worker thread's bootstrap when the controller runs from its
// .ts sources — it registers tsx in the worker, then loads export-worker.ts. A build never starts it: dist/ runs
// dist/export-worker.js (export-pool.ts chooses by NETMAPPER_DIST), so tsx stays a development dependency.
import { register } from 'tsx/esm/api';

register();
await import('./export-worker.ts');
