// The controller's settings: each a flag and an environment variable of the same name
// (`--store-file` ⇔ `NETMAPPER_STORE_FILE`), flags winning. Checked once at start-up; a bad value
// is a ConfigError naming the setting (main exits 2).

import { ConfigError } from '../common/errors.ts';
import { envName, parseBool, readSettings, settingsHelp, type Setting } from '../common/settings.ts';
import { DEFAULT_FULLNAME, defaultReporterIdentities, ROLE_NAMES, serviceAccountUser, type ReporterRole } from './auth/policy.ts';
import type { ReadAuthMode } from './auth/user-access.ts';
import { DEFAULT_REPORTER_NEW_INTENTS } from './ingest-gate.ts';
import { DEFAULT_CLUSTER_DOMAIN } from './core.ts';
import { DURATION_HINT, parseDuration as parseDurationText, parseSize, SIZE_HINT } from '../common/units.ts';

export type AuthMode = 'tokenreview' | 'token-file' | 'none';
export type { LogLevel } from '../common/log.ts';
import type { LogLevel } from '../common/log.ts';

export interface ControllerConfig {
  port: number;
  /** 0: no separate metrics listener (`/metrics` stays on the API port). */
  metricsPort: number;
  bindAddress: string;
  clusterDomain: string;
  /** Where clusterDomain came from: the flag/env, /etc/resolv.conf's search list, or the default. */
  clusterDomainSource: 'setting' | 'resolv.conf' | 'default';
  /** IPv4 prefix length around the API server's endpoint addresses that counts as the control plane. */
  controlPlaneIpv4PrefixLength: number;
  /** Pods of standalone Jobs are named by their container images (Otterize's experimentalUseDockerImageAsServiceNameForJobs). */
  jobNameFromImage: boolean;
  excludeNamespaces: string[];
  workloadNameAnnotation: string;
  workloadLabel?: string;
  storeFile?: string;
  storeSaveIntervalMs: number;
  /** Write-ahead log size that triggers a compaction into the snapshot. */
  storeCompactBytes: number;
  /** 0: never expire. */
  intentExpiryMs: number;
  /** A request's headers must arrive within this (slow-header connections are closed). */
  headerTimeoutMs: number;
  /** A whole request (headers and body) must arrive within this. */
  requestTimeoutMs: number;
  /** Open connections accepted at most per listener; more are closed at accept. */
  maxConnections: number;
  /** Heap cap of the export worker thread (renders and large exports), bytes. */
  exportHeapBytes: number;
  /** Longest one export or render may run before it is stopped (503). */
  exportTimeoutMs: number;
  maxIntents: number;
  /** Most per-edge series on /metrics; 0: none. */
  metricsEdges: number;
  auth: AuthMode;
  tokenFile?: string;
  tokenAudience: string;
  /** Reporter usernames (TokenReview) → role; by default the chart's service accounts in `namespace`. */
  reporterIdentities: Record<string, ReporterRole>;
  /** The controller's namespace: default reporter identities and bare service-account names live here. */
  namespace: string;
  /** Reads and reset: rbac (TokenReview + SubjectAccessReview), loopback-only, none. */
  readAuth: ReadAuthMode;
  /** Loopback callers (kubectl port-forward) may read and reset without a token. */
  trustLoopback: boolean;
  /** New intents one reporter may add per 10 minutes; 0: no bound. */
  reporterNewIntents: number;
  bodyLimit: number;
  /** Reports parsed and resolved at once; more are answered 429 with Retry-After. */
  maxConcurrentReports: number;
  minServerAgeMs: number;
  kubeconfig?: string;
  /** Static snapshot files instead of informers (offline runs and demos). */
  clusterSnapshot?: string[];
  logLevel: LogLevel;
}

export const SETTINGS: readonly Setting[] = [
  { flag: 'port', default: '8080', help: 'API port (reports, intents, exports, reset, health)' },
  { flag: 'metrics-port', default: '9090', help: 'port serving /metrics, /healthz and /readyz (the only place /metrics is served); 0 disables it' },
  { flag: 'bind-address', default: '0.0.0.0', help: 'address both listeners bind to' },
  { flag: 'cluster-domain', help: 'DNS names under this domain are cluster names (default: from the search list of /etc/resolv.conf, else cluster.local)' },
  { flag: 'control-plane-cidr-prefix', default: '32', help: 'IPv4 prefix length around the API server\'s endpoint addresses that also counts as the control plane (GKE: 28)' },
  { flag: 'job-name-from-image', default: 'false', help: 'name pods of Jobs without a CronJob by their container images instead of the Job (true|false)' },
  { flag: 'exclude-namespaces', default: 'istio-system,linkerd', help: 'comma list; intents with a client or server here are not stored' },
  { flag: 'workload-name-annotation', default: 'intents.otterize.com/workload-name', help: 'pod annotation naming the workload' },
  { flag: 'workload-label', help: 'optional pod label naming the workload (e.g. app.kubernetes.io/name)' },
  { flag: 'store-file', help: 'persist the map to this file (default: memory only)' },
  { flag: 'store-save-interval', default: '30s', help: 'how often the write-ahead log is compacted into the store file (reports are durable before they are acknowledged either way)' },
  { flag: 'store-compact-size', default: '64Mi', help: 'compact the write-ahead log once it holds this much (bounds restart time)' },
  { flag: 'header-timeout', default: '10s', help: 'a request\'s headers must arrive within this; slower connections are closed' },
  { flag: 'request-timeout', default: '60s', help: 'a whole request (headers and body) must arrive within this' },
  { flag: 'max-connections', default: '1024', help: 'open connections per listener; more are closed at accept' },
  { flag: 'export-heap', default: '256Mi', help: 'heap cap of the worker thread that renders images and large exports (an export needing more answers 503)' },
  { flag: 'export-timeout', default: '30s', help: 'longest one export or image render may run before it is stopped (503)' },
  { flag: 'intent-expiry', default: '0', help: 'forget intents unseen for this long; 0 never' },
  { flag: 'max-intents', default: '100000', help: 'most intents kept; new ones beyond are refused and counted (about 5 KB of RSS each at the peak of an export: store + the export worker\'s copy)' },
  { flag: 'auth', help: 'report authentication: tokenreview | token-file | none (default tokenreview in a cluster, none outside; none is logged as a warning)' },
  { flag: 'token-file', help: 'file of accepted bearer tokens, one per line as "<token> [role,role]" (a bare token is a sniffer) (--auth token-file)' },
  { flag: 'token-audience', default: 'netmapper', help: 'audience the reporters\' tokens must carry (--auth tokenreview)' },
  { flag: 'namespace', help: 'the controller\'s namespace (default: the pod\'s service-account namespace, else "default")' },
  { flag: 'release-fullname', default: DEFAULT_FULLNAME, help: 'the chart\'s fullname: default reporter identities are <namespace>:<fullname>-sniffer, -kafka-watcher, -istio-watcher' },
  { flag: 'reporter-identities', help: 'comma list of role=serviceaccount (role: sniffer, kafka-watcher, istio-watcher; account: name, namespace/name or a full username); replaces the defaults' },
  { flag: 'read-auth', help: 'reads and reset: rbac (TokenReview + SubjectAccessReview) | loopback-only | none (default rbac in a cluster, loopback-only outside)' },
  { flag: 'trust-loopback', default: 'true', boolean: true, help: 'loopback callers (kubectl port-forward) read and reset without a token; false turns it off' },
  { flag: 'reporter-new-intents', default: String(DEFAULT_REPORTER_NEW_INTENTS), help: 'new intents one reporter (per pod) may add per 10 minutes; more are refused and counted; 0 no bound' },
  { flag: 'body-limit', default: '8Mi', help: 'largest report body in bytes (suffixes Ki, Mi)' },
  { flag: 'max-concurrent-reports', default: '4', help: 'reports parsed and resolved at once; more are answered 429 with Retry-After (the sender keeps and retries them)' },
  { flag: 'min-server-age', default: '5m', help: 'TCP/socket servers younger than this are not trusted' },
  { flag: 'kubeconfig', help: 'kubeconfig file (default: in-cluster, else $KUBECONFIG or ~/.kube/config)' },
  { flag: 'cluster-snapshot', help: 'comma list of kubectl YAML/JSON dumps to use instead of the API' },
  { flag: 'log-level', default: 'info', help: 'debug | info | warn | error' },
  { flag: 'metrics-edges', default: '0', help: 'export netmapper_edge_last_seen_seconds for at most this many client/server pairs (a Grafana node graph); 0 off' },
];

export { envName };

export function usage(): string {
  return settingsHelp('Usage: netmapper-controller [flags]', SETTINGS);
}

/** Raw strings: flags (`--x v`, `--x=v`) over env over defaults. Throws ConfigError on an unknown flag or a missing value. */
export function collect(argv: readonly string[], env: Record<string, string | undefined>): Map<string, string> {
  return new Map([...readSettings(SETTINGS, argv, env).values].map(([flag, v]) => [flag, v.value]));
}

/** common/units.ts's duration grammar, as a setting: a bad value fails start-up naming the setting. */
export function parseDuration(v: string, setting: string): number {
  const ms = parseDurationText(v);
  if (ms === undefined) throw new ConfigError(setting, `not a duration: ${JSON.stringify(v)} (${DURATION_HINT})`);
  return ms;
}

/** common/units.ts's size grammar, as a setting. */
export function parseBytes(v: string, setting: string): number {
  const n = parseSize(v);
  if (n === undefined) throw new ConfigError(setting, `not a size: ${JSON.stringify(v)} (${SIZE_HINT})`);
  return n;
}

function int(v: string, setting: string, min: number, max: number): number {
  if (!/^\d+$/.test(v.trim()) || Number(v) < min || Number(v) > max) throw new ConfigError(setting, `must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
  return Number(v);
}

/** common/settings.ts's boolean grammar, as a setting. */
function bool(v: string, setting: string): boolean {
  const b = parseBool(v);
  if (b === undefined) throw new ConfigError(setting, `must be true or false, got ${JSON.stringify(v)}`);
  return b;
}

/** RFC 1123 names: the cluster domain is dot-separated labels. */
const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** Kubernetes qualified name with an optional DNS prefix (annotation and label keys). */
const QUALIFIED = /^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/**
 * Parses and checks every setting. `inCluster` picks the default auth mode.
 * @example parseConfig(['--port', '8081'], process.env, true)
 */
export function parseConfig(argv: readonly string[], env: Record<string, string | undefined>, inCluster: boolean,
  detected: { clusterDomain?: string; namespace?: string } = {}): ControllerConfig {
  const raw = collect(argv, env);
  const get = (k: string) => raw.get(k);
  const name = (k: string) => `--${k}`;
  const list = (v: string | undefined) => (v ?? '').split(/[,\s]+/).map((s) => s.trim()).filter(Boolean);

  const cfg: ControllerConfig = {
    port: int(get('port')!, name('port'), 1, 65535),
    metricsPort: int(get('metrics-port')!, name('metrics-port'), 0, 65535),
    bindAddress: get('bind-address')!,
    clusterDomain: (get('cluster-domain') ?? detected.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN).toLowerCase().replace(/\.$/, ''),
    clusterDomainSource: get('cluster-domain') !== undefined ? 'setting' : detected.clusterDomain !== undefined ? 'resolv.conf' : 'default',
    controlPlaneIpv4PrefixLength: int(get('control-plane-cidr-prefix')!, name('control-plane-cidr-prefix'), 0, 32),
    jobNameFromImage: bool(get('job-name-from-image')!, name('job-name-from-image')),
    excludeNamespaces: list(get('exclude-namespaces')),
    workloadNameAnnotation: get('workload-name-annotation')!,
    storeSaveIntervalMs: parseDuration(get('store-save-interval')!, name('store-save-interval')),
    storeCompactBytes: parseBytes(get('store-compact-size')!, name('store-compact-size')),
    intentExpiryMs: parseDuration(get('intent-expiry')!, name('intent-expiry')),
    headerTimeoutMs: parseDuration(get('header-timeout')!, name('header-timeout')),
    requestTimeoutMs: parseDuration(get('request-timeout')!, name('request-timeout')),
    maxConnections: int(get('max-connections')!, name('max-connections'), 1, 1_000_000),
    exportHeapBytes: parseBytes(get('export-heap')!, name('export-heap')),
    exportTimeoutMs: parseDuration(get('export-timeout')!, name('export-timeout')),
    maxIntents: int(get('max-intents')!, name('max-intents'), 1, 100_000_000),
    metricsEdges: int(get('metrics-edges')!, name('metrics-edges'), 0, 100_000),
    auth: (get('auth') ?? (inCluster ? 'tokenreview' : 'none')) as AuthMode,
    tokenAudience: get('token-audience')!,
    namespace: get('namespace') ?? detected.namespace ?? 'default',
    reporterIdentities: {},
    readAuth: (get('read-auth') ?? (inCluster ? 'rbac' : 'loopback-only')) as ReadAuthMode,
    trustLoopback: true,
    reporterNewIntents: int(get('reporter-new-intents')!, name('reporter-new-intents'), 0, 100_000_000),
    bodyLimit: parseBytes(get('body-limit')!, name('body-limit')),
    maxConcurrentReports: int(get('max-concurrent-reports')!, name('max-concurrent-reports'), 1, 1000),
    minServerAgeMs: parseDuration(get('min-server-age')!, name('min-server-age')),
    logLevel: get('log-level')! as LogLevel,
  };
  if (cfg.metricsPort !== 0 && cfg.metricsPort === cfg.port) throw new ConfigError(name('metrics-port'), `must differ from --port (${cfg.port}), or be 0`);
  if (!cfg.bindAddress) throw new ConfigError(name('bind-address'), 'must not be empty');
  if (!DNS_NAME.test(cfg.clusterDomain)) throw new ConfigError(name('cluster-domain'), `not a DNS name: ${JSON.stringify(cfg.clusterDomain)}`);
  for (const ns of cfg.excludeNamespaces) if (!DNS_LABEL.test(ns)) throw new ConfigError(name('exclude-namespaces'), `not a namespace name: ${JSON.stringify(ns)}`);
  if (!QUALIFIED.test(cfg.workloadNameAnnotation)) throw new ConfigError(name('workload-name-annotation'), `not an annotation key: ${JSON.stringify(cfg.workloadNameAnnotation)}`);
  const label = get('workload-label');
  if (label) {
    if (!QUALIFIED.test(label)) throw new ConfigError(name('workload-label'), `not a label key: ${JSON.stringify(label)}`);
    cfg.workloadLabel = label;
  }
  const storeFile = get('store-file');
  if (storeFile) cfg.storeFile = storeFile;
  if (cfg.storeSaveIntervalMs < 1000) throw new ConfigError(name('store-save-interval'), 'must be at least 1s');
  if (cfg.storeCompactBytes < 64 * 1024) throw new ConfigError(name('store-compact-size'), 'must be at least 64Ki');
  if (!['tokenreview', 'token-file', 'none'].includes(cfg.auth)) throw new ConfigError(name('auth'), `must be tokenreview, token-file or none, got ${JSON.stringify(cfg.auth)}`);
  const tokenFile = get('token-file');
  if (tokenFile) cfg.tokenFile = tokenFile;
  if (cfg.auth === 'token-file' && !cfg.tokenFile) throw new ConfigError(name('token-file'), 'required with --auth token-file');
  if (!DNS_LABEL.test(cfg.namespace)) throw new ConfigError(name('namespace'), `not a namespace name: ${JSON.stringify(cfg.namespace)}`);
  const fullname = get('release-fullname')!;
  if (!DNS_LABEL.test(fullname)) throw new ConfigError(name('release-fullname'), `not a DNS label: ${JSON.stringify(fullname)}`);
  const ids = get('reporter-identities');
  cfg.reporterIdentities = ids === undefined ? defaultReporterIdentities(cfg.namespace, fullname) : parseReporterIdentities(ids, cfg.namespace, name('reporter-identities'));
  if (!['rbac', 'loopback-only', 'none'].includes(cfg.readAuth)) throw new ConfigError(name('read-auth'), `must be rbac, loopback-only or none, got ${JSON.stringify(cfg.readAuth)}`);
  const trust = parseBool(get('trust-loopback')!);
  if (trust === undefined) throw new ConfigError(name('trust-loopback'), `must be true or false, got ${JSON.stringify(get('trust-loopback'))}`);
  cfg.trustLoopback = trust;
  if (!cfg.tokenAudience) throw new ConfigError(name('token-audience'), 'must not be empty');
  if (cfg.headerTimeoutMs < 100) throw new ConfigError(name('header-timeout'), 'must be at least 100ms');
  if (cfg.requestTimeoutMs < cfg.headerTimeoutMs) throw new ConfigError(name('request-timeout'), `must be at least --header-timeout (${get('header-timeout')})`);
  if (cfg.exportHeapBytes < 32 * 1024 * 1024) throw new ConfigError(name('export-heap'), 'must be at least 32Mi');
  if (cfg.exportTimeoutMs < 100) throw new ConfigError(name('export-timeout'), 'must be at least 100ms');
  if (cfg.bodyLimit < 1024) throw new ConfigError(name('body-limit'), 'must be at least 1024 bytes');
  const kubeconfig = get('kubeconfig');
  if (kubeconfig) cfg.kubeconfig = kubeconfig;
  const snapshot = list(get('cluster-snapshot'));
  if (snapshot.length) cfg.clusterSnapshot = snapshot;
  if (cfg.clusterSnapshot && cfg.readAuth === 'rbac' && get('read-auth') !== undefined) throw new ConfigError(name('read-auth'), 'rbac needs the API server; with --cluster-snapshot use loopback-only or none');
  if (cfg.clusterSnapshot && cfg.readAuth === 'rbac') cfg.readAuth = 'loopback-only';
  if (cfg.clusterSnapshot && cfg.auth === 'tokenreview') throw new ConfigError(name('auth'), 'tokenreview needs the API server; with --cluster-snapshot use token-file or none');
  if (!['debug', 'info', 'warn', 'error'].includes(cfg.logLevel)) throw new ConfigError(name('log-level'), `must be debug, info, warn or error, got ${JSON.stringify(cfg.logLevel)}`);
  return cfg;
}

/**
 * `sniffer=netmapper-sniffer,kafka-watcher=other-ns/kw,istio-watcher=system:serviceaccount:x:y` → username → role.
 * A bare account name is in `namespace`; anything with a `:` is taken as a username as TokenReview gives it.
 */
export function parseReporterIdentities(text: string, namespace: string, setting: string): Record<string, ReporterRole> {
  const out: Record<string, ReporterRole> = {};
  for (const entry of text.split(/[,\s]+/).filter(Boolean)) {
    const eq = entry.indexOf('=');
    const role = entry.slice(0, eq) as ReporterRole, account = entry.slice(eq + 1);
    if (eq < 0 || !ROLE_NAMES.includes(role) || !account) throw new ConfigError(setting, `expected role=serviceaccount with role one of ${ROLE_NAMES.join(', ')}, got ${JSON.stringify(entry)}`);
    const slash = account.indexOf('/');
    const user = account.includes(':') ? account : slash >= 0 ? serviceAccountUser(account.slice(0, slash), account.slice(slash + 1)) : serviceAccountUser(namespace, account);
    if (out[user] && out[user] !== role) throw new ConfigError(setting, `${user} is given two roles (${out[user]}, ${role}); use one identity per role`);
    out[user] = role;
  }
  return out;
}
