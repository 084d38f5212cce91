/**
 * `clearml.charts`: which chart repository and version each release is
 * installed from, and the optional `kubeVersionOverride` a platform team sets
 * to install a chart on a cluster newer than the chart's `kubeVersion` allows.
 * Defaults (the public charts and their known ranges) come from knownCharts.ts.
 */
import type { Config } from '@backstage/config';
import { CHART_NAMES } from '@clearml-openshift/plugin-clearml-common';
import {
  ChartSource,
  defaultChartSource,
  knownChartKubeVersion,
} from './knownCharts';
import semver from 'semver';

/** @public */
export interface ChartsSettings {
  /** The source of every chart named in config or known by default, by chart name. */
  sources: Record<string, ChartSource>;
  /**
   * The Kubernetes version Argo CD renders the charts for (`helm.kubeVersion`
   * of the Applications) when a chart refuses the cluster's own. Unset: such a
   * tenant is refused.
   */
  kubeVersionOverride?: string;
}

const ALL_CHARTS: readonly string[] = [
  ...Object.values(CHART_NAMES.oss),
  ...Object.values(CHART_NAMES.enterprise),
];

function readChart(
  config: Config | undefined,
  chart: string,
): ChartSource | undefined {
  const fallback = defaultChartSource(chart);
  const repository =
    config?.getOptionalString('repository') ?? fallback?.repository;
  const version = config?.getOptionalString('version') ?? fallback?.version;
  if (!repository || !version) {
    if (config) {
      throw new Error(
        `Invalid config at clearml.charts.${chart}: both repository and version are required for this chart`,
      );
    }
    return undefined;
  }
  const kubeVersion =
    config?.getOptionalString('kubeVersion') ??
    knownChartKubeVersion(chart, version);
  if (kubeVersion !== undefined && semver.validRange(kubeVersion) === null) {
    throw new Error(
      `Invalid config at clearml.charts.${chart}.kubeVersion: '${kubeVersion}' is not a semver range`,
    );
  }
  return {
    chart,
    repository: repository.replace(/\/+$/, ''),
    version,
    ...(kubeVersion ? { kubeVersion } : {}),
  };
}

/**
 * Reads `clearml.charts`; an error names the config key that is wrong.
 *
 * @public
 */
export function readChartsSettings(config: Config): ChartsSettings {
  const charts = config.getOptionalConfig('clearml.charts');
  const sources: Record<string, ChartSource> = {};
  for (const chart of ALL_CHARTS) {
    const source = readChart(charts?.getOptionalConfig(chart), chart);
    if (source) sources[chart] = source;
  }
  const kubeVersionOverride = charts?.getOptionalString('kubeVersionOverride');
  if (
    kubeVersionOverride !== undefined &&
    semver.valid(semver.clean(kubeVersionOverride)) === null
  ) {
    throw new Error(
      `Invalid config at clearml.charts.kubeVersionOverride: '${kubeVersionOverride}' is not a Kubernetes version such as 1.32.0`,
    );
  }
  return {
    sources,
    ...(kubeVersionOverride
      ? { kubeVersionOverride: semver.clean(kubeVersionOverride)! }
      : {}),
  };
}

/**
 * The configured source of a chart (`clearml.charts.<chart>`, else the known default): what new tenants are rendered
 * with, what upgrades move tenants to, and what the fleet measures drift against. Undefined for a chart that is
 * neither configured nor public (an enterprise chart without configuration).
 *
 * @public
 */
export function configuredChartSource(
  settings: ChartsSettings,
  chart: string,
): ChartSource | undefined {
  return settings.sources[chart];
}

/**
 * The configured version of a chart (see {@link configuredChartSource}).
 *
 * @public
 */
export function configuredChartVersion(
  settings: ChartsSettings,
  chart: string,
): string | undefined {
  return configuredChartSource(settings, chart)?.version;
}
