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
export { describeKubernetesError } from './errors';
export type { KubernetesFailure, KubernetesFailureKind } from './errors';
export { deniedAccess, describeAccess } from './accessReview';
export type { AccessCheck } from './accessReview';
