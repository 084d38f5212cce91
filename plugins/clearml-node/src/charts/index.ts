export { readChartsSettings } from './chartsConfig';
export type { ChartsSettings } from './chartsConfig';
export {
  chartCompatibility,
  kubeVersionSatisfies,
  normalizeKubernetesVersion,
  readKubernetesVersion,
  readServedApiVersions,
} from './kubeVersion';
export {
  checkChartsOnCluster,
  requireCluster,
  tenantChartRoles,
  tenantCharts,
} from './tenantCharts';
export type { ClusterChartCheck, TenantChart } from './tenantCharts';
