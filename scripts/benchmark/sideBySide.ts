/**
 * Side by side in one backend: Backstage's kubernetes-backend (installed on demand into a cache directory outside
 * the workspace, see kubernetesBackendFromCache.ts) and the health check, on the same double and entity.
 */
import {
  ClearmlServerDouble,
  healthyTenantObjects,
  KubernetesApiDouble,
} from '@internal/clearml-test-utils';
import {
  KUBERNETES_BACKEND_VERSION,
  loadKubernetesBackend,
} from './kubernetesBackendFromCache';
import {
  cost,
  health,
  kB,
  ms,
  percentile,
  requestView,
  Row,
  startBackend,
} from './measure';
import { BUSY, READ_TOKEN, tenant } from './objects';

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
export async function sideBySide(
  kube: KubernetesApiDouble,
  clearml: ClearmlServerDouble,
  tenants: number,
): Promise<Row[]> {
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
  const rows: Row[] = [];

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
