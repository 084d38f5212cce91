export { readClearmlClusters, findClearmlCluster } from './clusters';
export type { ClearmlCluster, ReadClearmlClustersOptions } from './clusters';
export {
  buildKubeConfig,
  clusterToken,
  createKubernetesClients,
  kubernetesClientFactory,
  DEFAULT_REQUEST_TIMEOUT_MS,
} from './kubernetesClients';
export type { ClusterCredential, KubernetesClients, KubernetesClientFactory } from './kubernetesClients';
export { sccRoleBinding, sccServiceAccountSubject, bindsSccRole, missingServiceAccounts } from './sccRoleBinding';
export { describeKubernetesError, isNotFound, redactTokens } from './errors';
export type { KubernetesFailure, KubernetesFailureKind } from './errors';
export { deniedAccess, describeAccess } from './accessReview';
export type { AccessCheck } from './accessReview';
