// dist/controller.js, the controller role of the image: `netmapper serve` without the CLI in front.
import { run } from './cli/serve.ts';

run(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
  process.stderr.write(`netmapper-controller: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
