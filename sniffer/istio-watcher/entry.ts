// dist/istio-watcher.js, the Istio watcher role of the image.
import { main } from './main.ts';

main(process.argv.slice(2), process.env).then(
  // exit explicitly: idle keep-alive sockets to the controller must not hold a stopping pod open
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`istio-watcher: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  },
);
