/**
 * The chart check both render actions run when the template names a cluster:
 * the tenant's charts (clearml.charts) against the cluster's Kubernetes
 * version, refused with an InputError naming `cluster` before anything is
 * written, unless the platform team configured a kubeVersion override.
 */
import { Config, ConfigReader } from '@backstage/config';
import { Tenant } from '@clearml-openshift/plugin-clearml-common';
import {
  checkChartsOnCluster,
  ClusterChartCheck,
  KubernetesClientFactory,
  kubernetesClientFactory,
  readChartsSettings,
  readClearmlClusters,
  readTiers,
  requireCluster,
  TenantChart,
  tenantCharts,
} from '@clearml-openshift/plugin-clearml-node';

/**
 * Options of the actions that check a tenant's charts against the cluster's Kubernetes version.
 *
 * @public
 */
export interface ChartCheckOptions {
  /** Backstage config: clearml.clusters and clearml.charts. Without it no cluster is known. */
  config?: Config;
  /** Builds the Kubernetes clients of a cluster; default: real clients from config. */
  kubernetesClientFactory?: KubernetesClientFactory;
}

export type TenantChartCheck = ClusterChartCheck & { charts: TenantChart[] };

/** Reads the config once (a wrong key fails at startup) and returns the check. */
export function createChartCheck(options: ChartCheckOptions) {
  const clusters = options.config ? readClearmlClusters(options.config) : [];
  const settings = readChartsSettings(options.config ?? new ConfigReader({}));
  // clearml.tiers: read once, so a bad tier fails at startup; the tenant's `tier` is resolved against them.
  const tiers = readTiers(options.config);
  const clientFactory =
    options.kubernetesClientFactory ?? kubernetesClientFactory();
  return {
    settings,
    tiers,
    /** Validates `cluster` and the charts; the cluster is asked for its version only when both are known. */
    async check(
      tenant: Tenant,
      clusterName: unknown,
    ): Promise<TenantChartCheck> {
      const cluster = requireCluster(clusters, clusterName);
      const charts = tenantCharts(tenant, settings);
      const result = await checkChartsOnCluster({
        cluster,
        charts,
        settings,
        clientFactory,
      });
      return { ...result, charts };
    },
  };
}
