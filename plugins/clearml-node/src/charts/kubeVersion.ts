/**
 * Whether a chart installs on a cluster: the cluster's Kubernetes version
 * (`GET /version`) against the chart's `kubeVersion` range, compared the way
 * Helm does (pre-releases such as `1.32.5-gke.1` count as their version).
 */
import { ChartCompatibility } from '@clearml-openshift/plugin-clearml-common';
import type { ChartSource } from './knownCharts';
import semver from 'semver';
import type { KubernetesClients } from '../cluster/kubernetesClients';

/**
 * `v1.32.5+abc` → `1.32.5`; undefined for what is no version.
 *
 * @public
 */
export function normalizeKubernetesVersion(
  gitVersion: string,
): string | undefined {
  const cleaned = semver.clean(gitVersion.trim(), { loose: true });
  return cleaned ?? undefined;
}

/**
 * True when the range admits the version (Helm's reading of `kubeVersion`).
 *
 * @public
 */
export function kubeVersionSatisfies(range: string, version: string): boolean {
  return semver.satisfies(version, range, { includePrerelease: true });
}

/**
 * What each chart says about a cluster version; `accepts` is undefined when a chart's range is unknown.
 *
 * @public
 */
export function chartCompatibility(
  charts: readonly ChartSource[],
  kubernetesVersion: string,
): ChartCompatibility[] {
  return charts.map(source => ({
    chart: source.chart,
    version: source.version,
    ...(source.kubeVersion
      ? {
          kubeVersion: source.kubeVersion,
          accepts: kubeVersionSatisfies(source.kubeVersion, kubernetesVersion),
        }
      : {}),
  }));
}

/**
 * The cluster's Kubernetes version from `GET /version` (any credential may read it).
 *
 * @public
 */
export async function readKubernetesVersion(
  clients: Pick<KubernetesClients, 'version'>,
): Promise<string> {
  const info = await clients.version.getCode();
  const version = normalizeKubernetesVersion(
    info.gitVersion ?? `${info.major}.${info.minor}.0`,
  );
  if (!version)
    throw new Error(
      `the cluster reports a Kubernetes version that is not semver: '${info.gitVersion}'`,
    );
  return version;
}

/**
 * The API group/versions the cluster serves (`GET /api` and `GET /apis`,
 * discovery, which every authenticated credential may read): `v1`,
 * `apps/v1`, `route.openshift.io/v1`, …
 *
 * @public
 */
export async function readServedApiVersions(
  clients: Pick<KubernetesClients, 'discovery'>,
): Promise<Set<string>> {
  const [core, groups] = await Promise.all([
    clients.discovery.core.getAPIVersions(),
    clients.discovery.apis.getAPIVersions(),
  ]);
  return new Set([
    ...(core.versions ?? []),
    ...(groups.groups ?? []).flatMap(g =>
      (g.versions ?? []).map(v => v.groupVersion),
    ),
  ]);
}
