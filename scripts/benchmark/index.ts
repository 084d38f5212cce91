/**
 * Benchmark of the health API against the Kubernetes API double (run by hand,
 * not in CI; it takes a minute or two):
 *
 *   npm run benchmark -- [taskPods=2000] [otherEvents=5000] [bigSweep=500]
 *     [--without-kubernetes-backend] [--view-weather-only] [--day2-reads-only]
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
 * - the lifecycle's requests to the GitOps host per fleet sweep (GitHub API double): own and day-2 pull requests.
 *   --day2-reads-only runs only that one.
 * Prints one Markdown table for the README.
 */
import { ClearmlServerDouble } from '@internal/clearml-test-utils';
import { healthApiScenarios, startBenchCluster } from './healthApi';
import { day2ReadScenarios } from './day2Reads';
import { printTable, Row } from './measure';
import { sideBySide } from './sideBySide';
import { viewWeather } from './viewWeather';

const args = process.argv.slice(2);
const [taskPods = 2000, otherEvents = 5000, bigSweep = 500] = args
  .filter(a => !a.startsWith('--'))
  .map(Number);
const WITH_KUBERNETES_BACKEND = !args.includes('--without-kubernetes-backend');
/** Only the shared view's weather scenarios (issue #18). */
const WEATHER_ONLY = args.includes('--view-weather-only');
/** Only the lifecycle's reads of the GitOps host (issue #23). */
const DAY2_READS_ONLY = args.includes('--day2-reads-only');

async function main() {
  const clearml = await ClearmlServerDouble.start();
  if (WEATHER_ONLY) {
    printTable(await viewWeather(clearml, bigSweep));
    await clearml.close();
    process.exit(0);
  }
  const size = { taskPods, otherEvents, bigSweep };
  const { kube, total } = await startBenchCluster(size);
  if (DAY2_READS_ONLY) {
    printTable(await day2ReadScenarios(kube, clearml, 50));
    await kube.close();
    await clearml.close();
    process.exit(0);
  }
  const rows: Row[] = await healthApiScenarios(kube, clearml, total, size);
  if (WITH_KUBERNETES_BACKEND)
    rows.push(...(await sideBySide(kube, clearml, total)));
  rows.push(...(await day2ReadScenarios(kube, clearml, 50)));
  rows.push(...(await viewWeather(clearml, bigSweep)));

  await kube.close();
  await clearml.close();

  printTable(rows);
  process.exit(0);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
