// The service-identity scenarios of Otterize's intents operator (src/shared/serviceidresolver/
// serviceidresolver_test.go @ df11253), as data: same pods and owners, same expected names, run
// through our snapshot view and identity resolver. Deliberate differences are named in `differs`.
// Not transcribed: TestResolveClientIntentToPod_* (2) and TestServiceIdentityToPodLabelsForWorkloadSelection_*
// (4) look up the pods an intent or identity selects (intent -> pod); the mapper only goes pod -> identity,
// it has no such function to test.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { snapshotViewFromObjects } from '../cluster/snapshot.ts';
import { createIdentityResolver, type IdentityResolverOptions } from './resolver.ts';

type Obj = Record<string, unknown>;
const NS = 'cool-namespace';
const pod = (name: string, extra: { annotations?: Record<string, string>; labels?: Record<string, string>; owner?: Obj; containers?: Obj[] } = {}): Obj => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name, namespace: NS, uid: `uid-${name}`, creationTimestamp: '2026-01-01T00:00:00Z', annotations: extra.annotations, labels: extra.labels,
    ownerReferences: extra.owner ? [{ ...extra.owner, controller: true }] : undefined },
  spec: { containers: extra.containers ?? [{ name: 'main', image: 'nginx' }] },
  status: { phase: 'Running', podIP: '10.0.0.1' },
});
const owner = (apiVersion: string, kind: string, name: string, parent?: Obj): Obj =>
  ({ apiVersion, kind, metadata: { name, namespace: NS, uid: `uid-${kind}-${name}`, ownerReferences: parent ? [{ ...parent, controller: true }] : undefined } });

interface Case {
  /** The Otterize test it transcribes. */
  otterize: string;
  objects: Obj[];
  pod: string;
  options?: IdentityResolverOptions;
  keepAnnotations?: string[];
  keepImages?: boolean;
  expect: { name: string; kind: string; nameResolvedUsingAnnotation?: boolean };
  differs?: string;
}

const JOB = 'my-crappy-1001-job-name-1234567890-12345';
const jobPod = pod('cool-pod-1234567890-12345', {
  owner: { apiVersion: 'batch/v1', kind: 'Job', name: JOB },
  containers: [{ name: 'cool-container', image: '353146681200.dkr.ecr.us-west-2.amazonaws.com/cool-image:some-tag' }, { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.20.0' }],
});

const CASES: Case[] = [
  { otterize: 'TestGetPodAnnotatedName_PodExists', objects: [pod('cool-pod', { annotations: { 'intents.otterize.com/workload-name': 'cool-service' } })],
    pod: 'cool-pod', expect: { name: 'cool-service', kind: '', nameResolvedUsingAnnotation: true } },
  { otterize: 'TestGetPodAnnotatedName_PodMissingAnnotation', objects: [pod('cool-pod')], pod: 'cool-pod', expect: { name: 'cool-pod', kind: 'Pod' } },
  { otterize: 'deprecated annotation (podownerresolver)', objects: [pod('cool-pod', { annotations: { 'intents.otterize.com/service-name': 'old-name' } })],
    pod: 'cool-pod', expect: { name: 'old-name', kind: '', nameResolvedUsingAnnotation: true } },
  { otterize: 'TestDeploymentNameWithDotsReplacedByUnderscore',
    objects: [pod('cool-pod-1234567890-12345', { owner: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'cool-versioned-application.4.2.0' } }),
      owner('apps/v1', 'Deployment', 'cool-versioned-application.4.2.0')],
    pod: 'cool-pod-1234567890-12345', expect: { name: 'cool-versioned-application_4_2_0', kind: 'Deployment' } },
  { otterize: 'TestDeploymentReadForbidden', objects: [pod('cool-pod-1234567890-12345', { owner: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'cool-deployment' } })],
    pod: 'cool-pod-1234567890-12345', expect: { name: 'cool-deployment', kind: 'Deployment' },
    differs: 'an owner we cannot read (403 in the informer view, absent from a snapshot) stops the walk at its reference, as upstream; the snapshot stands in for the 403' },
  { otterize: 'TestDeploymentRead', objects: [pod('cool-pod-1234567890-12345', { owner: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'cool-deployment' } }), owner('apps/v1', 'Deployment', 'cool-deployment')],
    pod: 'cool-pod-1234567890-12345', expect: { name: 'cool-deployment', kind: 'Deployment' } },
  { otterize: 'TestJobWithNoParent (image names off)', objects: [jobPod, owner('batch/v1', 'Job', JOB)], pod: 'cool-pod-1234567890-12345', keepImages: true,
    expect: { name: JOB, kind: 'Job' } },
  { otterize: 'TestJobWithNoParent (UseImageNameForServiceIDForJobs)', objects: [jobPod, owner('batch/v1', 'Job', JOB)], pod: 'cool-pod-1234567890-12345',
    keepImages: true, options: { jobNameFromImage: true }, expect: { name: 'cool-image', kind: '' } },
  { otterize: 'image names: a Job under a CronJob is still named by its CronJob',
    objects: [pod('nightly-1-abc', { owner: { apiVersion: 'batch/v1', kind: 'Job', name: 'nightly-1' } }), owner('batch/v1', 'Job', 'nightly-1', { apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly' }), owner('batch/v1', 'CronJob', 'nightly')],
    pod: 'nightly-1-abc', keepImages: true, options: { jobNameFromImage: true }, expect: { name: 'nightly', kind: 'CronJob' } },
  { otterize: 'image names: registry, path, tag and digest stripped',
    objects: [pod('j-abc', { owner: { apiVersion: 'batch/v1', kind: 'Job', name: 'j' }, containers: [{ name: 'a', image: 'busybox:1.36' }, { name: 'b', image: 'ghcr.io/org/team/tool.v2@sha256:abcd' }, { name: 'log-sidecar', image: 'fluent-bit' }] }), owner('batch/v1', 'Job', 'j')],
    pod: 'j-abc', keepImages: true, options: { jobNameFromImage: true }, expect: { name: 'busybox-tool_v2', kind: '' },
    differs: 'Otterize keeps the tag of an image with no `/` (`busybox:1.36`), keeps path segments after the first `/` (`org/team/tool.v2`) and keeps dots; we strip registry, path, tag and digest and make dots underscores, so the name is a valid workload name' },
  { otterize: 'TestJobCronJobWithRemovedVersion',
    objects: [pod('cool-pod-1234567890-12345', { owner: { apiVersion: 'batch/v1beta1', kind: 'Job', name: JOB } }),
      owner('batch/v1', 'Job', JOB, { apiVersion: 'batch/v1beta1', kind: 'CronJob', name: 'my-cronjob' }), owner('batch/v1', 'CronJob', 'my-cronjob')],
    pod: 'cool-pod-1234567890-12345', expect: { name: 'my-cronjob', kind: 'CronJob' } },
  { otterize: 'TestPodOwnerWithBadKind', objects: [pod('cool-pod-1234567890-12345', { owner: { apiVersion: 'wrong.api/v1beta1', kind: 'BadKind', name: 'cool-owner' } })],
    pod: 'cool-pod-1234567890-12345', expect: { name: 'cool-owner', kind: 'BadKind' } },
  { otterize: 'TestUserSpecifiedAnnotationForServiceName', objects: [pod('cool-pod', { annotations: { 'coolAnnotationName': 'cool-service', 'intents.otterize.com/workload-name': 'not-this' } })],
    pod: 'cool-pod', options: { workloadNameAnnotation: 'coolAnnotationName' }, keepAnnotations: ['coolAnnotationName', 'intents.otterize.com/service-name'],
    expect: { name: 'cool-service', kind: '', nameResolvedUsingAnnotation: true } },
  { otterize: 'README: the `otterize/service-name` pod label', objects: [pod('cool-pod', { labels: { 'otterize/service-name': 'labelled' } })],
    pod: 'cool-pod', expect: { name: 'labelled', kind: '', nameResolvedUsingAnnotation: true },
    differs: 'upstream moved this to annotations in 2022 (network-mapper PR #64) and no longer reads the label; we still honour it, after the annotations' },
];

for (const c of CASES) {
  test(`${c.otterize}${c.differs ? ' [differs]' : ''}`, async () => {
    const view = snapshotViewFromObjects(c.objects, c.otterize, { keepImages: c.keepImages, ...(c.keepAnnotations ? { keepAnnotations: c.keepAnnotations } : {}) });
    const id = await createIdentityResolver(view, c.options).resolvePod(view.pod(NS, c.pod)!);
    assert.equal({ name: id.name, kind: id.kind, nameResolvedUsingAnnotation: id.nameResolvedUsingAnnotation ?? false },
      { nameResolvedUsingAnnotation: false, ...c.expect });
  });
}

test.run();
