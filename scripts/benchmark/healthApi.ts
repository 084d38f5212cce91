/**
 * The health API's scenarios on one cluster: the previous read against the selected reads, per namespace and from
 * the shared view; sweeps of the fleet endpoint; concurrent viewers of one tenant.
 */
import {
  ClearmlServerDouble,
  healthyTenantObjects,
  KubeObject,
  KubernetesApiDouble,
} from '@internal/clearml-test-utils';
import {
  Backend,
  cost,
  headers,
  health,
  kB,
  ms,
  percentile,
  Row,
  startBackend,
  timed,
} from './measure';
import {
  BUSY,
  namespaceOf,
  otherEvent,
  READ_TOKEN,
  taskPod,
  tenant,
} from './objects';

/** How big the benchmark's cluster is (the command's arguments). */
export interface BenchmarkSize {
  /** Task pods in the busy tenant's namespace. */
  taskPods: number;
  /** Other Warning Events in the busy tenant's namespace. */
  otherEvents: number;
  /** Tenants of the larger sweep. */
  bigSweep: number;
}

/** The cluster of the health API scenarios: `total` tenants, the first one busy. */
export async function startBenchCluster({
  taskPods,
  otherEvents,
  bigSweep,
}: BenchmarkSize): Promise<{ kube: KubernetesApiDouble; total: number }> {
  const total = Math.max(bigSweep, 50) + 2;
  const objects: KubeObject[] = [];
  for (let i = 0; i < total; i++)
    objects.push(namespaceOf(i), ...healthyTenantObjects(tenant(i)));
  for (let i = 0; i < taskPods; i++)
    objects.push(taskPod(tenant(BUSY).namespace, i));
  for (let i = 0; i < otherEvents; i++)
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
  return { kube, total };
}

/** The scenarios, on the cluster of {@link startBenchCluster}. */
export async function healthApiScenarios(
  kube: KubernetesApiDouble,
  clearml: ClearmlServerDouble,
  total: number,
  { taskPods, otherEvents, bigSweep }: BenchmarkSize,
): Promise<Row[]> {
  const rows: Row[] = [];

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
    `previous read (5 unselected lists), one tenant beside ${taskPods} task pods and ${otherEvents} other Warning Events`,
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
  for (const n of [50, bigSweep]) {
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
  return rows;
}
