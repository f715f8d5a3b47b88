// The scenarios of Otterize's mapper tests as data (network-mapper @ 52ab07d:
// src/mapper/pkg/resolvers/resolver_test.go and src/mapper/pkg/kubefinder/kubefinder_test.go): the same
// cluster (built as its test base builds it), the same reports sent through the same GraphQL mutations,
// and the same expected identities read back with `serviceIntents` / `intents`. Our code, our words;
// each deliberate difference is stated in the case (`differs`) and the case checks what we do instead.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createApp } from '../app.ts';
import { createNoAuth } from '../auth/index.ts';
import { snapshotViewFromObjects } from '../cluster/snapshot.ts';
import { createIdentityResolver } from '../identity/index.ts';
import { createIngest, type IngestConfig } from '../ingest.ts';
import { createMetrics } from '../../common/metrics.ts';
import { createIntentStore } from '../store/intent-store.ts';
import { API_SERVER_CLUSTER_IP, API_SERVER_ENDPOINT, CREATED, OtterizeCluster, TEST_NS } from './testdata/otterize-cluster.ts';

type Mutation = 'reportCaptureResults' | 'reportTCPCaptureResults' | 'reportSocketScanResults';
const INPUT: Record<Mutation, string> = { reportCaptureResults: 'CaptureResults', reportTCPCaptureResults: 'CaptureTCPResults', reportSocketScanResults: 'SocketScanResults' };
interface Dest { destination: string; destinationIP?: string; destinationPort?: number; srcPorts?: number[]; lastSeen: string }
interface Report { mutation: Mutation; results: Array<{ srcIp: string; srcHostname?: string; destinations: Dest[] }> }

interface Case {
  otterize: string;
  build(c: OtterizeCluster): void;
  config?: Partial<IngestConfig>;
  /** Reports sent in order; after each step the expectation of that step is checked (most cases have one step). */
  steps: Array<{
    reports: Report[];
    /** `client[kind] -> server[kind] (kubernetesService)`, order-free as Otterize's ElementsMatch. */
    intents: string[];
    query?: string;
    /** Records not resolved, by reason (our counters). */
    unresolved?: Record<string, number>;
  }>;
  differs?: string;
}

const MIN = 60_000;
const at = (offsetMs: number) => new Date(CREATED + offsetMs).toISOString();
const svcName = (n: string) => `svc-${n}.${TEST_NS}.svc.cluster.local`;
/** A DNS answer. Otterize's tests send the name alone; our reports carry the answer's IP (see `DNS_IP`). */
const dns = (name: string, ip: string, offsetMs = MIN): Dest => ({ destination: name, destinationIP: ip, lastSeen: at(offsetMs) });
const tcp = (ip: string, offsetMs = MIN, port = 8080): Dest => ({ destination: ip, destinationPort: port, lastSeen: at(offsetMs) });
/** Socket scan with Otterize's port quirk: the server port travels in srcPorts. */
const sock = (ip: string, offsetMs = MIN, port = 8080): Dest => ({ destination: ip, destinationPort: 40000, srcPorts: [port], lastSeen: at(offsetMs) });

const DNS_IP = 'our reports need the DNS answer\'s IP (Otterize\'s sniffer always sends it; its resolver tests leave it out), so the cases add it';
const PORT = 'our TCP and socket records need the server port (Otterize\'s sniffer always sends it; its tests leave it out), so the cases add it';
const INCOMING = 'Otterize keeps Internet-to-pod traffic as "incoming" intents for Otterize Cloud only (never in the OSS query); we keep no intent and count the record unresolved';

const base = (c: OtterizeCluster, s: { s1?: string; s2?: string; s3?: string; p4?: string; ips?: string[]; ds1?: boolean }) => {
  const [i1, i2, i3] = s.ips ?? ['10.0.0.16', '10.0.0.17', '10.0.0.18'];
  if (s.ds1) c.addDaemonSetWithService('service1', [s.s1 ?? '1.1.1.1'], { app: 'service1' }, i1);
  else c.addDeploymentWithService('service1', [s.s1 ?? '1.1.1.1'], { app: 'service1' }, i1);
  c.addDeploymentWithService('service2', [s.s2 ?? '1.1.1.2'], { app: 'service2' }, i2);
  if (s.ds1) c.addDeploymentWithService('service3', [s.s3 ?? '1.1.1.3'], { app: 'service3' }, i3);
  else c.addDaemonSetWithService('service3', [s.s3 ?? '1.1.1.3'], { app: 'service3' }, i3);
  c.addPod('pod4', s.p4 ?? '1.1.1.4');
};
const dnsReport = (p: { s1: string; s3: string; p4: string; ips: string[]; s4host?: string; extra?: Report['results'] }): Report => ({
  mutation: 'reportCaptureResults', results: [
    { srcIp: p.s1, destinations: [dns(svcName('service2'), p.ips[1])] },
    { srcIp: p.s3, destinations: [dns(svcName('service1'), p.ips[0]), dns(svcName('service2'), p.ips[1])] },
    { srcIp: p.p4, ...(p.s4host ? { srcHostname: p.s4host } : {}), destinations: [dns(svcName('service2'), p.ips[1])] },
    ...(p.extra ?? []),
  ],
});
const EXPECT_DNS = [
  'deployment-service1[Deployment] -> deployment-service2 (svc-service2)',
  'daemonset-service3[DaemonSet] -> deployment-service1 (svc-service1)',
  'daemonset-service3[DaemonSet] -> deployment-service2 (svc-service2)',
  'pod4[Pod] -> deployment-service2 (svc-service2)',
];
const EXPECT_IP = [
  'daemonset-service1[DaemonSet] -> deployment-service2 (svc-service2)',
  'deployment-service3[Deployment] -> daemonset-service1 (svc-service1)',
  'deployment-service3[Deployment] -> deployment-service2 (svc-service2)',
  'pod4[Pod] -> deployment-service2 (svc-service2)',
];
const STD = { s1: '1.1.1.1', s3: '1.1.1.3', p4: '1.1.1.4', ips: ['10.0.0.16', '10.0.0.17', '10.0.0.18'] };

const CASES: Case[] = [
  { otterize: 'resolver: TestReportCaptureResults', differs: DNS_IP, build: (c) => base(c, {}),
    steps: [{ reports: [dnsReport(STD)], intents: EXPECT_DNS }] },
  { otterize: 'resolver: TestReportCaptureResultsHostnameMismatch', differs: DNS_IP, build: (c) => base(c, {}),
    steps: [{ reports: [dnsReport({ ...STD, s4host: 'pod5' })], intents: EXPECT_DNS.slice(0, 3), unresolved: { 'hostname-mismatch': 1 } }] },
  { otterize: 'resolver: TestReportCaptureResultsPodDeletion', differs: DNS_IP,
    build: (c) => { base(c, { p4: '' }); c.objects.pop(); c.addPod('pod4', '1.1.1.4', {}, undefined, { deleting: true }); },
    steps: [{ reports: [dnsReport(STD)], intents: EXPECT_DNS.slice(0, 3), unresolved: { 'client-pod-deleting': 1 } }] },
  { otterize: 'resolver: TestReportCaptureResultsIPReuse', differs: DNS_IP,
    build: (c) => {
      base(c, {});
      c.addDaemonSetWithService('network-sniffer', ['1.1.1.5'], { app: 'network-sniffer' }, '10.0.0.19');
      c.addDaemonSetWithService('network-sniffer-2', ['1.1.1.5'], { app: 'network-sniffer' }, '10.0.0.20');
    },
    steps: [{ reports: [dnsReport({ ...STD, extra: [{ srcIp: '1.1.1.5', destinations: [dns(svcName('service2'), '10.0.0.17')] }] })], intents: EXPECT_DNS, unresolved: { 'client-ambiguous': 1 } }] },
  { otterize: 'resolver: TestReportTCPCaptureResults', differs: PORT, build: (c) => base(c, { ds1: true }),
    steps: [{ reports: [{ mutation: 'reportTCPCaptureResults', results: [
      { srcIp: '1.1.1.1', destinations: [tcp('10.0.0.17')] },
      { srcIp: '1.1.1.3', destinations: [tcp('10.0.0.16'), tcp('10.0.0.17')] },
      { srcIp: '1.1.1.4', destinations: [tcp('10.0.0.17')] },
    ] }], intents: EXPECT_IP }] },
  { otterize: 'resolver: TestReportCaptureResultsIgnoreOldPacket', differs: DNS_IP,
    build: (c) => base(c, { ips: ['10.0.0.19', '10.0.0.20', '10.0.0.21'] }),
    steps: [{ reports: [{ mutation: 'reportCaptureResults', results: [{ srcIp: '1.1.1.1', destinations: [dns(`service2.${TEST_NS}.svc.cluster.local`, '10.0.0.20', -MIN)] }] }],
      intents: [], unresolved: { 'client-pod-created-after-record': 1 } }] },
  { otterize: 'resolver: TestSocketScanResults', differs: PORT,
    build: (c) => base(c, { ds1: true, s1: '1.1.2.1', s2: '1.1.2.2', s3: '1.1.2.3', p4: '1.1.2.4', ips: ['10.0.0.22', '10.0.0.23', '10.0.0.24'] }),
    steps: [{ reports: [{ mutation: 'reportSocketScanResults', results: [
      { srcIp: '1.1.2.1', destinations: [sock('10.0.0.23')] },
      { srcIp: '1.1.2.3', destinations: [sock('10.0.0.22'), sock('10.0.0.23')] },
      { srcIp: '1.1.2.4', destinations: [sock('10.0.0.23')] },
    ] }], intents: EXPECT_IP }] },
  { otterize: 'resolver: TestIntents (intents query, includeAllLabels)', differs: DNS_IP,
    build: (c) => base(c, { s1: '1.1.21.1', s2: '1.1.21.2', s3: '1.1.21.3', p4: '1.1.21.4', ips: ['10.0.0.10', '10.0.0.11', '10.0.0.12'] }),
    steps: [{ reports: [dnsReport({ s1: '1.1.21.1', s3: '1.1.21.3', p4: '1.1.21.4', ips: ['10.0.0.10', '10.0.0.11', '10.0.0.12'] })],
      query: 'intents(includeAllLabels: true)',
      intents: EXPECT_DNS.map((l) => l.replace(/ -> (\S+) /, ' -> $1[Deployment] ')) }] },
  { otterize: 'resolver: TestIntentsToApiServerDNS', differs: DNS_IP, build: (c) => { c.addPod('client-pod', '1.1.19.1'); },
    steps: [{ reports: [{ mutation: 'reportCaptureResults', results: [{ srcIp: '1.1.19.1', destinations: [dns('kubernetes.default.svc.cluster.local', API_SERVER_CLUSTER_IP)] }] }],
      query: 'intents(includeAllLabels: true)', intents: ['client-pod[Pod] -> default/kubernetes[-] (kubernetes)'] }] },
  { otterize: 'resolver: TestIntentsToApiServerSocketScan', differs: PORT, build: (c) => { c.addPod('client-pod', '1.1.19.1'); },
    steps: [{ reports: [{ mutation: 'reportSocketScanResults', results: [{ srcIp: '1.1.19.1', destinations: [sock(API_SERVER_CLUSTER_IP, MIN, 443)] }] }],
      query: 'intents(includeAllLabels: true)', intents: ['client-pod[Pod] -> default/kubernetes[-] (kubernetes)'] }] },
  { otterize: 'resolver: TestIntentsFilterByServer', differs: DNS_IP,
    build: (c) => base(c, { s1: '1.1.18.1', s2: '1.1.18.2', s3: '1.1.18.3', p4: '1.1.18.4', ips: ['10.0.0.13', '10.0.0.14', '10.0.0.15'] }),
    steps: [{ reports: [dnsReport({ s1: '1.1.18.1', s3: '1.1.18.3', p4: '1.1.18.4', ips: ['10.0.0.13', '10.0.0.14', '10.0.0.15'] })],
      query: `intents(namespaces: ["${TEST_NS}"], includeAllLabels: true, server: {name: "deployment-service1", namespace: "${TEST_NS}"})`,
      intents: ['daemonset-service3[DaemonSet] -> deployment-service1[Deployment] (svc-service1)', 'daemonset-service3[DaemonSet] -> deployment-service2[Deployment] (svc-service2)'] }] },
  { otterize: 'resolver: TestResolveOtterizeIdentityIgnoreHostNetworkPods', differs: DNS_IP,
    build: (c) => { const p = c.addPod('pod3', '1.1.1.3', { app: 'test' }, undefined, { hostNetwork: true }); c.addService('test-service', '10.0.0.10', [p]); c.addPod('client', '1.1.1.9'); },
    steps: [{ reports: [{ mutation: 'reportCaptureResults', results: [{ srcIp: '1.1.1.9', destinations: [dns(svcName('test-service'), '10.0.0.10')] }] }],
      intents: [], unresolved: { 'service-without-pods': 1 } }] },
  { otterize: 'resolver: TestTCPResultsFromHostNetworkPodsIgnored',
    build: (c) => { c.addDeploymentWithService('service1', ['1.1.1.1'], { app: 'service1' }, '10.0.0.16'); const p = c.addPod('pod', '1.1.1.3', { app: 'test' }, undefined, { hostNetwork: true }); c.addService('test-service', '10.0.0.10', [p]); },
    steps: [{ reports: [{ mutation: 'reportTCPCaptureResults', results: [{ srcIp: '1.1.1.3', destinations: [{ ...tcp('34.10.0.12', MIN, 9090), destinationIP: '34.10.0.12' }] }] }],
      intents: [], unresolved: { 'client-host-network': 1 } }] },
  { otterize: 'resolver: TestReportIncomingTraffic', differs: INCOMING,
    build: (c) => { c.addDeploymentWithService('service1', ['1.1.1.1'], { app: 'service1' }, '10.0.0.16'); c.addDeploymentWithService('service2', ['1.1.1.2'], { app: 'service1' }, '10.0.0.17'); },
    steps: [{ reports: [{ mutation: 'reportTCPCaptureResults', results: [{ srcIp: '142.198.10.38', destinations: [{ ...tcp('34.10.0.12', MIN, 9090), destinationIP: '34.10.0.12' }] }] }],
      intents: [], unresolved: { 'no-client-pod': 1 } }] },
  ...(['TestTCPResultsFromExternalToPodSavedAsIncoming', 'TestTCPResultsFromExternalToPodSaveIfDestinationNameRight', 'TestTCPResultsFromExternalToPodSkipIfDestinationNameWrong'].map((name, i): Case => ({
    otterize: `resolver: ${name}`, differs: INCOMING, build: (c) => { c.addDeployment('coolz', ['1.1.1.3'], { app: 'coolz' }); },
    steps: [{ reports: [{ mutation: 'reportTCPCaptureResults', results: [{ srcIp: '8.8.8.8', destinations: [{ destination: ['1.1.1.3', 'coolz-0', 'coolz-0-wrong'][i], destinationIP: '1.1.1.3', destinationPort: 80, lastSeen: at(10 * MIN) }] }] }],
      intents: [], unresolved: { 'no-client-pod': 1 } }],
  }))),
  { otterize: 'resolver: TestTCPResultsFromExternalToLoadBalancerServiceUsingNodeIpAndPortSavedAsIncoming', differs: INCOMING,
    build: (c) => { const pods = c.addDeployment('coolz', ['1.1.1.3'], { app: 'coolz' }); c.addService('coolz', '10.0.0.10', pods, 'LoadBalancer'); },
    steps: [{ reports: [{ mutation: 'reportTCPCaptureResults', results: [{ srcIp: '8.8.8.8', destinations: [{ ...tcp('192.168.0.3', MIN, 31000), destinationIP: '192.168.0.3' }] }] }],
      intents: [], unresolved: { 'no-client-pod': 1 } }] },
  { otterize: 'resolver: TestResolveOtterizeIdentityFilterSrcDestinationsByCreationTimestamp', differs: DNS_IP,
    build: (c) => { c.addPod('pod3', '1.1.1.3'); },
    steps: [{ reports: [{ mutation: 'reportCaptureResults', results: [{ srcIp: '1.1.1.3', destinations: [dns('target-on-time', '203.0.113.1', MIN), dns('target-before-time', '203.0.113.2', -MIN)] }] }],
      // target-on-time is kept (an Internet name here: stored, but outside the OSS query); target-before-time is dropped.
      intents: [], unresolved: { 'client-pod-created-after-record': 1 } }] },
  { otterize: 'resolver: TestDiscoverInternalSrcIdentityIgnoreControlPlaneIfBackedByHostNetworkPod',
    build: (c) => { c.addPod('pod', API_SERVER_ENDPOINT, { app: 'test' }, undefined, { hostNetwork: true }); },
    steps: [{ reports: [{ mutation: 'reportTCPCaptureResults', results: [{ srcIp: API_SERVER_ENDPOINT, destinations: [{ ...tcp('8.8.8.8', MIN, 53), destinationIP: '8.8.8.8' }] }] }],
      intents: [], unresolved: { 'client-host-network': 1 } }] },
  { otterize: 'resolver: TestReportTCPResultsIgnoreTargetsWithShortUptime',
    build: (c) => { c.addPod('pod3', '1.1.1.3'); c.addDeploymentWithService('service1', ['1.1.1.2'], { app: 'service1' }, '10.0.0.37'); },
    steps: [
      { reports: [{ mutation: 'reportTCPCaptureResults', results: [{ srcIp: '1.1.1.3', destinations: [{ ...tcp('1.1.1.2', 4 * MIN, 80), destinationIP: '1.1.1.2' }] }] }],
        intents: [], unresolved: { 'server-too-young': 1 } },
      { reports: [{ mutation: 'reportTCPCaptureResults', results: [{ srcIp: '1.1.1.3', destinations: [{ ...tcp('1.1.1.2', 6 * MIN, 80), destinationIP: '1.1.1.2' }] }] }],
        intents: ['pod3[Pod] -> deployment-service1'] },
      // A Service's ClusterIP is trusted however young its pods are.
      { reports: [{ mutation: 'reportTCPCaptureResults', results: [{ srcIp: '1.1.1.3', destinations: [{ ...tcp('10.0.0.37', 4 * MIN, 80), destinationIP: '10.0.0.37' }] }] }],
        intents: ['pod3[Pod] -> deployment-service1'] },
    ] },
  { otterize: 'network-mapper PR #198: a completed Job pod still holding the running client\'s podIP', differs: DNS_IP,
    build: (c) => { base(c, {}); c.addPod('nightly-29400000-abcde', '1.1.1.4', {}, { apiVersion: 'batch/v1', kind: 'Job', name: 'nightly-29400000' }, { completed: { createdMsBefore: 120 * MIN, finishedMsBefore: 110 * MIN } }); },
    steps: [{ reports: [dnsReport(STD)], intents: EXPECT_DNS }] },
  // kubefinder_test.go
  { otterize: 'kubefinder: TestResolveIpToPod', differs: DNS_IP,
    build: (c) => { c.addPod('some-pod', '2.2.2.2'); c.addPod('test-pod', '1.1.1.1'); c.addPod('pod-with-no-ip', ''); },
    steps: [{ reports: [{ mutation: 'reportCaptureResults', results: [
      { srcIp: '1.1.1.1', destinations: [dns('kubernetes.default.svc.cluster.local', API_SERVER_CLUSTER_IP)] },
      { srcIp: '1.1.1.7', destinations: [dns('kubernetes.default.svc.cluster.local', API_SERVER_CLUSTER_IP)] },
    ] }], intents: ['test-pod[Pod] -> default/kubernetes (kubernetes)'], unresolved: { 'no-client-pod': 1 } }] },
  { otterize: 'kubefinder: TestResolveIpToControlPlane', differs: PORT,
    build: (c) => { c.addDeploymentWithService('service1', ['1.1.1.1'], { app: 'service1' }, '10.0.0.16'); },
    steps: [{ reports: [{ mutation: 'reportTCPCaptureResults', results: [{ srcIp: API_SERVER_ENDPOINT, destinations: [tcp('10.0.0.16')] }] }],
      intents: ['default/kubernetes[-] -> deployment-service1 (svc-service1)'] }] },
  { otterize: 'kubefinder: TestResolveIpToControlPlaneSubnet (prefix 28)', differs: PORT, config: { controlPlaneIpv4PrefixLength: 28 },
    build: (c) => { c.addDeploymentWithService('service1', ['1.1.1.1'], { app: 'service1' }, '10.0.0.16'); },
    steps: [{ reports: [{ mutation: 'reportTCPCaptureResults', results: Array.from({ length: 17 }, (_, i) => ({ srcIp: `172.18.0.${i}`, destinations: [tcp('10.0.0.16')] })) }],
      intents: ['default/kubernetes[-] -> deployment-service1 (svc-service1)'], unresolved: { 'no-client-pod': 1 } }] },
  { otterize: 'kubefinder: TestResolveServiceAddressToIps (names, before the pod 4.4.4.4 exists)', differs: DNS_IP,
    build: (c) => { c.addPod('client', '1.1.1.9'); c.addDeploymentWithService('service0', ['1.1.1.1'], { app: 'service0' }, '10.0.0.10'); c.addDeploymentWithService('service1', ['1.1.1.2', '1.1.1.3'], { app: 'service1' }, '10.0.0.11'); },
    steps: [{ reports: [{ mutation: 'reportCaptureResults', results: [{ srcIp: '1.1.1.9', destinations: [
      dns('www.google.com', '142.250.0.1'), dns(svcName('service1'), '10.0.0.11'), dns(`4-4-4-4.${svcName('service1')}`, '10.0.0.11'),
      dns(svcName('nope'), '10.0.0.99'), dns(`4-4-4-4.${TEST_NS}.pod.cluster.local`, '4.4.4.4'),
    ] }] }], intents: ['client[Pod] -> deployment-service1 (svc-service1)'], unresolved: { 'unknown-service': 1, 'server-no-pod': 1 } }] },
  { otterize: 'kubefinder: TestResolveServiceAddressToIps (pod DNS name once 4.4.4.4 exists)', differs: DNS_IP,
    build: (c) => { c.addPod('client', '1.1.1.9'); c.addDeployment('depl', ['4.4.4.4'], { app: '4444' }); },
    steps: [{ reports: [{ mutation: 'reportCaptureResults', results: [{ srcIp: '1.1.1.9', destinations: [dns(`4-4-4-4.${TEST_NS}.pod.cluster.local`, '4.4.4.4')] }] }],
      intents: ['client[Pod] -> deployment-depl'] }] },
];

/** Not transcribed: what they test is not in the OSS map. kubefinder TestIsSrcIpClusterInternal decides
 *  whether a SYN's source is "incoming from the Internet" (kept for Otterize Cloud only); we never keep
 *  Internet-to-pod traffic, so there is no decision to compare. */

interface GqlId { name: string; namespace: string; podOwnerKind: { kind: string } | null; kubernetesService: string | null }
const show = (w: GqlId, withKind: boolean) => `${w.namespace === TEST_NS ? '' : `${w.namespace}/`}${w.name}${withKind ? `[${w.podOwnerKind?.kind ?? '-'}]` : ''}`;

for (const c of CASES) {
  test(`${c.otterize}${c.differs ? ' [input differs]' : ''}`, async () => {
    const cluster = new OtterizeCluster();
    c.build(cluster);
    const view = snapshotViewFromObjects(cluster.objects, c.otterize);
    const store = createIntentStore();
    const metrics = createMetrics();
    const ingest = createIngest({ cluster: view, identity: createIdentityResolver(view), store, metrics, now: () => new Date(CREATED + 60 * MIN),
      config: { clusterDomain: 'cluster.local', minServerAgeMs: 5 * MIN, ...c.config } });
    const app = createApp({ ingest, store, cluster: { isSynced: () => true }, auth: createNoAuth(), metrics, remoteAddress: () => '127.0.0.1' });   // as through port-forward
    const gql = async (query: string, variables?: unknown) => {
      const res = await app.request('/query', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
      const body = await res.json() as { data: Record<string, unknown>; errors?: unknown };
      assert.is(res.status, 200, JSON.stringify(body.errors));
      assert.is(body.errors, undefined);
      return body.data;
    };
    for (const [n, step] of c.steps.entries()) {
      for (const r of step.reports) {
        const results = r.results.map((x) => ({ srcHostname: '', ...x }));
        const data = await gql(`mutation m($r: ${INPUT[r.mutation]}!) { ${r.mutation}(results: $r) }`, { r: { results } });
        assert.is(data[r.mutation], true);
      }
      const ids = 'name namespace podOwnerKind { kind } kubernetesService';
      let lines: string[];
      if (step.query) {
        const data = await gql(`{ ${step.query} { client { ${ids} } server { ${ids} } } }`);
        lines = (data.intents as Array<{ client: GqlId; server: GqlId }>).map((i) => `${show(i.client, true)} -> ${show(i.server, true)}${i.server.kubernetesService ? ` (${i.server.kubernetesService})` : ''}`);
      } else {
        const data = await gql(`{ serviceIntents { client { ${ids} } intents { ${ids} } } }`);
        lines = (data.serviceIntents as Array<{ client: GqlId; intents: GqlId[] }>).flatMap((si) =>
          si.intents.map((s) => `${show(si.client, true)} -> ${show(s, false)}${s.kubernetesService ? ` (${s.kubernetesService})` : ''}`));
      }
      assert.equal(lines.sort(), [...step.intents].sort(), `step ${n + 1}: intents`);
      const unresolved: Record<string, number> = {};
      for (const m of (await metrics.render()).matchAll(/^netmapper_records_unresolved_total\{reason="([^"]+)"\} (\d+)$/gm)) unresolved[m[1]] = Number(m[2]);
      if (step.unresolved) assert.equal(unresolved, step.unresolved, `step ${n + 1}: unresolved records`);
    }
  });
}

test.run();
