export {
  ClusterPicker,
  clusterLabel,
  validateClusterCharts,
} from './ClusterPicker';
export { TenantDomainField } from './TenantDomainField';
export {
  StorageClassField,
  storageClassLabel,
  validateStorageClass,
} from './StorageClassField';
