export {
  ClusterPicker,
  clusterLabel,
  validateClusterCharts,
} from './ClusterPicker';
export { TenantDomainField } from './TenantDomainField';
