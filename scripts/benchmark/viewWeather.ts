/**
 * The shared view in real-cluster weather (issue #18): heap per tenant, first sweeps on many release names, refused
 * reconnects; then viewWeatherCluster.ts: a 410, a busy cluster's renewals, other teams' labelled objects.
 */
import {
  ClearmlServerDouble,
  healthyTenantObjects,
  KubernetesApiDouble,
} from '@internal/clearml-test-utils';
import { standaloneView } from './clusterView';
import {
  cost,
  fleetSweep,
  kB,
  liveHeap,
  readerToken,
  Row,
  startBackend,
} from './measure';
import { entity, releaseTenants } from './objects';
import { viewWeatherCluster } from './viewWeatherCluster';

/** Every weather scenario; `bigSweep` tenants for the larger heap measurement. */
export async function viewWeather(
  clearml: ClearmlServerDouble,
  bigSweep: number,
): Promise<Row[]> {
  const rows: Row[] = [];
  const N = 200;

  // ---- First, while the process is clean: heap per tenant: the view alone, and a backend after a sweep with the reports cached. ----
  for (const n of [50, bigSweep]) {
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

  rows.push(...(await viewWeatherCluster(N)));
  return rows;
}
