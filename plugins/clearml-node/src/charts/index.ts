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
export {
  configuredChartSource,
  configuredChartVersion,
  readChartsSettings,
} from './chartsConfig';
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
  configuredTenantCharts,
  tenantCharts,
} from './tenantCharts';
export type { ClusterChartCheck, TenantChart } from './tenantCharts';
export { MAX_CHART_ARCHIVE_BYTES, readChartArchive } from './chartArchive';
export type { ChartArchive } from './chartArchive';
export {
  ChartArchiveUnavailableError,
  helmRepositoryClient,
} from './helmRepository';
export type {
  HelmRepositoryClient,
  HelmRepositoryFetch,
} from './helmRepository';
export {
  diffChartValues,
  formatValuesKey,
  isEmptyValuesDiff,
  tenantKeysLost,
} from './valuesDiff';
export type {
  ChartValues,
  ChartValuesDiff,
  ChartValuesKeyChange,
  ValuesKeyPath,
} from './valuesDiff';
