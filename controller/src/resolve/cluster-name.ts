// Reads a DNS name under the cluster domain the way kube-dns/CoreDNS answers it
// (Kubernetes DNS spec: `<svc>.<ns>.svc.<domain>`, `<host>.<svc>.<ns>.svc.<domain>`,
// `<a-b-c-d>.<ns>.pod.<domain>`, IPv6 with `-` for `:`).

import { canonicalIp } from '../../common/ip.ts';

export type ClusterName =
  | { kind: 'service'; service: string; namespace: string; /** `pod-0` in `pod-0.svc.ns.svc.<domain>` */ host?: string }
  | { kind: 'pod-ip'; ip: string; namespace: string }
  | { kind: 'unsupported' };

/** True when `name` is the cluster domain or under it (names are compared lower case, RFC 4343). */
export function isUnderDomain(name: string, domain: string): boolean {
  return name === domain || name.endsWith(`.${domain}`);
}

/** Undefined when `name` is outside `domain` (an Internet name); else what it names. */
export function parseClusterName(name: string, domain: string): ClusterName | undefined {
  const n = name.toLowerCase().replace(/\.$/, '');
  if (!isUnderDomain(n, domain)) return undefined;
  if (n === domain) return { kind: 'unsupported' };
  const labels = n.slice(0, -(domain.length + 1)).split('.');
  const last = labels[labels.length - 1];
  if (last === 'svc' && labels.length >= 3) {
    const out: ClusterName = { kind: 'service', service: labels[labels.length - 3], namespace: labels[labels.length - 2] };
    if (labels.length >= 4) out.host = labels[labels.length - 4];
    return out;
  }
  if (last === 'pod' && labels.length === 3) {
    const dashed = labels[0];
    const ip = dashed.includes('--') || dashed.split('-').length > 4 || /[a-f]/.test(dashed)
      ? canonicalIp(dashed.replace(/-/g, ':'))
      : canonicalIp(dashed.replace(/-/g, '.'));
    if (ip === undefined) return { kind: 'unsupported' };
    return { kind: 'pod-ip', ip, namespace: labels[1] };
  }
  return { kind: 'unsupported' };
}
