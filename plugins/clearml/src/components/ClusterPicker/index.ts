export { ClusterPicker, clusterLabel } from './ClusterPicker';
export { TenantDomainField } from './TenantDomainField';
