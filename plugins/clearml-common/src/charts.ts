/**
 * The chart facts the browser sees too: the releases a tenant has (each from
 * its own chart) and the compatibility the clusters endpoint reports to the
 * form. Chart sources, versions and known `kubeVersion` ranges are node-only
 * rules: clearml-node `charts/knownCharts.ts`.
 */

/**
 * The releases a tenant has, each from its own chart.
 *
 * @public
 */
export const CHART_ROLES = ['server', 'agent', 'appGateway'] as const;
/** @public */
export type ChartRole = (typeof CHART_ROLES)[number];

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
