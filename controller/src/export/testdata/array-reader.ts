// Test helper: an IntentReader over a fixed array with the `intents` query's semantics
// (reference §3.1), standing in for the controller's store in route and CLI tests.
import type { Intent, IntentQuery, IntentReader } from '../../model.ts';

export function createArrayReader(intents: Intent[], seen: IntentQuery[] = []): IntentReader {
  return {
    query(q: IntentQuery = {}): Intent[] {
      seen.push(q);
      let list = intents;
      if (q.server) {
        const { name, namespace } = q.server;
        const callers = new Set(list.filter((i) => i.server?.name === name && i.server.namespace === namespace)
          .map((i) => `${i.client.namespace}/${i.client.name}`));
        list = list.filter((i) => callers.has(`${i.client.namespace}/${i.client.name}`));
      }
      const pairs = (q.excludeLabels ?? []).map((p) => (p.includes('=') ? p.split('=', 2) : [p, '']));
      const labelled = (w?: Intent['client']) => pairs.some(([k, v]) => w?.labels?.[k] === v);
      return list.filter((i) => (!q.namespaces?.length || q.namespaces.includes(i.client.namespace))
        && (!q.since || Date.parse(i.lastSeen) >= Date.parse(q.since))
        && !(q.excludeInternet && i.type === 'internet')
        && !labelled(i.client) && !labelled(i.server));
    },
  };
}
