// The cluster domain as a pod sees it: kubelet writes the pod's /etc/resolv.conf with a search list
// `<namespace>.svc.<domain> svc.<domain> <domain>` (Kubernetes DNS spec, "Pods"), so the labels after
// `svc` in the first such entry are the domain. Otterize detects it the same way; the flag still wins.

/** The path kubelet writes; main.ts reads it (tests pass the text). */
export const RESOLV_CONF = '/etc/resolv.conf';

/** The cluster domain named by a resolv.conf text, or undefined when no search entry has the shape. */
export function clusterDomainFromResolvConf(text: string): string | undefined {
  for (const line of text.split('\n')) {
    const words = line.replace(/[#;].*$/, '').trim().split(/\s+/);
    // resolv.conf(5): `search` (or the older `domain`) lists the search domains.
    if (words[0] !== 'search') continue;
    for (const entry of words.slice(1)) {
      const labels = entry.toLowerCase().replace(/\.$/, '').split('.');
      const svc = labels.indexOf('svc');
      if (svc >= 0 && svc <= 1 && svc < labels.length - 1 && labels.slice(svc + 1).every((l) => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(l))) {
        return labels.slice(svc + 1).join('.');
      }
    }
  }
  return undefined;
}
