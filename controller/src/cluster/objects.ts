// Converts raw Kubernetes objects (JSON from the API or a dump, or client-node's typed objects) into the
// small records the cluster view keeps. Every field read is checked; a wrong shape is an ObjectFieldError.

import { ObjectFieldError } from './errors.ts';
import { EMPTY_MAP, type Interner } from './intern.ts';
import { canonicalIp } from '../../common/ip.ts';
import { isObject } from '../../common/is-object.ts';
import type { OwnerRecord, OwnerRef, PodRecord, ServiceRecord } from './view.ts';

/** Annotations the identity rules read (reference §2.3); only these are kept on PodRecords. */
export const WORKLOAD_NAME_ANNOTATION = 'intents.otterize.com/workload-name';
export const DEPRECATED_SERVICE_NAME_ANNOTATION = 'intents.otterize.com/service-name';
export const DEFAULT_KEPT_ANNOTATIONS: readonly string[] = [WORKLOAD_NAME_ANNOTATION, DEPRECATED_SERVICE_NAME_ANNOTATION];

/** The label every EndpointSlice controller sets to name its Service (KEP-752). */
export const ENDPOINTSLICE_SERVICE_LABEL = 'kubernetes.io/service-name';

type Obj = Record<string, unknown>;

/** An EndpointSlice or legacy Endpoints object reduced to the pods it points at. */
export interface EndpointsRecord {
  namespace: string;
  name: string;
  /** The Service it belongs to (label `kubernetes.io/service-name`, or the object's name for legacy Endpoints). */
  service?: string;
  pods: { namespace: string; name: string }[];
  /** Endpoint addresses, kept only for the API server's Service (`default/kubernetes`), whose endpoints are not pods. */
  addresses?: string[];
}

/** The API server is the `kubernetes` Service in `default` (reference §2.4). */
export const API_SERVER_NAMESPACE = 'default';
export const API_SERVER_SERVICE = 'kubernetes';
const isApiServer = (namespace: string, service: string | undefined) =>
  namespace === API_SERVER_NAMESPACE && service === API_SERVER_SERVICE;

export interface NodeRecord {
  name: string;
  /** InternalIP and ExternalIP addresses. */
  ips: string[];
}

export interface ConvertOptions {
  /** Pod annotations to keep (identity rules); default DEFAULT_KEPT_ANNOTATIONS. */
  keepAnnotations?: readonly string[];
  /** Shares repeated values (namespaces, label sets, owner references) between records. */
  intern?: Interner;
  /** Keep the pod's container images (`PodRecord.images`), for naming Jobs by image. */
  keepImages?: boolean;
}

/** Field reader bound to one object, so every error names the kind, the object and the field. */
class Reader {
  constructor(readonly kind: string, readonly label: string) {}
  fail(field: string, problem: string): never {
    throw new ObjectFieldError(this.kind, this.label, field, problem);
  }
  obj(v: unknown, field: string): Obj | undefined {
    if (v === undefined || v === null) return undefined;
    if (!isObject(v)) this.fail(field, 'must be an object');
    return v;
  }
  str(v: unknown, field: string): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') this.fail(field, 'must be a string');
    return v;
  }
  /** An IP address in canonical text (ip.ts), so every source of one address gives one key. */
  ip(v: unknown, field: string): string | undefined {
    const s = this.str(v, field);
    if (s === undefined || s === '') return undefined;
    return canonicalIp(s) ?? this.fail(field, `is not an IP address: ${JSON.stringify(s)}`);
  }
  reqStr(v: unknown, field: string): string {
    const s = this.str(v, field);
    if (!s) this.fail(field, 'is required');
    return s;
  }
  arr(v: unknown, field: string): unknown[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) this.fail(field, 'must be a list');
    return v;
  }
  bool(v: unknown, field: string): boolean {
    if (v === undefined || v === null) return false;
    if (typeof v !== 'boolean') this.fail(field, 'must be true or false');
    return v;
  }
  /** RFC 3339 string (JSON) or Date (client-node's typed objects) → epoch ms. */
  time(v: unknown, field: string): number | undefined {
    if (v === undefined || v === null) return undefined;
    const ms = v instanceof Date ? v.getTime() : typeof v === 'string' ? Date.parse(v) : NaN;
    if (Number.isNaN(ms)) this.fail(field, `must be an RFC 3339 time, got ${JSON.stringify(v)}`);
    return ms;
  }
  stringMap(v: unknown, field: string): Record<string, string> {
    const o = this.obj(v, field);
    if (!o) return {};
    const out: Record<string, string> = {};
    for (const [k, val] of Object.entries(o)) {
      if (typeof val !== 'string') this.fail(`${field}.${k}`, 'must be a string');
      out[k] = val;
    }
    return out;
  }
}

/** The parts of metadata every record needs. */
function meta(obj: Obj, kind: string) {
  const r0 = new Reader(kind, '');
  const m = r0.obj(obj.metadata, 'metadata') ?? r0.fail('metadata', 'is required');
  const name = r0.reqStr(m.name, 'metadata.name');
  const namespace = r0.str(m.namespace, 'metadata.namespace') ?? '';
  const r = new Reader(kind, namespace ? `${namespace}/${name}` : name);
  return { r, m, name, namespace, uid: r.str(m.uid, 'metadata.uid') };
}

/** ownerReferences: the controller reference (controller: true), else the first (reference §2.3 walks [0]). */
function controllerRef(r: Reader, m: Obj): OwnerRef | undefined {
  const refs = r.arr(m.ownerReferences, 'metadata.ownerReferences');
  if (refs.length === 0) return undefined;
  let idx = refs.findIndex((x) => isObject(x) && x.controller === true);
  if (idx < 0) idx = 0;
  const f = `metadata.ownerReferences[${idx}]`;
  const ref = r.obj(refs[idx], f)!;
  const out: OwnerRef = {
    apiVersion: r.reqStr(ref.apiVersion, `${f}.apiVersion`),
    kind: r.reqStr(ref.kind, `${f}.kind`),
    name: r.reqStr(ref.name, `${f}.name`),
  };
  const uid = r.str(ref.uid, `${f}.uid`);
  if (uid) out.uid = uid;
  return out;
}

/**
 * A Pod → PodRecord. A pod without a uid (hand-written dumps) gets `namespace/name` as its uid.
 * A pod without a creationTimestamp gets 0: "existed since forever", the lenient choice for replay.
 */
export function podRecordFromObject(obj: Obj, opts: ConvertOptions = {}): PodRecord {
  const { r, m, name, namespace, uid } = meta(obj, 'Pod');
  const spec = r.obj(obj.spec, 'spec') ?? {};
  const status = r.obj(obj.status, 'status') ?? {};
  const ips: string[] = [];
  r.arr(status.podIPs, 'status.podIPs').forEach((x, i) => {
    const o = r.obj(x, `status.podIPs[${i}]`);
    const ip = r.ip(o?.ip, `status.podIPs[${i}].ip`);
    if (ip && !ips.includes(ip)) ips.push(ip);
  });
  const podIp = r.ip(status.podIP, 'status.podIP');
  if (podIp && !ips.includes(podIp)) ips.unshift(podIp);
  const allAnn = r.stringMap(m.annotations, 'metadata.annotations');
  let annotations: Record<string, string> = EMPTY_MAP;
  for (const k of opts.keepAnnotations ?? DEFAULT_KEPT_ANNOTATIONS) if (k in allAnn) annotations = { ...annotations, [k]: allAnn[k] };
  const labels = r.stringMap(m.labels, 'metadata.labels');
  const i = opts.intern;
  const nodeName = r.str(spec.nodeName, 'spec.nodeName');
  const phase = r.str(status.phase, 'status.phase');
  const owner = controllerRef(r, m);
  const createdAt = r.time(m.creationTimestamp, 'metadata.creationTimestamp') ?? 0;
  // Every field in one literal (optional ones possibly undefined) and exact-size arrays: V8 then keeps the
  // record in one compact object instead of growing a property array and 17-slot array stores (~230 B/pod).
  const rec: PodRecord = {
    uid: uid || `${namespace}/${name}`,
    name,
    namespace: i ? i.str(namespace) : namespace,
    ips: ips.slice(),
    hostNetwork: r.bool(spec.hostNetwork, 'spec.hostNetwork'),
    nodeName: nodeName ? (i ? i.str(nodeName) : nodeName) : undefined,
    phase: phase ? (i ? i.str(phase) : phase) : undefined,
    createdAt,
    deletingAt: r.time(m.deletionTimestamp, 'metadata.deletionTimestamp'),
    endedAt: phase === 'Succeeded' || phase === 'Failed' ? endedAt(r, status, createdAt) : undefined,
    goneAt: undefined,
    labels: i ? i.map(labels) : labels,
    annotations: i ? i.map(annotations) : annotations === EMPTY_MAP ? {} : annotations,
    owner: owner ? (i ? i.obj(owner) : owner) : undefined,
    images: opts.keepImages ? containerImages(r, spec) : undefined,
  };
  return rec;
}

/** The images of a pod's containers, mesh proxies left out (`istio-proxy`, any name with `sidecar`, as Otterize does). */
function containerImages(r: Reader, spec: Obj): string[] {
  const out: string[] = [];
  r.arr(spec.containers, 'spec.containers').forEach((c, i) => {
    const o = r.obj(c, `spec.containers[${i}]`) ?? {};
    const name = r.str(o.name, `spec.containers[${i}].name`) ?? '';
    const image = r.str(o.image, `spec.containers[${i}].image`);
    if (image && name !== 'istio-proxy' && !name.includes('sidecar')) out.push(image);
  });
  return out;
}

/**
 * When a pod in a terminal phase (Succeeded, Failed: completed Jobs, evicted pods) stopped holding its IP:
 * its containers' latest `state.terminated.finishedAt`, else its conditions' latest `lastTransitionTime`,
 * else (nothing tells) its creation time, so it never competes with the IP's later holder. Kubernetes
 * keeps `podIP` on such pods, but the IP has gone back to the pool (Otterize indexes Running pods only).
 */
function endedAt(r: Reader, status: Obj, createdAt: number): number {
  let latest: number | undefined;
  const later = (t: number | undefined) => { if (t !== undefined && (latest === undefined || t > latest)) latest = t; };
  r.arr(status.containerStatuses, 'status.containerStatuses').forEach((c, i) => {
    const state = r.obj(r.obj(c, `status.containerStatuses[${i}]`)?.state, `status.containerStatuses[${i}].state`);
    later(r.time(r.obj(state?.terminated, `status.containerStatuses[${i}].state.terminated`)?.finishedAt, `status.containerStatuses[${i}].state.terminated.finishedAt`));
  });
  if (latest === undefined) {
    r.arr(status.conditions, 'status.conditions').forEach((c, i) => later(r.time(r.obj(c, `status.conditions[${i}]`)?.lastTransitionTime, `status.conditions[${i}].lastTransitionTime`)));
  }
  return latest ?? createdAt;
}

/** A Service → ServiceRecord. `clusterIP: None` is headless; ExternalName services have no ClusterIPs. */
export function serviceRecordFromObject(obj: Obj, opts: ConvertOptions = {}): ServiceRecord {
  const { r, name, namespace, uid } = meta(obj, 'Service');
  const spec = r.obj(obj.spec, 'spec') ?? {};
  const type = r.str(spec.type, 'spec.type') ?? 'ClusterIP';
  const ips: string[] = [];
  // `None` marks a headless Service (Kubernetes API, ServiceSpec.clusterIP); anything else must be an address.
  const clusterIp = (v: unknown, field: string) => (v === 'None' ? 'None' : r.ip(v, field));
  const single = clusterIp(spec.clusterIP, 'spec.clusterIP');
  r.arr(spec.clusterIPs, 'spec.clusterIPs').forEach((x, i) => {
    const ip = clusterIp(x, `spec.clusterIPs[${i}]`);
    if (ip && !ips.includes(ip)) ips.push(ip);
  });
  if (single && !ips.includes(single)) ips.unshift(single);
  const headless = ips.includes('None');
  const rec: ServiceRecord = {
    uid: uid || `${namespace}/${name}`,
    name,
    namespace: opts.intern ? opts.intern.str(namespace) : namespace,
    type,
    clusterIps: type === 'ExternalName' || headless ? [] : ips.filter((ip) => ip !== ''),   // filter: exact size
    headless,
  };
  const externalName = r.str(spec.externalName, 'spec.externalName');
  if (type === 'ExternalName' && externalName) rec.externalName = externalName;
  return rec;
}

/** Any object that can own another (ReplicaSet, Deployment, Job, CronJob, custom kinds) → OwnerRecord. */
export function ownerRecordFromObject(obj: Obj, opts: ConvertOptions = {}): OwnerRecord {
  const kind = new Reader('object', '').reqStr(obj.kind, 'kind');
  const { r, m, name, namespace, uid } = meta(obj, kind);
  const i = opts.intern;
  const apiVersion = r.reqStr(obj.apiVersion, 'apiVersion');
  const owner = controllerRef(r, m);
  // Optional fields spread in, never deleted (a delete makes V8 switch the object to a large dictionary).
  const rec: OwnerRecord = {
    apiVersion: i ? i.str(apiVersion) : apiVersion, kind: i ? i.str(kind) : kind, name, namespace: i ? i.str(namespace) : namespace,
    ...(uid ? { uid } : {}),
    ...(owner ? { owner: i ? i.obj(owner) : owner } : {}),
  };
  return rec;
}

function podRef(r: Reader, ref: unknown, field: string, defaultNs: string, intern?: Interner) {
  const o = r.obj(ref, field);
  if (!o || o.kind !== 'Pod') return undefined;
  const namespace = r.str(o.namespace, `${field}.namespace`) || defaultNs;
  return { namespace: intern ? intern.str(namespace) : namespace, name: r.reqStr(o.name, `${field}.name`) };
}

/** An EndpointSlice (discovery.k8s.io/v1) → the pods of its endpoints, ready or not. */
export function endpointSliceRecordFromObject(obj: Obj, opts: ConvertOptions = {}): EndpointsRecord {
  const { r, m, name, namespace } = meta(obj, 'EndpointSlice');
  const labels = r.stringMap(m.labels, 'metadata.labels');
  const service = labels[ENDPOINTSLICE_SERVICE_LABEL] || undefined;
  const keepAddresses = isApiServer(namespace, service);
  const pods: EndpointsRecord['pods'] = [];
  const addresses: string[] = [];
  r.arr(obj.endpoints, 'endpoints').forEach((e, i) => {
    const ep = r.obj(e, `endpoints[${i}]`);
    const p = podRef(r, ep?.targetRef, `endpoints[${i}].targetRef`, namespace, opts.intern);
    if (p) pods.push(p);
    r.arr(ep?.addresses, `endpoints[${i}].addresses`).forEach((a, j) => {
      const text = r.str(a, `endpoints[${i}].addresses[${j}]`);
      const ip = text && canonicalIp(text);   // addressType FQDN slices hold names: not kept
      if (keepAddresses && ip) addresses.push(ip);
    });
  });
  const rec: EndpointsRecord = { namespace: opts.intern ? opts.intern.str(namespace) : namespace, name, pods: pods.slice() };
  if (service) rec.service = service;
  if (keepAddresses) rec.addresses = addresses;
  return rec;
}

/** A legacy v1 Endpoints object (same name as its Service) → ready and not-ready pods. */
export function endpointsRecordFromObject(obj: Obj): EndpointsRecord {
  const { r, name, namespace } = meta(obj, 'Endpoints');
  const keepAddresses = isApiServer(namespace, name);
  const pods: EndpointsRecord['pods'] = [];
  const addresses: string[] = [];
  r.arr(obj.subsets, 'subsets').forEach((s, i) => {
    const subset = r.obj(s, `subsets[${i}]`) ?? {};
    for (const key of ['addresses', 'notReadyAddresses']) {
      r.arr(subset[key], `subsets[${i}].${key}`).forEach((a, j) => {
        const addr = r.obj(a, `subsets[${i}].${key}[${j}]`);
        const p = podRef(r, addr?.targetRef, `subsets[${i}].${key}[${j}].targetRef`, namespace);
        if (p) pods.push(p);
        const ip = r.ip(addr?.ip, `subsets[${i}].${key}[${j}].ip`);
        if (keepAddresses && ip) addresses.push(ip);
      });
    }
  });
  const rec: EndpointsRecord = { namespace, name, service: name, pods };
  if (keepAddresses) rec.addresses = addresses;
  return rec;
}

/** A Node → its InternalIP and ExternalIP addresses (never guessed as workloads). */
export function nodeRecordFromObject(obj: Obj): NodeRecord {
  const { r, name } = meta(obj, 'Node');
  const status = r.obj(obj.status, 'status') ?? {};
  const ips: string[] = [];
  r.arr(status.addresses, 'status.addresses').forEach((a, i) => {
    const o = r.obj(a, `status.addresses[${i}]`) ?? {};
    const type = r.str(o.type, `status.addresses[${i}].type`);
    if (type !== 'InternalIP' && type !== 'ExternalIP') return;   // Hostname, InternalDNS, ExternalDNS: names
    const address = r.ip(o.address, `status.addresses[${i}].address`);
    if (address && !ips.includes(address)) ips.push(address);
  });
  return { name, ips };
}

/** apiVersion `apps/v1` → { group: 'apps', version: 'v1' }; `v1` → core. */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.lastIndexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}
