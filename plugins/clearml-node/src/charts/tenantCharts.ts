/**
 * The charts a tenant is installed from, and whether they install on the
 * tenant's cluster. Checked before anything is written: a chart that refuses
 * the cluster's Kubernetes version would fail `helm template` in Argo CD's
 * sync, after the pull request was merged.
 */
import { InputError } from '@backstage/errors';
import { ChartRole, Tenant } from '@clearml-openshift/plugin-clearml-common';
import semver from 'semver';
import { ClearmlCluster, findClearmlCluster } from '../cluster/clusters';
import { describeKubernetesError } from '../cluster/errors';
import type { KubernetesClientFactory } from '../cluster/kubernetesClients';
import { chartName, ChartSource, knownChartRenderedApis } from './knownCharts';
import { ChartsSettings, configuredChartSource } from './chartsConfig';
import {
  kubeVersionSatisfies,
  readKubernetesVersion,
  readServedApiVersions,
} from './kubeVersion';

/** @public */
export interface TenantChart {
  role: ChartRole;
  source: ChartSource;
}

/**
 * The releases a tenant installs, in order: server, then agent and app gateway when enabled.
 *
 * @public
 */
export function tenantChartRoles(tenant: Tenant): ChartRole[] {
  return [
    'server',
    ...(tenant.agent.enabled ? (['agent'] as const) : []),
    ...(tenant.appGateway.enabled ? (['appGateway'] as const) : []),
  ];
}

/**
 * Each release's chart source; an InputError naming `edition` when a (private) chart is not configured.
 *
 * @public
 */
export function tenantCharts(
  tenant: Tenant,
  settings: ChartsSettings,
): TenantChart[] {
  return tenantChartRoles(tenant).map(role => {
    const chart = chartName(tenant.edition, role)!;
    const source = configuredChartSource(settings, chart);
    if (!source) {
      throw new InputError(
        `edition: chart ${chart} has no repository and version configured (clearml.charts.${chart}.repository and .version); ` +
          'the enterprise charts are private, so the platform team names where they come from',
      );
    }
    return { role, source };
  });
}

/**
 * The releases' chart sources that are configured (or have a default), without refusing the others: what a values
 * file's header names when no chart check ran (a render without a cluster).
 *
 * @public
 */
export function configuredTenantCharts(
  tenant: Tenant,
  settings: ChartsSettings,
): TenantChart[] {
  return tenantChartRoles(tenant).flatMap(role => {
    const source = configuredChartSource(
      settings,
      chartName(tenant.edition, role)!,
    );
    return source ? [{ role, source }] : [];
  });
}

/** @public */
export interface ClusterChartCheck {
  cluster: string;
  /** The cluster's Kubernetes version, e.g. `1.32.5`. */
  kubernetesVersion: string;
  /** Charts whose `kubeVersion` refuses the cluster's version. */
  refused: TenantChart[];
  /**
   * Set when charts refuse the cluster: `clearml.charts.kubeVersionOverride`, or, when the platform team set none,
   * the newest version the refusing charts admit, chosen only when the cluster serves every API they render.
   */
  kubeVersionOverride?: string;
  /** True when the product chose the override itself. */
  automaticOverride?: boolean;
  /** For the pull request: the override and its risk, when one is used. */
  deviations: string[];
}

function describeChart(chart: TenantChart): string {
  return `${chart.source.chart} ${chart.source.version} (kubeVersion ${chart.source.kubeVersion})`;
}

/**
 * The configured cluster of that name, or an InputError naming `cluster`.
 *
 * @public
 */
export function requireCluster(
  clusters: readonly ClearmlCluster[],
  name: unknown,
): ClearmlCluster {
  const cluster =
    typeof name === 'string' ? findClearmlCluster(clusters, name) : undefined;
  if (!cluster) {
    const known = clusters.map(c => c.name).join(', ') || 'none';
    throw new InputError(
      `cluster: ${JSON.stringify(name)} is not a configured cluster (clearml.clusters: ${known})`,
    );
  }
  return cluster;
}

/**
 * Reads the cluster's Kubernetes version with its read credential and
 * compares it with each chart's range. Refuses with an InputError naming
 * `cluster` when a chart refuses the version and no override is configured
 * (or the override is refused as well).
 *
 * @public
 */
export async function checkChartsOnCluster(options: {
  cluster: ClearmlCluster;
  charts: readonly TenantChart[];
  settings: ChartsSettings;
  clientFactory: KubernetesClientFactory;
}): Promise<ClusterChartCheck> {
  const { cluster, charts, settings } = options;
  if (!cluster.serviceAccountToken) {
    throw new InputError(
      `cluster: '${cluster.name}' has no read credential (serviceAccountToken), so its Kubernetes version cannot be checked against the charts`,
    );
  }
  let kubernetesVersion: string;
  try {
    kubernetesVersion = await readKubernetesVersion(
      options.clientFactory(cluster, 'read'),
    );
  } catch (error) {
    throw new Error(
      `cluster: could not read the Kubernetes version of '${cluster.name}' (GET /version): ${describeKubernetesError(error, cluster).message}`,
    );
  }
  const refusing = (version: string) =>
    charts.filter(
      c =>
        c.source.kubeVersion &&
        !kubeVersionSatisfies(c.source.kubeVersion, version),
    );
  await requireRenderedApis(options, kubernetesVersion);
  const refused = refusing(kubernetesVersion);
  if (refused.length === 0)
    return {
      cluster: cluster.name,
      kubernetesVersion,
      refused,
      deviations: [],
    };

  const automatic = settings.kubeVersionOverride
    ? undefined
    : automaticKubeVersion(refused, refusing);
  const override = settings.kubeVersionOverride ?? automatic;
  const summary = `Kubernetes ${kubernetesVersion} on cluster '${cluster.name}' is refused by chart ${refused.map(describeChart).join(', ')}`;
  if (!override) {
    throw new InputError(
      `cluster: ${summary}: Helm and Argo CD would fail to render it. Configure chart versions that accept it ` +
        '(clearml.charts) or, knowingly, clearml.charts.kubeVersionOverride',
    );
  }
  const overrideRefused = refusing(override);
  if (overrideRefused.length) {
    throw new InputError(
      `cluster: ${summary}, and clearml.charts.kubeVersionOverride ${override} is refused by ${overrideRefused.map(describeChart).join(', ')} too`,
    );
  }
  const releases = refused
    .map(c => `${c.source.chart} ${c.source.version}`)
    .join(', ');
  if (automatic) {
    return {
      cluster: cluster.name,
      kubernetesVersion,
      refused,
      kubeVersionOverride: automatic,
      automaticOverride: true,
      deviations: [
        `Argo CD renders ${releases} with helm.kubeVersion ${automatic}, not the cluster's ${kubernetesVersion}: ` +
          `the chart's kubeVersion (${refused.map(c => c.source.kubeVersion).join(', ')}) has an upper bound that refuses it, ` +
          `while every API the chart renders (${[...new Set(refused.flatMap(c => knownChartRenderedApis(c.source.chart, c.source.version)!.apiVersions))].join(', ')}) ` +
          `is served by the cluster (checked now). Upstream dropped the upper bound in later releases (clearml-agent 5.3.4, clearml 7.15.0); ` +
          'pin those in clearml.charts once your Helm repository has them, or set clearml.charts.kubeVersionOverride to decide yourself.',
      ],
    };
  }
  return {
    cluster: cluster.name,
    kubernetesVersion,
    refused,
    kubeVersionOverride: override,
    deviations: [
      `Argo CD renders ${refused.map(c => `${c.source.chart} ${c.source.version}`).join(', ')} with helm.kubeVersion ${override}, ` +
        `not the cluster's ${kubernetesVersion}, which the chart's kubeVersion refuses (clearml.charts.kubeVersionOverride). ` +
        `Risk: the chart was not released for Kubernetes ${kubernetesVersion}; API versions it picks by Capabilities.KubeVersion, ` +
        'or removed in that version, may fail at sync or at run time. Prefer a chart version that accepts the cluster.',
    ],
  };
}

/**
 * The newest Kubernetes version every refusing chart admits, when each is a
 * known version with known rendered APIs; undefined otherwise.
 */
function automaticKubeVersion(
  refused: readonly TenantChart[],
  refusing: (version: string) => TenantChart[],
): string | undefined {
  const candidates = refused.map(
    c => knownChartRenderedApis(c.source.chart, c.source.version)?.renderAs,
  );
  if (candidates.some(c => c === undefined)) return undefined;
  return (candidates as string[])
    .filter(version => refusing(version).length === 0)
    .sort(semver.rcompare)[0];
}

/**
 * Refuses, naming `cluster`, a cluster that does not serve an API group/version
 * a chart renders (known chart versions only): Argo CD's sync would fail
 * with "no matches for kind", whatever the chart's kubeVersion says.
 */
async function requireRenderedApis(
  options: {
    cluster: ClearmlCluster;
    charts: readonly TenantChart[];
    clientFactory: KubernetesClientFactory;
  },
  kubernetesVersion: string,
): Promise<void> {
  const { cluster, charts } = options;
  const known = charts.flatMap(c => {
    const facts = knownChartRenderedApis(c.source.chart, c.source.version);
    return facts ? [{ chart: c, apiVersions: facts.apiVersions }] : [];
  });
  if (!known.length) return;
  let served: Set<string>;
  try {
    served = await readServedApiVersions(
      options.clientFactory(cluster, 'read'),
    );
  } catch (error) {
    throw new Error(
      `cluster: could not read the APIs '${cluster.name}' serves (GET /api, /apis): ${describeKubernetesError(error, cluster).message}`,
    );
  }
  const missing = known.flatMap(k =>
    k.apiVersions
      .filter(apiVersion => !served.has(apiVersion))
      .map(
        apiVersion =>
          `${k.chart.source.chart} ${k.chart.source.version} renders ${apiVersion}`,
      ),
  );
  if (missing.length) {
    throw new InputError(
      `cluster: Kubernetes ${kubernetesVersion} on cluster '${cluster.name}' does not serve an API the charts render (${missing.join('; ')}): Argo CD's sync would fail`,
    );
  }
}
