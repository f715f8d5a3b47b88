// chart/README.md: the values table matches the schema, and the install/upgrade/uninstall/replay material is there.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { README_FILE, END, START, valuesTable, withTable } from './scripts/values-table.ts';
import { schemaLeaves } from './scripts/schema-walk.ts';

const readme = readFileSync(README_FILE, 'utf8');

test('the values table in README.md is the one generated from values.schema.json', () => {
  assert.is(withTable(readme), readme, 'stale: run node --import tsx chart/scripts/values-table.ts --write');
  const section = readme.slice(readme.indexOf(START), readme.indexOf(END));
  for (const path of schemaLeaves()) assert.ok(section.includes(`| \`${path}\` |`), `${path} has a row`);
});

test('a stale table is detected', () => {
  const stale = readme.replace('| `sniffer.healthPort` | integer', '| `sniffer.healthPrt` | integer');
  assert.is.not(stale, readme);
  assert.is.not(withTable(stale), stale);
});

test('the table shows types, defaults and descriptions', () => {
  const table = valuesTable();
  assert.match(table, '| `sniffer.healthPort` | integer (1024–65535) | `57921` |');
  assert.match(table, '| `controller.auth` | string: tokenreview \\| none | `tokenreview` |');
  assert.match(table, '| `controller.store.persistence.enabled` | boolean | `false` |');
});

test('README covers install, upgrade, uninstall and offline replay', () => {
  assert.match(readme, 'helm install network-mapper ./chart -n netmapper-system --create-namespace --wait');
  assert.match(readme, 'helm upgrade network-mapper ./chart -n netmapper-system');
  assert.match(readme, 'helm uninstall network-mapper -n netmapper-system');
  assert.match(readme, 'tcpdump -i any');
  assert.match(readme, '-w node.pcap');
  assert.match(readme, 'kubectl get pods,replicasets,deployments,statefulsets,daemonsets,jobs,cronjobs,services,endpointslices,nodes,namespaces');
  assert.match(readme, '-A -o yaml > cluster.yaml');
  assert.match(readme, 'npx netmapper replay --cluster cluster.yaml node.pcap');
});

test.run();
