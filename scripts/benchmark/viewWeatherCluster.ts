/**
 * The shared view in real-cluster weather, on the cluster's side: a 410 on one informer, a busy cluster's renewals,
 * other teams' labelled objects beside the tenants.
 */
import {
  healthyTenantObjects,
  KubeObject,
  KubernetesApiDouble,
} from '@internal/clearml-test-utils';
import { newClusterView, standaloneView } from './clusterView';
import { cost, kB, readerToken, Row } from './measure';
import { releaseTenants, taskPod } from './objects';

/** `n` tenants for the 410 and busy-cluster scenarios. */
export async function viewWeatherCluster(N: number): Promise<Row[]> {
  const rows: Row[] = [];
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
    const WATCH_SECONDS = 5;
    const view = newClusterView(kube, WATCH_SECONDS);
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
