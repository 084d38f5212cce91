export {
  CLEARML_HELM_REPOSITORY,
  KNOWN_CHART_KUBE_VERSIONS,
  KNOWN_CHART_RENDERED_APIS,
  chartName,
  defaultChartSource,
  knownChartKubeVersion,
  knownChartRenderedApis,
} from './knownCharts';
export type { ChartSource } from './knownCharts';
export { configuredChartVersion, readChartsSettings } from './chartsConfig';
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
