/**
 * A Kubernetes API double for tests and the local demo. See README.md.
 * Exported names carry `Kubernetes` so they do not clash with the other doubles'.
 */
export {
  KubernetesApiDouble,
  startSilentServer,
  closedPortUrl,
} from './server';
export type {
  KubernetesApiDoubleOptions,
  RecordedRequest as KubernetesRecordedRequest,
  InjectedFailure as KubernetesInjectedFailure,
} from './server';
export {
  READ_ONLY_RULES as KUBERNETES_READ_ONLY_RULES,
  ALL_RULES as KUBERNETES_ALL_RULES,
} from './auth';
export type {
  PolicyRule as KubernetesPolicyRule,
  TokenGrant as KubernetesTokenGrant,
} from './auth';
export { RESOURCE_TYPES as KUBERNETES_DOUBLE_RESOURCE_TYPES } from './resources';
export type { ResourceType as KubernetesDoubleResourceType } from './resources';
export type { KubeObject as KubernetesDoubleObject } from './store';
