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

/**
 * A workload name from container images, for Jobs named by image: each image without its registry and
 * path (up to the last `/`), tag and digest, joined by `-`, dots made underscores. Otterize cuts only the
 * first path segment and keeps the tag of an image with no `/`; we strip both alike (a difference).
 * `353146681200.dkr.ecr.us-west-2.amazonaws.com/cool-image:some-tag` → `cool-image`.
 */
export function nameFromImages(images: readonly string[]): string {
  return images.map((image) => {
    const noDigest = image.split('@')[0];
    const last = noDigest.slice(noDigest.lastIndexOf('/') + 1);
    const colon = last.indexOf(':');
    return sanitizeWorkloadName(colon < 0 ? last : last.slice(0, colon));
  }).filter((n) => n !== '').join('-');
}
