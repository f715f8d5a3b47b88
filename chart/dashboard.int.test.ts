// The metrics both roles export, checked by promtool (the Prometheus project's own linter), and the Grafana
// dashboard shipped in chart/dashboards/, whose every query names only metrics those registries export.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMetrics } from '../controller/common/metrics.ts';
import { parseConfig } from '../controller/src/config.ts';
import { startController } from '../controller/src/main.ts';
import { createSnifferMetrics } from '../sniffer/src/metrics.ts';
import { CHART_DIR, REPO_DIR } from '../fixtures/test-support/helm.ts';
import { suiteNeeds } from '../fixtures/test-support/needs.ts';
import { freePort } from '../fixtures/test-support/ports.ts';
suiteNeeds('metrics and dashboard', ['tool:promtool']);

const DASHBOARD = join(CHART_DIR, 'dashboards', 'network-mapper.json');
const CLUSTER_FILE = join(REPO_DIR, 'controller', 'src', 'resolve', 'testdata', 'shop.cluster.yaml');

/** The controller's /metrics as main wires it (snapshot cluster, edges on), after a report and an export. */
async function controllerMetrics(): Promise<string> {
  const cfg = { ...parseConfig(['--cluster-snapshot', CLUSTER_FILE, '--bind-address', '127.0.0.1', '--metrics-edges', '10', '--log-level', 'error'], {}, false), port: 0, metricsPort: await freePort() };
  const ctl = await startController(cfg, { log: () => {} });
  try {
    const base = `http://127.0.0.1:${ctl.port}`;
    await fetch(`${base}/api/v1/list`);
    await fetch(`${base}/api/v1/reports`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    // /metrics is served on the metrics port only (the API port answers it 404).
    const res = await fetch(`http://127.0.0.1:${ctl.metricsPort}/metrics`);
    assert.is(res.status, 200);
    return await res.text();
  } finally {
    await ctl.close();
  }
}

/** The sniffer's registry as its main builds it. */
function snifferMetrics(): Promise<string> {
  return createSnifferMetrics(createMetrics({ processMetrics: true, buildInfo: { role: 'sniffer', node: 'node-1' } })).registry.render();
}

/** Family names from `# TYPE` lines, with the series names a histogram or summary adds. */
function exported(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(m[1]);
    if (m[2] === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(m[1] + s);
    if (m[2] === 'summary') for (const s of ['_sum', '_count']) names.add(m[1] + s);
  }
  return names;
}

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset', 'le', 'inf', 'nan']);

/** Metric names in a PromQL expression: identifiers that are not functions, keywords, label names or strings. */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')                                          // string literals
    .replace(/\{[^}]*\}/g, '')                                                     // label matchers
    .replace(/\[[^\]]*\]/g, '')                                                    // range selectors
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');  // label lists
  const out: string[] = [];
  for (const m of bare.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*(\s*\()?/g)) {
    if (m[1]) continue;                                                            // a function call
    if (KEYWORDS.has(m[0].toLowerCase())) continue;
    out.push(m[0]);
  }
  return out;
}

function promtool(text: string): { status: number; output: string } {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

const controller = await controllerMetrics();
const sniffer = await snifferMetrics();

test('promtool check metrics: the controller and the sniffer pass', () => {
  for (const [role, text] of [['controller', controller], ['sniffer', sniffer]]) {
    const r = promtool(text);
    assert.is(r.status, 0, `${role}: ${r.output}`);
  }
});

test('promtool is not a no-op: it refuses a counter without _total and a duplicate family', () => {
  const r = promtool('# HELP bad_counter x\n# TYPE bad_counter counter\nbad_counter 1\n');
  assert.is.not(r.status, 0);
  assert.match(r.output, 'bad_counter');
});

test('both roles export process, runtime and build metrics; the controller its latency histogram and edges', () => {
  for (const text of [controller, sniffer]) {
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_heap_size_used_bytes', 'netmapper_build_info']) {
      assert.ok(exported(text).has(name), name);
    }
  }
  assert.match(controller, /^netmapper_build_info\{version="0\.1\.0",revision="[^"]+",role="controller",node=""\} 1$/m);
  assert.match(sniffer, /^netmapper_build_info\{version="0\.1\.0",revision="[^"]+",role="sniffer",node="node-1"\} 1$/m);
  assert.match(controller, /^netmapper_http_request_duration_seconds_count\{route="\/api\/v1\/list",method="GET",code="200"\} 1$/m);
  assert.match(controller, /^netmapper_http_request_duration_seconds_count\{route="\/api\/v1\/reports",method="POST",code="400"\} 1$/m);
  assert.ok(exported(controller).has('netmapper_edge_series_left_out'));
  assert.ok(exported(sniffer).has('netmapper_sniffer_capture_dropped_total'));
});

test('the metric-name extractor finds names and skips functions, labels and keywords', () => {
  assert.equal(metricNames('histogram_quantile(0.99, sum by (le, route) (rate(a_bucket{job="x"}[5m]))) / on (instance) group_left (node) b or c'), ['a_bucket', 'b', 'c']);
  assert.equal(metricNames('label_join(m, "id", "/", "x", "y")'), ['m']);
});

test('every metric the dashboard queries is exported by the controller or the sniffer', () => {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
  const known = new Set([...exported(controller), ...exported(sniffer)]);
  const used = new Set<string>();
  for (const p of dashboard.panels) {
    assert.ok(p.targets.length > 0, `${p.title} has queries`);
    for (const t of p.targets) {
      const names = metricNames(t.expr);
      assert.ok(names.length > 0, `${p.title}: ${t.expr} names a metric`);
      for (const n of names) used.add(n);
    }
  }
  assert.equal([...used].filter((n) => !known.has(n)), [], 'queried but never exported');
  assert.ok(used.size >= 15, `the dashboard queries ${used.size} metrics`);
});

test('the dashboard has a node graph fed by the edge series', () => {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: { type: string; targets: { expr: string }[] }[] };
  const graph = dashboard.panels.find((p) => p.type === 'nodeGraph');
  assert.ok(graph);
  assert.ok(graph!.targets.every((t) => metricNames(t.expr).every((n) => n === 'netmapper_edge_last_seen_seconds')));
});

test.run();
