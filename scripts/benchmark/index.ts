/**
 * Benchmark of the health API against the Kubernetes API double (run by hand,
 * not in CI; it takes a minute or two):
 *
 *   npm run benchmark -- [taskPods=2000] [otherEvents=5000] [bigSweep=500]
 *     [--without-kubernetes-backend] [--view-weather-only]
 *
 * Scenarios, each in a real backend (startTestBackend) with the real client-node over loopback HTTP:
 * - one tenant whose namespace also holds the agent's task pods and their Warning Events: what the
 *   previous read strategy (every Pod, Deployment, StatefulSet, Warning Event and Route of the namespace)
 *   moved, against the selected reads, per-namespace and from the shared view; latency cold and warm;
 * - sweeps of 50 and `bigSweep` tenants on one cluster through GET /v1/tenants (the fleet), per cache period;
 * - concurrent viewers of one uncached tenant;
 * - the shared view in real-cluster weather: first sweep on 1 and 41 release names, refused reconnects (503, 429),
 *   a 410 and a busy cluster's renewals, other teams' labelled objects, heap per tenant at 50 and `bigSweep`;
 * - side by side in one backend: Backstage's kubernetes-backend (installed on demand into a cache directory outside
 *   the workspace, see kubernetesBackendFromCache.ts) and the health check, on the same double and entity, one view
 *   and 20 concurrent viewers. --without-kubernetes-backend leaves it out.
 * Prints one Markdown table for the README.
 */
import { AddressInfo } from 'node:net';
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import {
  BackendFeature,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  TENANT_OWNER_LABEL,
  tenantEntityAnnotations,
} from '@clearml-openshift/plugin-clearml-common';
import {
  ClearmlServerDouble,
  FixtureTenant,
  healthyTenantObjects,
  KubeObject,
  KubernetesApiDouble,
} from '@internal/clearml-test-utils';
import { buildKubeConfig } from '@clearml-openshift/plugin-clearml-node';
import clearmlPlugin, {
  clearmlProbeFetchServiceRef,
} from '@clearml-openshift/plugin-clearml-backend';
import {
  anchored,
  ANCHOR_REPOSITORIES,
} from '../../plugins/clearml-backend/src/__testUtils__/anchor';
import { ClusterView } from '../../plugins/clearml-backend/src/kubernetes/ClusterView';
import { kubeConfigStream } from '../../plugins/clearml-backend/src/kubernetes/clusterStream';

import {
  KUBERNETES_BACKEND_VERSION,
  loadKubernetesBackend,
} from './kubernetesBackendFromCache';

const args = process.argv.slice(2);
const [TASK_PODS = 2000, OTHER_EVENTS = 5000, BIG_SWEEP = 500] = args
  .filter(a => !a.startsWith('--'))
  .map(Number);
const WITH_KUBERNETES_BACKEND = !args.includes('--without-kubernetes-backend');
/** Only the shared view's weather scenarios (issue #18). */
const WEATHER_ONLY = args.includes('--view-weather-only');
const READ_TOKEN = 'benchmark-read-token';
const BUSY = 0; // the tenant whose namespace holds the task pods and events

const tenant = (i: number): FixtureTenant => ({
  namespace: `clearml-t${i}`,
  release: 'clearml',
  edition: 'oss',
  domain: `t${i}.clearml.apps.bench.example.com`,
  agent: i === BUSY,
});

/** A tenant entity as the catalog holds it: registered from its file in the GitOps repository. */
function entity(i: number, t: FixtureTenant = tenant(i)): Entity {
  return anchored({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: t.tenant ?? `t${i}`,
      namespace: 'default',
      annotations: tenantEntityAnnotations({
        cluster: 'bench',
        namespace: t.namespace,
        release: t.release,
        edition: t.edition,
        tenant: t.tenant ?? `t${i}`,
      }),
    },
    spec: { type: 'clearml-tenant', owner: 'group:default/ml-platform' },
  });
}

function namespaceOf(i: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: tenant(i).namespace,
      labels: { [TENANT_OWNER_LABEL]: `t${i}` },
    },
  };
}

/** A task pod as the k8s glue agent starts it (about 3 kB of JSON, like a real one). */
function taskPod(namespace: string, i: number): KubeObject {
  const id = `${(i * 2654435761).toString(16).padStart(8, '0')}a1b2c3d4e5f6a7b8c9d0e1f2`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `clearml-id-${id}`,
      namespace,
      labels: {
        'ai.allegro.agent.serial': `pod-${i}`,
        'clearml-agent-queue': 'c8a5b4e3',
        'clearml-agent-queue-name': 'default',
        'clearml-agent-task-id': id,
      },
      annotations: {
        'openshift.io/scc': 'anyuid',
        'k8s.ovn.org/pod-networks': `{"default":{"ip_addresses":["10.128.${i % 250}.${i % 200}/23"],"mac_address":"0a:58:0a:80:02:2c","gateway_ips":["10.128.2.1"]}}`,
      },
      creationTimestamp: '2025-01-01T00:00:00Z',
      uid: `uid-task-${i}`,
    },
    spec: {
      serviceAccountName: 'clearml-agent-sa',
      restartPolicy: 'Never',
      containers: [
        {
          name: `clearml-id-${id}`,
          image: 'nvcr.io/nvidia/pytorch:24.01-py3',
          command: [
            'bash',
            '-c',
            `export CLEARML_TASK_ID=${id}; clearml-agent execute --full-monitoring --require-queue --id ${id}`,
          ],
          env: [
            'CLEARML_API_HOST',
            'CLEARML_WEB_HOST',
            'CLEARML_FILES_HOST',
            'CLEARML_WORKER_ID',
            'CLEARML_DOCKER_IMAGE',
            'PYTHONUNBUFFERED',
          ].map(name => ({
            name,
            value: `http://clearml-apiserver.clearml-t0.svc.cluster.local:8008/${name.toLowerCase()}`,
          })),
          resources: {
            limits: { 'nvidia.com/gpu': '1', memory: '16Gi' },
            requests: { cpu: '4', memory: '16Gi' },
          },
          volumeMounts: [
            {
              name: 'kube-api-access',
              mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
              readOnly: true,
            },
          ],
        },
      ],
      volumes: [
        {
          name: 'kube-api-access',
          projected: {
            sources: [
              {
                serviceAccountToken: { expirationSeconds: 3607, path: 'token' },
              },
            ],
          },
        },
      ],
      nodeName: `gpu-worker-${i % 16}.bench.example.com`,
      tolerations: [
        { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
      ],
    },
    status: {
      phase: i % 3 === 0 ? 'Pending' : 'Running',
      conditions: [
        'PodScheduled',
        'Initialized',
        'ContainersReady',
        'Ready',
      ].map(type => ({
        type,
        status: 'True',
        lastTransitionTime: '2025-01-01T00:00:00Z',
      })),
      hostIP: '10.0.0.12',
      podIP: `10.128.${i % 250}.${i % 200}`,
      startTime: '2025-01-01T00:00:00Z',
      containerStatuses: [
        {
          name: `clearml-id-${id}`,
          ready: true,
          restartCount: 0,
          image: 'nvcr.io/nvidia/pytorch:24.01-py3',
          imageID: `nvcr.io/nvidia/pytorch@sha256:${id}${id}`,
          started: true,
          state: { running: { startedAt: '2025-01-01T00:00:00Z' } },
        },
      ],
    },
  };
}

/** A Warning Event of something else in the namespace (a task pod backing off, a node out of GPUs): about 1 kB. */
function otherEvent(namespace: string, i: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: `clearml-id-${i}.17f${i.toString(16)}`,
      namespace,
      creationTimestamp: '2025-01-01T00:00:00Z',
    },
    involvedObject: {
      kind: 'Pod',
      namespace,
      name: `clearml-id-${i}`,
      uid: `uid-task-${i}`,
      apiVersion: 'v1',
      resourceVersion: String(1000 + i),
      fieldPath: 'spec.containers{task}',
    },
    reason: i % 2 ? 'BackOff' : 'FailedScheduling',
    message:
      i % 2
        ? `Back-off restarting failed container task in pod clearml-id-${i}_${namespace}(uid-task-${i})`
        : '0/24 nodes are available: 8 Insufficient nvidia.com/gpu, 16 node(s) had untolerated taint {node-role.kubernetes.io/master: }. preemption: 0/24 nodes are available: 8 No preemption victims found for incoming pod, 16 Preemption is not helpful for scheduling.',
    source: {
      component: 'kubelet',
      host: `gpu-worker-${i % 16}.bench.example.com`,
    },
    firstTimestamp: '2025-01-01T00:00:00Z',
    lastTimestamp: '2025-01-01T00:05:00Z',
    count: 12,
    type: 'Warning',
    reportingComponent: 'kubelet',
    reportingInstance: `gpu-worker-${i % 16}`,
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
const ms = (n: number) => `${n.toFixed(1)} ms`;

interface Backend {
  /** The clearml plugin's base URL. */
  url: string;
  /** The backend's base URL. */
  root: string;
  stop: () => Promise<void>;
}

async function startBackend(
  kube: KubernetesApiDouble,
  clearml: ClearmlServerDouble,
  tenants: number | Entity[],
  health: Record<string, unknown>,
  beside: { features: BackendFeature[]; config: Record<string, unknown> } = {
    features: [],
    config: {},
  },
): Promise<Backend> {
  const backend = await startTestBackend({
    features: [
      clearmlPlugin,
      ...beside.features,
      mockServices.rootConfig.factory({
        data: {
          ...beside.config,
          clearml: {
            gitops: { repositories: ANCHOR_REPOSITORIES },
            clusters: [
              {
                name: 'bench',
                url: kube.url,
                serviceAccountToken: READ_TOKEN,
                skipTLSVerify: true,
              },
            ],
            health: { probeEndpoints: false, ...health },
          },
        },
      }),
      catalogServiceMock.factory({
        entities:
          typeof tenants === 'number'
            ? Array.from({ length: tenants }, (_, i) => entity(i))
            : tenants,
      }),
      createServiceFactory({
        service: clearmlProbeFetchServiceRef,
        deps: {},
        factory: () => clearml.fetchVia(),
      }),
    ],
  });
  const root = `http://127.0.0.1:${(backend.server.address() as AddressInfo).port}`;
  return { url: `${root}/api/clearml`, root, stop: () => backend.stop() };
}

const headers = {
  authorization: mockCredentials.user.header('user:default/bench'),
};

async function timed(url: string): Promise<number> {
  const started = process.hrtime.bigint();
  const res = await fetch(url, { headers });
  await res.text();
  if (res.status !== 200) throw new Error(`HTTP ${res.status} for ${url}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const health = (b: Backend, i: number) =>
  `${b.url}/v1/health?entityRef=resource:default/t${i}`;

/** What one request costs the cluster: calls (tenant objects and events; namespace ownership checks apart) and bytes. */
function cost(kube: KubernetesApiDouble) {
  const reads = kube.requests.filter(r => r.verb !== 'watch');
  const ownership = reads.filter(
    r =>
      r.verb === 'get' &&
      r.path.startsWith('/api/v1/namespaces/') &&
      r.path.split('/').length === 5,
  );
  const objects = reads.filter(r => !ownership.includes(r));
  return {
    calls: objects.length,
    bytes: objects.reduce((s, r) => s + r.bytes, 0),
    ownership: ownership.length,
    watches: kube.requests.filter(r => r.verb === 'watch').length,
  };
}

/** A view: one request as the user's browser sends it; its latency and JSON answer. */
async function requestView(
  url: string,
  body?: unknown,
): Promise<{ ms: number; json: any }> {
  const started = process.hrtime.bigint();
  const res = await fetch(url, {
    method: body ? 'POST' : 'GET',
    headers: body
      ? { ...headers, 'content-type': 'application/json' }
      : headers,
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (res.status !== 200)
    throw new Error(`HTTP ${res.status} for ${url}: ${JSON.stringify(json)}`);
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, json };
}

/** Objects in a kubernetes-backend answer (every kind of every cluster). */
const objectsIn = (json: any): number =>
  (json.items ?? []).reduce(
    (n: number, cluster: any) =>
      n +
      (cluster.resources ?? []).reduce(
        (m: number, r: any) => m + (r.resources?.length ?? 0),
        0,
      ),
    0,
  );

/** What one kind of view costs the cluster: once, over `repeat` views in a row, and for `viewers` at once. */
async function measureViews(
  kube: KubernetesApiDouble,
  request: () => Promise<{ ms: number; json: any }>,
  repeat: number,
  viewers: number,
) {
  await request(); // warm up connections and code paths
  kube.clearRequests();
  const once = await request();
  const onceCost = cost(kube);
  const notServed = kube.requests.filter(r => r.status === 404).length;
  const inRow: number[] = [];
  for (let i = 0; i < repeat; i++) inRow.push((await request()).ms);
  kube.clearRequests();
  const started = process.hrtime.bigint();
  const all = await Promise.all(Array.from({ length: viewers }, request));
  const allMs = Number(process.hrtime.bigint() - started) / 1e6;
  return {
    once: { ...onceCost, notServed, json: once.json },
    p50: percentile(inRow, 50),
    p95: percentile(inRow, 95),
    concurrent: {
      ...cost(kube),
      ms: allMs,
      p95: percentile(
        all.map(a => a.ms),
        95,
      ),
    },
  };
}

/**
 * Backstage's kubernetes-backend and the health check in one backend, on the same double and the same entity
 * (the busy tenant, beside the task pods and events). kubernetes-backend selects by the `backstage.io/kubernetes-id`
 * label; the charts do not set it, so it is measured as deployed and with the tenant's objects labelled (what its
 * Kubernetes tab needs to show anything).
 */
async function sideBySide(
  kube: KubernetesApiDouble,
  clearml: ClearmlServerDouble,
  tenants: number,
): Promise<Array<[string, string]>> {
  const kubernetesBackend = loadKubernetesBackend(message =>
    console.error(`[benchmark] ${message}`),
  );
  const backend = await startBackend(
    kube,
    clearml,
    tenants,
    { cacheSeconds: 0, sharedView: false },
    {
      features: [kubernetesBackend],
      config: {
        kubernetes: {
          serviceLocatorMethod: { type: 'multiTenant' },
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [
                {
                  name: 'bench',
                  url: kube.url,
                  authProvider: 'serviceAccount',
                  serviceAccountToken: READ_TOKEN,
                  skipTLSVerify: true,
                },
              ],
            },
          ],
        },
      },
    },
  );
  const entityRef = `resource:default/t${BUSY}`;
  const kubernetesView = () =>
    requestView(`${backend.root}/api/kubernetes/resources/workloads/query`, {
      entityRef,
    });
  const healthView = () => requestView(health(backend, BUSY));
  const VIEWERS = 20;
  const REPEAT = 20;
  const k8sName = `kubernetes-backend ${KUBERNETES_BACKEND_VERSION}`;
  const rows: Array<[string, string]> = [];

  const unlabelled = await measureViews(kube, kubernetesView, 0, 0);
  rows.push([
    `side by side (one backend, same double, entity t${BUSY}): ${k8sName}, one view, objects as the charts label them by default`,
    `${unlabelled.once.calls} calls (${unlabelled.once.notServed} answered 404: kinds the double does not serve), ${kB(unlabelled.once.bytes)}; ${objectsIn(unlabelled.once.json)} objects found (it selects \`backstage.io/kubernetes-id=t${BUSY}\`, a label the charts do not set by default; the rendered values now add it to mongodb, redis, Elasticsearch and the agent, not to the server's own Deployments)`,
  ]);

  kube.load(
    healthyTenantObjects(tenant(BUSY))
      .filter(o => o.kind !== 'Namespace')
      .map(o => ({
        ...o,
        metadata: {
          ...o.metadata,
          labels: {
            ...o.metadata?.labels,
            'backstage.io/kubernetes-id': `t${BUSY}`,
          },
        },
      })),
  );
  const k8s = await measureViews(kube, kubernetesView, REPEAT, VIEWERS);
  const check = await measureViews(kube, healthView, REPEAT, VIEWERS);
  rows.push([
    `side by side: ${k8sName}, one view, objects labelled \`backstage.io/kubernetes-id=t${BUSY}\``,
    `${k8s.once.calls} calls (${k8s.once.notServed} answered 404: those kinds and pod metrics), ${kB(k8s.once.bytes)}, ${objectsIn(k8s.once.json)} objects; p50 ${ms(k8s.p50)}, p95 ${ms(k8s.p95)} (no cache: every view costs this)`,
  ]);
  rows.push([
    'side by side: ClearML health check, one view (per-namespace lists, no cache: its costliest mode)',
    `${check.once.calls} calls, ${kB(check.once.bytes)} (+${check.once.ownership} namespace ownership get); p50 ${ms(check.p50)}, p95 ${ms(check.p95)}`,
  ]);
  rows.push([
    `side by side: ${k8sName}, ${VIEWERS} concurrent viewers`,
    `${k8s.concurrent.calls} calls, ${kB(k8s.concurrent.bytes)}, ${ms(k8s.concurrent.ms)} for all, p95 ${ms(k8s.concurrent.p95)} per viewer`,
  ]);
  rows.push([
    `side by side: ClearML health check, ${VIEWERS} concurrent viewers (per-namespace lists, no cache: they share one check)`,
    `${check.concurrent.calls} calls, ${kB(check.concurrent.bytes)} (+${check.concurrent.ownership} namespace ownership get), ${ms(check.concurrent.ms)} for all, p95 ${ms(check.concurrent.p95)} per viewer`,
  ]);
  await backend.stop();
  return rows;
}

// ---------------------------------------------------------------------------------------------------------------
// The shared view in real-cluster weather (issue #18): many release names, refused reconnects, 410 and busy-cluster
// renewals, other teams' labelled objects, heap per tenant.
// ---------------------------------------------------------------------------------------------------------------

v8.setFlagsFromString('--expose-gc');
const gc: () => void = vm.runInNewContext('gc');
/** Heap in use after a full collection (objects still reachable). */
function liveHeap(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const readerToken = [
  {
    name: 'health-reader',
    token: READ_TOKEN,
    rules: [
      { verbs: ['get', 'list', 'watch'], apiGroups: ['*'], resources: ['*'] },
    ],
  },
];

/** `n` tenants spread over `releases` release names (`clearml`, `rel1`, …), each in its labelled namespace. */
function releaseTenants(n: number, releases: number): FixtureTenant[] {
  return Array.from({ length: n }, (_, i) => ({
    tenant: `r${i}`,
    namespace: `clearml-r${i}`,
    release: i % releases === 0 ? 'clearml' : `rel${i % releases}`,
    edition: 'oss',
    domain: `r${i}.clearml.apps.bench.example.com`,
  }));
}

async function fleetSweep(backend: Backend) {
  const started = Date.now();
  const res = await fetch(`${backend.url}/v1/tenants`, { headers });
  const body = (await res.json()) as {
    items: Array<{ status: string; stale?: unknown; error?: string }>;
  };
  if (res.status !== 200) throw new Error(`HTTP ${res.status} for the fleet`);
  return {
    ms: Date.now() - started,
    unknown: body.items.filter(r => r.status === 'unknown').length,
    stale: body.items.filter(r => r.stale).length,
    items: body.items.length,
  };
}

/**
 * A ClusterView on its own (no backend), with the production stream: what it listed and holds, and the live heap
 * (after full collections) it added. `keep`: return it running.
 */
async function standaloneView(kube: KubernetesApiDouble, keep = false) {
  const cluster = {
    name: 'bench',
    url: kube.url,
    serviceAccountToken: READ_TOKEN,
    skipTLSVerify: true,
  } as any;
  const logger = {
    info() {},
    warn() {},
    error() {},
    debug() {},
    child() {
      return logger;
    },
  } as any;
  const make = () =>
    new ClusterView({
      cluster,
      stream: kubeConfigStream(buildKubeConfig(cluster, 'read'), 30_000),
      timeoutMs: 30_000,
      watchSeconds: 300,
      staleSeconds: 120,
      tenantNamespaces: { namespacePattern: 'clearml-*', adopt: [] },
      logger,
    });
  // A first view warms the code paths, connections and the double's caches; it is stopped before measuring.
  const warm = make();
  await warm.ensure(60_000);
  await warm.stop();
  await new Promise(r => setTimeout(r, 300));
  const before = liveHeap();
  kube.clearRequests();
  const view = make();
  await view.ensure(60_000);
  while (kube.openWatches < 9) await new Promise(r => setTimeout(r, 20));
  const listed = cost(kube);
  kube.clearRequests();
  await new Promise(r => setTimeout(r, 300));
  const heap = liveHeap() - before;
  const size = view.size();
  if (!keep) await view.stop();
  return { view, listed, heap, size };
}

async function viewWeather(
  clearml: ClearmlServerDouble,
): Promise<Array<[string, string]>> {
  const rows: Array<[string, string]> = [];
  const N = 200;

  // ---- First, while the process is clean: heap per tenant: the view alone, and a backend after a sweep with the reports cached. ----
  for (const n of [50, BIG_SWEEP]) {
    const tenants = releaseTenants(n, 1);
    const kube = await KubernetesApiDouble.start({
      tokens: readerToken,
      objects: tenants.flatMap(t => healthyTenantObjects(t)) as any,
    });
    const alone = await standaloneView(kube);
    const backend = await startBackend(
      kube,
      clearml,
      tenants.map((t, i) => entity(i, t)),
      { cacheSeconds: 600, sharedView: true, watchSeconds: 300 },
    );
    kube.clearRequests();
    const before = liveHeap();
    await fleetSweep(backend);
    kube.clearRequests();
    const after = liveHeap();
    rows.push([
      `view weather: heap per tenant at ${n} tenants`,
      `view: live heap +${kB(alone.heap / n)} per tenant, of which held objects ${kB(alone.size.heldBytes / n)} (${alone.size.objects} objects, ${kB(alone.size.bytes / n)} of trimmed JSON per tenant, packed); a backend after a sweep with every report cached +${kB((after - before) / n)} per tenant`,
    ]);
    await backend.stop();
    await kube.close();
  }
  // ---- First sweep on a fresh backend, 200 tenants on 1 and on 41 release names. ----
  for (const releases of [1, 41]) {
    const tenants = releaseTenants(N, releases);
    const kube = await KubernetesApiDouble.start({
      tokens: readerToken,
      objects: tenants.flatMap(t => healthyTenantObjects(t)) as any,
    });
    const backend = await startBackend(
      kube,
      clearml,
      tenants.map((t, i) => entity(i, t)),
      { cacheSeconds: 0, sharedView: true, watchSeconds: 300 },
    );
    kube.clearRequests();
    const first = await fleetSweep(backend);
    const c = cost(kube);
    kube.clearRequests();
    const next = await fleetSweep(backend);
    const n = cost(kube);
    rows.push([
      `view weather: first sweep of ${N} tenants on ${releases} release name${releases > 1 ? 's' : ''} (fresh backend)`,
      `${c.calls} lists, ${kB(c.bytes)}, ${first.ms} ms, ${first.unknown} of ${first.items} unknown; next sweep ${n.calls} calls, ${next.ms} ms`,
    ]);
    await backend.stop();
    await kube.close();
  }

  // ---- 50 tenants through refused watch reconnects (503, then 429 from API priority and fairness). ----
  {
    const tenants = releaseTenants(50, 1);
    const kube = await KubernetesApiDouble.start({
      tokens: readerToken,
      objects: tenants.flatMap(t => healthyTenantObjects(t)) as any,
    });
    const backend = await startBackend(
      kube,
      clearml,
      tenants.map((t, i) => entity(i, t)),
      {
        cacheSeconds: 0,
        sharedView: true,
        watchSeconds: 300,
        staleSeconds: 120,
      },
    );
    await fleetSweep(backend);
    for (const [code, reason] of [
      [503, 'ServiceUnavailable'],
      [429, 'TooManyRequests'],
    ] as const) {
      await new Promise(r => setTimeout(r, 300));
      kube.clearRequests();
      kube.failNext({
        watch: true,
        code,
        reason,
        retryAfterSeconds: 1,
        times: 10,
      });
      kube.endWatches();
      const started = Date.now();
      let maxUnknown = 0;
      let staleUntil = 0;
      let sweeps = 0;
      let maxStale = 0;
      while (Date.now() - started < 4000) {
        const s = await fleetSweep(backend);
        sweeps++;
        maxUnknown = Math.max(maxUnknown, s.unknown);
        maxStale = Math.max(maxStale, s.stale);
        if (s.stale) staleUntil = Date.now();
      }
      const c = cost(kube);
      rows.push([
        `view weather: one refused reconnect of every watch (${code} ${reason}, Retry-After: 1s), 50 tenants, fleet swept for 4 s`,
        `${maxUnknown} tenants unknown at most over ${sweeps} sweeps; ${maxStale} of 50 served stale (last known state, marked with its age) ${maxStale ? `until ${staleUntil - started} ms after the refusal` : ''}, then current; ${c.calls} lists; ${kube.requests.filter(r => r.verb === 'watch' && r.status === code).length} refused watches, retried after Retry-After`,
      ]);
    }
    await backend.stop();
    await kube.close();
  }

  // ---- 410: one informer's history expired; busy cluster: 2,200 changes/s of objects the view does not watch. ----
  {
    const tenants = releaseTenants(N, 1);
    const kube = await KubernetesApiDouble.start({
      tokens: readerToken,
      objects: tenants.flatMap(t => healthyTenantObjects(t)) as any,
    });
    const { view } = await standaloneView(kube, true);
    kube.load([
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'tick', namespace: 'busy-team' },
        data: { at: '0' },
      },
    ]);
    kube.clearRequests();
    kube.compact();
    kube.endWatches(path => path === '/apis/apps/v1/deployments');
    const started = Date.now();
    while (view.size().expiredRelists < 1 && Date.now() - started < 10_000)
      await new Promise(r => setTimeout(r, 20));
    await new Promise(r => setTimeout(r, 500));
    const c = cost(kube);
    rows.push([
      `view weather: 410 Expired on the Deployments watch (${N} tenants)`,
      `${c.calls} list (${kube.requests
        .filter(r => r.verb === 'list')
        .map(r => r.path)
        .join(', ')}), ${kB(c.bytes)}; the other informers keep watching`,
    ]);
    await view.stop();
    await kube.close();
  }
  {
    const tenants = releaseTenants(N, 1);
    const kube = await KubernetesApiDouble.start({
      tokens: readerToken,
      objects: tenants.flatMap(t => healthyTenantObjects(t)) as any,
    });
    const cluster = {
      name: 'bench',
      url: kube.url,
      serviceAccountToken: READ_TOKEN,
      skipTLSVerify: true,
    } as any;
    const WATCH_SECONDS = 5;
    const quiet = { info() {}, warn() {}, error() {}, debug() {} } as any;
    const view = new ClusterView({
      cluster,
      stream: kubeConfigStream(buildKubeConfig(cluster, 'read'), 30_000),
      timeoutMs: 30_000,
      watchSeconds: WATCH_SECONDS,
      staleSeconds: 120,
      tenantNamespaces: { namespacePattern: 'clearml-*', adopt: [] },
      logger: quiet,
    });
    await view.ensure(60_000);
    const listsBefore = view.size().lists;
    kube.clearRequests();
    // Other teams' pods changing (no chart labels): each change moves the cluster's revision, none is watched here.
    const RATE = 2200;
    const SECONDS = 16;
    let changes = 0;
    const started = Date.now();
    const churn = setInterval(() => {
      const due = Math.floor(((Date.now() - started) / 1000) * RATE) - changes;
      const batch = Array.from({ length: due }, (_, k) => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `job-${(changes + k) % 500}`,
          namespace: 'busy-team',
        },
        status: {
          phase: 'Running',
          podIP: `10.0.${k % 250}.${(changes + k) % 250}`,
        },
      }));
      changes += due;
      kube.load(batch);
    }, 20);
    await new Promise(r => setTimeout(r, SECONDS * 1000));
    clearInterval(churn);
    const c = cost(kube);
    const watchBytes = kube.bytesServed(r => r.verb === 'watch');
    const size = view.size();
    rows.push([
      `view weather: busy cluster, ${Math.round(changes / SECONDS)} changes/s of unwatched objects for ${SECONDS} s (the double keeps 10,000), watches renewed every ${WATCH_SECONDS} s with bookmarks`,
      `${size.lists - listsBefore} lists (${size.expiredRelists} after 410), ${c.calls} list calls, ${kB(c.bytes)} listed, ${kB(watchBytes)} on watches (${kube.requests.filter(r => r.verb === 'watch').length} renewals)`,
    ]);
    await view.stop();
    await kube.close();
  }

  // ---- Other teams' labelled objects: held or not, and heap. ----
  {
    const tenants = releaseTenants(50, 1);
    const FOREIGN = 20_000;
    const foreign: KubeObject[] = [];
    for (let i = 0; i < FOREIGN; i++) {
      const namespace = `team-${i % 200}`;
      const labelled = i % 10 === 0;
      const pod = taskPod(namespace, i);
      pod.metadata!.name = `app-${i}`;
      pod.metadata!.labels = labelled
        ? {
            'app.kubernetes.io/name': 'redis',
            'app.kubernetes.io/instance': `cache-${i}`,
          }
        : { app: `svc-${i % 50}` };
      foreign.push(pod);
    }
    for (let i = 0; i < 200; i++)
      foreign.push({
        apiVersion: 'route.openshift.io/v1',
        kind: 'Route',
        metadata: {
          name: `web-${i}`,
          namespace: `team-${i}`,
          labels: { 'app.kubernetes.io/managed-by': 'backstage' },
        },
        spec: {
          host: `web-${i}.apps.example.com`,
          to: { kind: 'Service', name: 'web' },
        },
      });
    const plain = await KubernetesApiDouble.start({
      tokens: readerToken,
      objects: tenants.flatMap(t => healthyTenantObjects(t)) as any,
    });
    const alone = await standaloneView(plain);
    await plain.close();
    const busy = await KubernetesApiDouble.start({
      tokens: readerToken,
      objects: [
        ...tenants.flatMap(t => healthyTenantObjects(t)),
        ...foreign,
      ] as any,
    });
    const withForeign = await standaloneView(busy);
    await busy.close();
    rows.push([
      `view weather: 50 tenants beside ${FOREIGN} other teams' pods (1 in 10 labelled app.kubernetes.io/name=redis) and 200 of their Routes labelled managed-by=backstage`,
      `listed ${kB(withForeign.listed.bytes)} (${kB(alone.listed.bytes)} without them); held ${withForeign.size.objects} objects (${alone.size.objects} without them); heap ${kB(withForeign.heap)} (${kB(alone.heap)} without them)`,
    ]);
  }

  return rows;
}

function printTable(rows: Array<[string, string]>): void {
  console.log(
    `Health API benchmark (${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, Node ${process.version}; API double on loopback, no network latency)\n`,
  );
  console.log('| scenario | result |');
  console.log('|---|---|');
  for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
}

async function main() {
  const rows: Array<[string, string]> = [];
  if (WEATHER_ONLY) {
    const clearmlDouble = await ClearmlServerDouble.start();
    printTable(await viewWeather(clearmlDouble));
    await clearmlDouble.close();
    process.exit(0);
  }
  const total = Math.max(BIG_SWEEP, 50) + 2;
  const objects: KubeObject[] = [];
  for (let i = 0; i < total; i++)
    objects.push(namespaceOf(i), ...healthyTenantObjects(tenant(i)));
  for (let i = 0; i < TASK_PODS; i++)
    objects.push(taskPod(tenant(BUSY).namespace, i));
  for (let i = 0; i < OTHER_EVENTS; i++)
    objects.push(otherEvent(tenant(BUSY).namespace, i));
  const kube = await KubernetesApiDouble.start({
    tokens: [
      {
        name: 'health-reader',
        token: READ_TOKEN,
        rules: [
          {
            verbs: ['get', 'list', 'watch'],
            apiGroups: ['*'],
            resources: ['*'],
          },
        ],
      },
    ],
    objects: objects as any,
  });
  const clearml = await ClearmlServerDouble.start();

  // ---- The previous read: every object of five kinds in the namespace, no selector. ----
  kube.clearRequests();
  const ns = tenant(BUSY).namespace;
  const previous = [
    `/apis/apps/v1/namespaces/${ns}/deployments`,
    `/apis/apps/v1/namespaces/${ns}/statefulsets`,
    `/api/v1/namespaces/${ns}/pods`,
    `/api/v1/namespaces/${ns}/events?fieldSelector=type%3DWarning`,
    `/apis/route.openshift.io/v1/namespaces/${ns}/routes`,
  ];
  const previousStart = process.hrtime.bigint();
  await Promise.all(
    previous.map(p =>
      fetch(`${kube.url}${p}`, {
        headers: { authorization: `Bearer ${READ_TOKEN}` },
      }).then(r => r.text()),
    ),
  );
  const previousMs = Number(process.hrtime.bigint() - previousStart) / 1e6;
  const previousCost = cost(kube);
  rows.push([
    `previous read (5 unselected lists), one tenant beside ${TASK_PODS} task pods and ${OTHER_EVENTS} other Warning Events`,
    `${previousCost.calls} calls, ${kB(previousCost.bytes)}, ${ms(previousMs)} for the lists alone`,
  ]);

  // ---- Per-namespace selected lists (sharedView off), no report cache: every request is a cold check. ----
  const lists = await startBackend(kube, clearml, total, {
    cacheSeconds: 0,
    sharedView: false,
  });
  await timed(health(lists, total - 1)); // warm up the process
  kube.clearRequests();
  await timed(health(lists, BUSY));
  const listCost = cost(kube);
  const coldLists: number[] = [];
  for (let i = 0; i < 50; i++) coldLists.push(await timed(health(lists, BUSY)));
  rows.push([
    'per-namespace selected lists (sharedView: false), same tenant, one check',
    `${listCost.calls} calls, ${kB(listCost.bytes)} (+${listCost.ownership} namespace ownership get); cold p50 ${ms(percentile(coldLists, 50))}, p95 ${ms(percentile(coldLists, 95))}`,
  ]);
  await lists.stop();

  // ---- Shared view, no report cache. ----
  const view = await startBackend(kube, clearml, total, {
    cacheSeconds: 0,
    sharedView: true,
    watchSeconds: 300,
  });
  kube.clearRequests();
  const firstMs = await timed(health(view, BUSY));
  const viewStart = cost(kube);
  kube.clearRequests();
  const coldView: number[] = [];
  for (let i = 0; i < 50; i++) coldView.push(await timed(health(view, BUSY)));
  const viewCheck = cost(kube);
  rows.push([
    `shared view: first check on the cluster (informers list ${total} tenants' objects cluster-wide)`,
    `${viewStart.calls} lists, ${kB(viewStart.bytes)}, ${viewStart.watches} watches; ${ms(firstMs)}`,
  ]);
  rows.push([
    'shared view: one check of the same tenant after that (report not cached)',
    `${viewCheck.calls / 50} calls, ${kB(viewCheck.bytes / 50)} (+${viewCheck.ownership / 50} namespace ownership get); cold p50 ${ms(percentile(coldView, 50))}, p95 ${ms(percentile(coldView, 95))}`,
  ]);

  // ---- Sweeps through the fleet endpoint (per cache period: cacheSeconds 0 makes every sweep one). ----
  const sweep = async (backend: Backend) => {
    const started = Date.now();
    const res = await fetch(`${backend.url}/v1/tenants`, { headers });
    const body = (await res.json()) as { items: unknown[] };
    if (res.status !== 200) throw new Error(`HTTP ${res.status} for the fleet`);
    return { ms: Date.now() - started, tenants: body.items.length };
  };
  await view.stop();
  for (const n of [50, BIG_SWEEP]) {
    for (const sharedView of [false, true]) {
      const backend = await startBackend(kube, clearml, n, {
        cacheSeconds: 0,
        sharedView,
        watchSeconds: 300,
      });
      const heapBefore = process.memoryUsage().heapUsed;
      kube.clearRequests();
      const first = await sweep(backend);
      const firstCost = cost(kube);
      kube.clearRequests();
      const next = await sweep(backend);
      const nextCost = cost(kube);
      const heapAfter = process.memoryUsage().heapUsed;
      const label = sharedView ? 'shared view' : 'per-namespace lists';
      rows.push([
        `sweep of ${n} tenants on one cluster (GET /v1/tenants), ${label}, per cache period`,
        sharedView
          ? `first: ${firstCost.calls} calls, ${kB(firstCost.bytes)}, ${first.ms} ms; then ${nextCost.calls} calls, ${kB(nextCost.bytes)}, ${next.ms} ms (+${nextCost.ownership} namespace ownership gets); view holds the lists above (${kB(firstCost.bytes)} of JSON), heap +${((heapAfter - heapBefore) / 1048576).toFixed(0)} MB`
          : `${nextCost.calls} calls, ${kB(nextCost.bytes)}, ${next.ms} ms (+${nextCost.ownership} namespace ownership gets)`,
      ]);
      await backend.stop();
    }
  }

  // ---- Concurrent viewers of one uncached tenant, report cache on. ----
  for (const viewers of [20, 100]) {
    const backend = await startBackend(kube, clearml, total, {
      cacheSeconds: 600,
      sharedView: true,
      watchSeconds: 300,
    });
    await timed(health(backend, total - 1)); // the view is up
    kube.clearRequests();
    const started = Date.now();
    await Promise.all(
      Array.from({ length: viewers }, () => timed(health(backend, 2))),
    );
    const c = cost(kube);
    const warm: number[] = [];
    for (let i = 0; i < 500; i++) warm.push(await timed(health(backend, 2)));
    rows.push([
      `${viewers} concurrent viewers of one uncached tenant (shared view, cache on)`,
      `${c.calls} calls, ${kB(c.bytes)} (+${c.ownership} namespace ownership get), ${Date.now() - started} ms for all; then warm (cached) p50 ${ms(percentile(warm, 50))}, p95 ${ms(percentile(warm, 95))}`,
    ]);
    await backend.stop();
  }

  if (WITH_KUBERNETES_BACKEND)
    rows.push(...(await sideBySide(kube, clearml, total)));

  rows.push(...(await viewWeather(clearml)));

  await kube.close();
  await clearml.close();

  printTable(rows);
  process.exit(0);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
