// Naming rules of workload identities (reference §2.3), kept apart from the owner walk so each reads alone.

import { splitApiVersion } from '../cluster/objects.ts';

export { WORKLOAD_NAME_ANNOTATION, DEPRECATED_SERVICE_NAME_ANNOTATION } from '../cluster/objects.ts';
/** The label the Otterize README and seed documents name (outdated upstream, honoured here). */
export const OTTERIZE_SERVICE_NAME_LABEL = 'otterize/service-name';

/** Dots in a resolved owner name become underscores (`my-deployment.5.2.0` → `my-deployment_5_2_0`). */
export function sanitizeWorkloadName(name: string): string {
  return name.replaceAll('.', '_');
}

/** The kind, group and version an identity carries for a root object of `apiVersion`/`kind`. */
export function kindOf(apiVersion: string, kind: string): { kind: string; group: string; version: string } {
  return { kind, ...splitApiVersion(apiVersion) };
}
