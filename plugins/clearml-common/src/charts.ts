/**
 * The chart facts the browser sees too: the releases a tenant has (each from
 * its own chart) and the compatibility the clusters endpoint reports to the
 * form. Chart sources, versions and known `kubeVersion` ranges are node-only
 * rules: clearml-node `charts/knownCharts.ts`.
 */

import { CHART_NAMES } from './naming';

/**
 * The releases a tenant has, each from its own chart.
 *
 * @public
 */
export const CHART_ROLES = ['server', 'agent', 'appGateway'] as const;
/** @public */
export type ChartRole = (typeof CHART_ROLES)[number];

/**
 * The role a chart plays in a tenant, from its name (CHART_NAMES of either edition); undefined for another chart.
 *
 * @public
 */
export function chartRoleOf(chart: string): ChartRole | undefined {
  for (const names of Object.values(CHART_NAMES)) {
    const role = (Object.keys(names) as ChartRole[]).find(
      r => (names as Partial<Record<ChartRole, string>>)[r] === chart,
    );
    if (role) return role;
  }
  return undefined;
}

/**
 * A chart a tenant runs, as its Argo CD Application says (the Helm source's `chart` and `targetRevision`, and the
 * revision Argo CD synced), against the version the platform configures (`clearml.charts`).
 *
 * @public
 */
export interface TenantChartVersion {
  chart: string;
  role: ChartRole;
  /** The Argo CD Application the chart is a source of. */
  application: string;
  /** The chart version Argo CD last synced; absent before its first sync. */
  deployed?: string;
  /** The version the Application's source names (what the GitOps repository says). */
  target: string;
  /** The version configured for the chart (`clearml.charts.<chart>.version`); absent when none is. */
  configured?: string;
  /** True when what runs (else what the repository names) is not the configured version. */
  drift: boolean;
}

/**
 * Whether a chart accepts a cluster, as the clusters endpoint reports it to the form.
 *
 * @public
 */
export interface ChartCompatibility {
  chart: string;
  version: string;
  /** The chart's range; absent when unknown. */
  kubeVersion?: string;
  /** True/false when the range is known, undefined when it is not. */
  accepts?: boolean;
}

/**
 * "clearml 7.14.1 (configured 7.14.4)": the chart, the version that runs (or the one named, before Argo CD synced it),
 * and the configured version when they differ.
 *
 * @public
 */
export function chartVersionText(chart: TenantChartVersion): string {
  const runs = chart.deployed ?? `${chart.target} (not synced yet)`;
  return `${chart.chart} ${runs}${chart.drift ? ` (configured ${chart.configured})` : ''}`;
}
