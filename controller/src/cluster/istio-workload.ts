// The names Istio's telemetry gives a meshed pod. `source_workload`/`destination_workload` are the
// workload name the injector derives from the pod's controller (a Deployment's pod: its ReplicaSet's name
// minus the pod-template-hash; a CronJob's: its Job's name minus the schedule timestamp; else the
// controller's name; no controller: the pod's name). `service.istio.io/canonical-name` is a label the
// injector sets, usually the app name — equal to the workload name for most apps, not for versioned
// ones (bookinfo: workload `reviews-v1`, canonical name `reviews`).

import type { PodRecord } from './view.ts';

export const CANONICAL_NAME_LABEL = 'service.istio.io/canonical-name';
/** Set by the injector on every pod it meshed. */
export const TLS_MODE_LABEL = 'security.istio.io/tlsMode';

/** A Job created by a CronJob is `<cronjob>-<scheduled time in minutes>`, 8 to 11 digits. */
const CRONJOB_JOB = /^(.+)-\d{8,11}$/;

/** The workload name Istio reports for `pod` (as `source_workload` / `destination_workload`). */
export function istioWorkloadName(pod: PodRecord): string {
  const o = pod.owner;
  if (!o) return pod.name;
  if (o.kind === 'ReplicaSet') {
    const hash = pod.labels['pod-template-hash'];
    return hash && o.name.endsWith(`-${hash}`) ? o.name.slice(0, -(hash.length + 1)) : o.name;
  }
  if (o.kind === 'Job') return CRONJOB_JOB.exec(o.name)?.[1] ?? o.name;
  return o.name;
}
