export { readClearmlClusters, findClearmlCluster } from './clusters';
export type { ClearmlCluster, ReadClearmlClustersOptions } from './clusters';
export {
  buildKubeConfig,
  clusterToken,
  createKubernetesClients,
  kubernetesClientFactory,
} from './kubernetesClients';
export type {
  ClusterCredential,
  KubernetesClients,
  KubernetesClientFactory,
} from './kubernetesClients';
export {
  sccRoleBinding,
  sccServiceAccountSubject,
  bindsSccRole,
  missingServiceAccounts,
} from './sccRoleBinding';
export {
  ELASTICSEARCH_SELECTOR,
  ROUTES_SELECTOR,
  TENANT_OBJECT_KINDS,
  TENANT_OBJECT_SELECTORS,
  tenantObjectSelectors,
  tenantWorkloadNames,
  workloadNameSelector,
} from './workloadSelectors';
export type { TenantObjectKind, TenantReleases } from './workloadSelectors';
export {
  applySccRoleBinding,
  ForeignSccRoleBindingError,
  readSccRoleBinding,
  SccRoleBindingCallError,
} from './sccRoleBindingApply';
export { describeKubernetesError } from './errors';
export type { KubernetesFailure, KubernetesFailureKind } from './errors';
export { deniedAccess, describeAccess } from './accessReview';
export type { AccessCheck } from './accessReview';
